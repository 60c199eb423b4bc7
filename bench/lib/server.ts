/**
 * Child servers of the bench: `ruche start` on 127.0.0.1 with a free port, and any other
 * node script that prints its URL. Peak RSS comes from /proc/<pid>/status (VmHWM, the
 * kernel's high-water mark, and VmRSS sampled every 250 ms where VmHWM is missing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { cleanEnv, RUCHE_BIN, track } from './proc';

export { killAll } from './proc';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Peak resident memory so far, in MB (NaN where /proc is unavailable). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

const START_TIMEOUT = 3 * 60_000;

function procKb(pid: number, key: string): number {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Spawns `node args` in `cwd` and waits for `pattern` (its first group is the URL) in its output. */
export function startChild(args: string[], cwd: string, pattern: RegExp, env: NodeJS.ProcessEnv, what: string): Promise<ChildServer> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 100_000) out = out.slice(-50_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let peakKb = 0;
  const sample = () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    const hwm = procKb(child.pid, 'VmHWM');
    const rss = procKb(child.pid, 'VmRSS');
    for (const v of [hwm, rss]) if (Number.isFinite(v)) peakKb = Math.max(peakKb, v);
  };
  const sampler = setInterval(sample, 250);
  sampler.unref();
  const stop = async () => {
    sample();
    clearInterval(sampler);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(hard);
  };
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const m = pattern.exec(out);
      if (m) {
        clearInterval(timer);
        sample();
        resolve({ url: m[1].replace('//localhost:', '//127.0.0.1:'), child, peakRssMb: () => (sample(), peakKb / 1024 || NaN), stop });
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > START_TIMEOUT) {
        clearInterval(timer);
        void stop().then(() => reject(new Error(`${what} did not start:\n${out.slice(-4000)}`)));
      }
    }, 50);
  });
}

/**
 * `ruche start` in the site folder (its config/local.json), listening on 127.0.0.1, jobs off,
 * warnings only; with `workers` > 1, `--workers` (peak RSS is then the primary's only);
 * with BENCH_CPU_PROF=<dir>, a CPU profile of the server written there when it stops.
 */
export function startRuche(siteDir: string, workers = 1): Promise<ChildServer> {
  // BENCH_CPU_PROF=<dir>: the server writes a CPU profile there when it stops (as bench:chat does).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const args = [...profile, RUCHE_BIN, 'start', '--port', '0', '--host', '127.0.0.1', ...(workers > 1 ? ['--workers', String(workers)] : [])];
  return startChild(
    args,
    siteDir,
    /Ruche is serving (https?:\/\/\S+)/,
    cleanEnv({ RUCHE_LOG__LEVEL: 'warn', RUCHE_JOBS__ENABLED: 'false' }),
    'ruche start',
  );
}
