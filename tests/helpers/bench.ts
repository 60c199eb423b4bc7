import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './app';

/**
 * What the bench seed's tests (tests/cli/seed.test.ts) and the page bench's smoke test
 * (tests/bench/smoke.test.ts) both expect: the pages every bench seed declares in
 * bench-targets.json, in the contract's order (seeding/bench/targets.ts).
 */
export const SEEDED_PAGES = [
  'home feed',
  'network feed',
  'group page',
  'topic first page',
  'topic last page',
  'profile page',
  'directory search',
  'blog post',
] as const;

/** `npm run bench -- <args>` (dist/bench/run.js) without the BENCH_ and RUCHE_ variables of the test run, killed after `limitMs`: its exit code and output. */
export function runBench(args: string[], limitMs: number): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('BENCH_') && !k.startsWith('RUCHE_')) env[k] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'bench', 'run.js'), ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}
