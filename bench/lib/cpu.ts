/**
 * Server CPU time from /proc: utime + stime of a process and of every process under it (the
 * workers of `ruche start --workers N`), in seconds. Read before and after a measured run,
 * the difference divided by the requests answered is the CPU one request costs: a figure that
 * holds on a shared machine where req/s does not. NaN where /proc is unavailable.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second of /proc's times (getconf CLK_TCK; 100 on Linux). */
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses): [state, ppid, …]. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The pid and every descendant of it now running. */
function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = Number(statFields(Number(name))?.[1]);
    if (Number.isFinite(ppid)) children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat) of the process and its descendants, in seconds. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/stat`)) return NaN;
  let total = 0;
  for (const p of tree(pid)) {
    const f = statFields(p);
    if (f) total += Number(f[11]) + Number(f[12]);
  }
  return total / clockTicks();
}
