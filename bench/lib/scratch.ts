/**
 * What the single-page benches (directory, discussions) share: a throw-away SQLite install in a
 * temporary folder, and the percentile of a sorted list of timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { install, loadConfig, openBase, type RucheConfig } from '../../core';

/** The `p`th percentile (0–100) of ascending `sorted` timings. */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * A fresh folder under the system's temporary one (`ruche-bench-<name>-…`), its configuration
 * (SQLite in it, silent log, `extra` on top) and the installed runtime with an `admin` account.
 */
export async function scratchInstall(name: string, extra: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ruche-bench-${name}-`));
  const config: RucheConfig = loadConfig({
    cwd: dir,
    env: {},
    overrides: {
      dataDir: dir,
      databaseUrl: `sqlite:${path.join(dir, 'ruche.sqlite')}`,
      secret: 'bench-secret-'.padEnd(48, 'x'),
      log: { level: 'silent', pretty: false },
      ...extra,
    } as never,
  });
  const rt = await install(await openBase(config, { cwd: dir }), {
    siteName: 'Bench',
    locale: 'en',
    admin: { email: 'admin@example.com', password: 'correct horse battery', username: 'admin' },
  });
  return { dir, config, rt };
}
