/**
 * What the single-page benches (directory, discussions, files) share: a throw-away SQLite install
 * in a temporary folder, timed runs, and the percentiles of a sorted list of timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { install, loadConfig, openBase, type RucheConfig, type Runtime } from '../../core';

/** The `p`th percentile (0–100) of ascending `sorted` timings. */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Times `runs` calls of `fn`, one after the other: the timings in milliseconds, ascending. */
export async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/** `median 1.2 ms, p95 3.4 ms` of ascending timings. */
export const medianP95 = (sorted: number[]): string => `median ${pct(sorted, 50).toFixed(1)} ms, p95 ${pct(sorted, 95).toFixed(1)} ms`;

/** The configuration of a bench folder: its `ruche.sqlite`, a silent log, `extra` on top. */
export function scratchConfig(dir: string, extra: Record<string, unknown> = {}): RucheConfig {
  return loadConfig({
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
}

/**
 * A fresh folder under the system's temporary one (`ruche-bench-<name>-…`), its configuration
 * (SQLite in it, silent log, `extra` on top) and the installed runtime with an `admin` account.
 */
export async function scratchInstall(name: string, extra: Record<string, unknown> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ruche-bench-${name}-`));
  const config = scratchConfig(dir, extra);
  const rt = await install(await openBase(config, { cwd: dir }), {
    siteName: 'Bench',
    locale: 'en',
    admin: { email: 'admin@example.com', password: 'correct horse battery', username: 'admin' },
  });
  return { dir, config, rt };
}

/** Runs `fn` on a `scratchInstall`'s runtime, then closes it and removes its folder, whatever happens. */
export async function withScratchInstall(name: string, fn: (rt: Runtime) => Promise<void>): Promise<void> {
  const { dir, rt } = await scratchInstall(name);
  try {
    await fn(rt);
  } finally {
    await rt.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a scenario script's `main`: a failure is written as `bench:<name>: <stack>` and exits non-zero. */
export function runScript(name: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`bench:${name}: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
