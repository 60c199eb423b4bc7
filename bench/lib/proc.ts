/** Child processes of the bench: a clean environment, bounded runs, output kept for errors. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './options';

export const RUCHE_BIN = path.join(REPO_ROOT, 'bin', 'ruche.js');

/** Children still running, killed by killAll() when the runner is interrupted. */
export const live = new Set<ChildProcess>();

export function track<C extends ChildProcess>(child: C): C {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills every child still running (SIGINT/SIGTERM of the runner, or a last resort). */
export function killAll(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** The runner's environment without RUCHE_* variables (the site's config file decides). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RUCHE_') && !k.startsWith('BENCH_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `node args…` in `cwd`; rejects with the output's tail on a non-zero exit or after `timeoutMs`. */
export function runNode(args: string[], cwd: string, timeoutMs: number, env = cleanEnv()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`node ${args.join(' ')}\` did not finish within ${Math.round(timeoutMs / 1000)} s:\n${out.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`\`node ${args.map((a) => a).join(' ')}\` exited with ${code ?? signal}:\n${out.slice(-4000)}`));
    });
  });
}
