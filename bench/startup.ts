/**
 * Start-up time: on an installed temporary folder (SQLite), spawns `ruche start` N times
 * and measures from spawn to the first 200 on `/`. Prints min / median / max.
 *
 *   npm run bench:startup            (N=5)
 *   BENCH_RUNS=10 npm run bench:startup
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ruche.js');
const RUNS = Number(process.env.BENCH_RUNS) || 5;
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', RUCHE_LOG__LEVEL: 'warn' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function firstOk(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (performance.now() > deadline) throw new Error(`no 200 from ${url} within the deadline`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function once(cwd: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port)], { cwd, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await firstOk(`http://127.0.0.1:${port}/`, started + 30_000);
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) process.stderr.write(`warning: ruche start exited with ${code} after SIGTERM\n`);
  }
}

async function main(): Promise<void> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-'));
  try {
    const install = spawnSync(
      process.execPath,
      [BIN, 'install', '--yes', '--admin-email', 'admin@example.com', '--admin-password', 'correct horse battery'],
      { cwd, env, encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`install failed: ${install.stderr}`);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ms = await once(cwd);
      times.push(ms);
      process.stdout.write(`run ${i + 1}: ${ms.toFixed(0)} ms\n`);
    }
    times.sort((a, b) => a - b);
    const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
    process.stdout.write(
      `startup (spawn → first 200 on /), ${RUNS} runs: min ${times[0].toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms\n`,
    );
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:startup: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
