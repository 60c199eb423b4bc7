/**
 * The bench's report: a table on stdout, bench/results/<YYYY-MM-DD>-<db>.json, and the
 * same table between `<!-- bench:table:<db> -->` and `<!-- /bench:table:<db> -->` in
 * docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Measure } from './drive';
import { REPO_ROOT, type BenchOptions } from './options';

export const TARGET_P99_MS = 50;
/** Issue 18's mark for the home feed's req/s against the floor's (issue 10 had asked 20%). */
export const TARGET_HOME_RATIO = 0.05;
export const TARGET_RSS_MB = 250;
/** Issue 18's server CPU per request, by page, in ms (pages not named have none). */
export const TARGET_CPU_MS: Readonly<Record<string, number>> = {
  'home feed': 3,
  'network feed': 3,
  'group page': 3,
  'blog post': 3,
  'profile page': 3,
  'topic first page': 1.5,
  'topic last page': 1.5,
  'directory search': 1.5,
  'group directory': 1.5,
  'group chooser': 1.5,
};

export interface PageResult {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  as: string;
  /** Body bytes of one response, uncompressed (the floor answers as many). */
  bytes: number;
  /** Body bytes of one response on the wire, as the bench's browser-like requests accept it (br, gzip). */
  wireBytes: number;
  /** Its Content-Encoding (`identity`: sent as it is). */
  encoding: string;
  /** Server CPU time (utime + stime, all its processes) over the measured run per request answered, in ms (null: not measured). */
  cpuMsPerRequest: number | null;
  reqPerSec: number;
  /** Latency percentiles under load, in ms (null: nothing answered in time). */
  p50: number | null;
  p99: number | null;
  /** Median of five requests one after the other (no concurrency), in ms. */
  aloneMs: number;
  requests: number;
  /** Requests that got no answer within 30 s (also counted in `unexpected`). */
  timeouts: number;
  /** Nothing answered within the run: measured on one request per connection instead. */
  fallback: boolean;
  /** Responses not of the expected status, plus connection errors. */
  unexpected: number;
  statuses: Record<string, number>;
  floor: { reqPerSec: number; p50: number; p99: number; requests: number };
  /** reqPerSec / floor.reqPerSec */
  ratio: number;
  p99Met: boolean;
  /** The page's CPU target (TARGET_CPU_MS) and whether the run met it; null where the page has none. */
  cpuTargetMs: number | null;
  cpuMet: boolean | null;
}

export interface BenchReport {
  date: string;
  db: BenchOptions['db'];
  commit: string;
  node: string;
  cpu: string;
  cores: number;
  loadAverage: number[];
  sizes: { members: number; entities: number; groups: number; seed: number };
  settings: { connections: number; duration: number; warmup: number; smoke: boolean };
  seededInSeconds: number | null;
  peakRssMb: number;
  targets: { p99Ms: number; homeFeedRatio: number; rssMb: number };
  pages: PageResult[];
}

export function machine(): Pick<BenchReport, 'commit' | 'node' | 'cpu' | 'cores' | 'loadAverage'> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (dirty) commit += '+changes';
  } catch {
    /* not a git checkout */
  }
  const cpus = os.cpus();
  return {
    commit,
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

export function pageResult(
  page: { name: string; method: 'GET' | 'POST'; path: string; as: string },
  bytes: number,
  onWire: { bytes: number; encoding: string },
  aloneMs: number,
  m: Measure,
  f: Measure,
): PageResult {
  const cpu = m.cpuSeconds ?? NaN;
  const cpuMsPerRequest = Number.isFinite(cpu) && m.requests > 0 ? round((cpu * 1000) / m.requests, 2) : null;
  const cpuTargetMs = TARGET_CPU_MS[page.name] ?? null;
  return {
    ...page,
    bytes,
    wireBytes: onWire.bytes,
    encoding: onWire.encoding,
    cpuMsPerRequest,
    reqPerSec: round(m.reqPerSec, 1),
    p50: m.requests > 0 ? m.p50 : null,
    p99: m.requests > 0 ? m.p99 : null,
    aloneMs,
    requests: m.requests,
    timeouts: m.timeouts,
    fallback: !!m.fallback,
    unexpected: m.unexpected,
    statuses: m.statuses,
    floor: { reqPerSec: round(f.reqPerSec, 1), p50: f.p50, p99: f.p99, requests: f.requests },
    ratio: f.reqPerSec > 0 ? round(m.reqPerSec / f.reqPerSec, 4) : 0,
    p99Met: m.requests > 0 && m.timeouts === 0 && m.p99 < TARGET_P99_MS,
    cpuTargetMs,
    cpuMet: cpuTargetMs === null || cpuMsPerRequest === null ? null : cpuMsPerRequest <= cpuTargetMs,
  };
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;
const fmt = (v: number, digits = 0): string => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const cpuCell = (p: PageResult): string => (p.cpuTargetMs === null ? '—' : `≤ ${fmt(p.cpuTargetMs, 1)}: ${p.cpuMet ? 'met' : 'not met'}`);

/** The Markdown table (also printed on stdout) with the run's context under it. */
export function table(r: BenchReport): string {
  const rows = [
    '| Page | req/s | p50 ms | p99 ms | alone ms | CPU ms/req | bytes | on the wire | floor req/s | ratio | p99 < 50 ms | CPU target | non-2xx / errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |',
    ...r.pages.map(
      (p) =>
        `| ${p.name}${p.fallback ? ' ¹' : ''} | ${fmt(p.reqPerSec, 1)} | ${p.p50 === null ? '—' : fmt(p.p50)} | ${p.p99 === null ? '—' : fmt(p.p99)} | ${fmt(p.aloneMs)} | ${p.cpuMsPerRequest === null ? '—' : fmt(p.cpuMsPerRequest, 2)} | ${fmt(p.bytes)} | ${fmt(p.wireBytes)}${p.encoding === 'identity' ? '' : ` ${p.encoding}`} | ${fmt(p.floor.reqPerSec)} | ${(p.ratio * 100).toFixed(1)}% | ${p.p99Met ? 'yes' : 'no'} | ${cpuCell(p)} | ${p.unexpected}${p.timeouts ? ` (${p.timeouts} timeouts)` : ''} |`,
    ),
  ];
  const home = r.pages.find((p) => p.name === 'home feed');
  const notes = [
    '',
    `"alone": median of 5 requests one at a time. "CPU ms/req": the server's utime + stime (/proc) over the measured run per request answered. "on the wire": the body as sent to a browser accepting br and gzip. ${r.pages.some((p) => p.fallback) ? '¹ nothing answered within the run: measured on one request per connection. ' : ''}A timeout is a request unanswered after 30 s.`,
    `${r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, one process; ${fmt(r.sizes.members)} members, ${fmt(r.sizes.entities)} entities, ${fmt(r.sizes.groups)} groups (seed ${r.sizes.seed}); ${r.settings.connections} connections, ${r.settings.duration} s per page after ${r.settings.warmup} s of warm-up${r.settings.smoke ? ' (smoke run)' : ', every page warmed up once before the first is measured'}.`,
    `Server peak RSS ${fmt(r.peakRssMb)} MB (target < ${TARGET_RSS_MB} MB: ${r.peakRssMb < TARGET_RSS_MB ? 'met' : 'not met'})${home ? `; home feed at ${(home.ratio * 100).toFixed(1)}% of the floor (target ≥ ${TARGET_HOME_RATIO * 100}%: ${home.ratio >= TARGET_HOME_RATIO ? 'met' : 'not met'})` : ''}.`,
    `${r.date}, commit ${r.commit}, Node ${r.node}, ${r.cpu} × ${r.cores}, load average at start ${r.loadAverage.join(' / ')} (1 / 5 / 15 min).`,
  ];
  return [...rows, ...notes].join('\n');
}

/** Writes bench/results/<date>-<db>.json and replaces the table block in docs/performance.md. */
export function writeReport(r: BenchReport): string[] {
  const written: string[] = [];
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.date.slice(0, 10)}-${r.db}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  written.push(file);
  const doc = path.join(REPO_ROOT, 'docs', 'performance.md');
  const open = `<!-- bench:table:${r.db} -->`;
  const close = `<!-- /bench:table:${r.db} -->`;
  const block = `${open}\n${table(r)}\n${close}`;
  let text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '# Performance\n';
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + close.length);
  else text = text.replace(/\n*$/, '\n\n') + `### ${r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}\n\n${block}\n`;
  fs.writeFileSync(doc, text);
  written.push(doc);
  return written;
}
