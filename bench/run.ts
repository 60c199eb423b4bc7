/**
 * `npm run bench`: Ruche's pages at real size. Seeds (once, cached under bench/.data) a site
 * with `ruche seed --bench`, starts `ruche start` on 127.0.0.1 and a bare Koa floor server,
 * each in its own process, then drives every page of bench-targets.json as its signed-in
 * member, and the login, with autocannon from this process; each page is followed by the
 * floor answering as many bytes. Prints a table; writes bench/results/<date>-<db>.json and
 * the table in docs/performance.md (unless --no-write). Options: bench/lib/options.ts.
 *
 *   npm run bench
 *   npm run bench -- --db postgres --pages "home feed,login" --duration 5
 *   npm run bench -- --smoke --no-write
 */
import { cpuSeconds } from './lib/cpu';
import { alone, check, drive, driveFloor, warmUp, wire, type Scenario } from './lib/drive';
import { floorUrl, startFloor } from './lib/floor';
import { parseOptions, USAGE, type BenchOptions } from './lib/options';
import { machine, pageResult, table, writeReport, type BenchReport, type PageResult } from './lib/report';
import { killAll, startRuche, type ChildServer } from './lib/server';
import { loginForm, signIn } from './lib/sessions';
import { runMain } from './lib/main';
import { ensureSite, removeSite } from './lib/site';
import fs from 'node:fs';
import path from 'node:path';

const t0 = Date.now();
const log = (line: string): void => void process.stdout.write(line ? `[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n` : '\n');

export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const context = machine();
  const started = new Date();
  log(`bench: ${o.db}, load average ${context.loadAverage.join(' / ')}, ${context.cpu} × ${context.cores}, Node ${context.node}`);
  const site = await ensureSite(o, log);
  const servers: ChildServer[] = [];
  try {
    const ruche = await startRuche(site.dir, o.workers);
    servers.push(ruche);
    const floor = await startFloor();
    servers.push(floor);
    log(`ruche on ${ruche.url}${o.workers > 1 ? ` (${o.workers} workers)` : ''}, floor on ${floor.url}`);
    const t = site.targets;
    const wanted = (name: string) => !o.pages.length || o.pages.includes(name);
    // A path in --pages ("/account/password") is measured as the first page's member sees it.
    const adHoc = o.pages.filter((n) => n.startsWith('/')).map((path) => ({ name: path, path, as: t.pages[0].as, type: undefined }));
    const unknown = o.pages.filter((n) => n !== 'login' && !n.startsWith('/') && !t.pages.some((p) => p.name === n));
    if (unknown.length)
      throw new Error(`no such page in bench-targets.json: ${unknown.join(', ')} (pages: ${t.pages.map((p) => p.name).join(', ')}, login)`);

    const cookies = new Map<string, string>();
    const scenarios: (Scenario & { path: string; as: string })[] = [];
    for (const p of [...t.pages.filter((p) => wanted(p.name)), ...adHoc]) {
      if (!cookies.has(p.as)) cookies.set(p.as, await signIn(ruche.url, p.as, t.password));
      const type = p.type ?? (p.path.startsWith('/api/') ? 'application/json' : 'text/html');
      scenarios.push({
        name: p.name,
        url: ruche.url + p.path,
        path: p.path,
        as: p.as,
        method: 'GET',
        // As a browser asks: compressed answers are what the server's CPU and the wire carry.
        headers: {
          cookie: cookies.get(p.as)!,
          accept: type === 'application/json' ? 'application/json' : 'text/html',
          'accept-encoding': 'br, gzip',
        },
        status: 200,
        type,
      });
    }
    if (wanted('login')) {
      // Successful sign-ins are never throttled (core/auth/throttle.ts counts failures only),
      // so one member signs in again and again; each answer is a 303 with a new session.
      const form = await loginForm(ruche.url, t.login.username, t.password);
      scenarios.push({
        name: 'login',
        url: `${ruche.url}/login`,
        path: '/login',
        as: t.login.username,
        method: 'POST',
        headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.body,
        status: 303,
      });
    }

    const settings = { connections: o.connections, duration: o.duration, warmup: o.warmup };
    // One warm-up round over every page before the first is measured: a server just started
    // compiles (V8's optimising compiler runs on its own threads, counted in the server's CPU),
    // grows its heap and fills its caches on whatever it serves first, so without it the first
    // page measured paid for the code every page shares. The login is left out (it only signs in);
    // a smoke run (npm test) measures nothing worth warming for.
    const round = scenarios.filter((s) => s.name !== 'login');
    if (!o.smoke && round.length > 1) {
      for (const s of round) await warmUp(s, settings);
      log(`warmed up: ${round.length} pages, ${o.warmup} s each`);
    }
    const pages: PageResult[] = [];
    for (const s of scenarios) {
      const bytes = await check(s);
      const onWire = await wire(s);
      const single = await alone(s);
      const m = await drive(s, settings, () => cpuSeconds(ruche.child.pid));
      const f = await driveFloor(floorUrl(floor, bytes), settings);
      const r = pageResult({ name: s.name, method: s.method, path: s.path, as: s.as }, bytes, onWire, single, m, f);
      pages.push(r);
      log(
        `  ${s.name}: ${r.reqPerSec} req/s, p50 ${r.p50 ?? '—'} ms, p99 ${r.p99 ?? '—'} ms, alone ${single} ms, CPU ${r.cpuMsPerRequest ?? '—'} ms/req, ${bytes} bytes (${r.wireBytes} ${r.encoding} on the wire); floor ${r.floor.reqPerSec} req/s (${(r.ratio * 100).toFixed(1)}%)${r.unexpected ? `; ${r.unexpected} unexpected ${JSON.stringify(r.statuses)}, ${r.timeouts} timeouts` : ''}${r.fallback ? ' (one request per connection)' : ''}; server peak RSS so far ${Math.round(ruche.peakRssMb())} MB`,
      );
    }
    const report: BenchReport = {
      date: started.toISOString(),
      db: o.db,
      ...context,
      sizes: { members: o.members, entities: o.entities, groups: o.groups, seed: o.seed },
      settings: { connections: o.connections, duration: o.duration, warmup: o.warmup, smoke: o.smoke },
      seededInSeconds: site.seededIn === undefined ? null : Math.round(site.seededIn * 10) / 10,
      peakRssMb: Math.round(ruche.peakRssMb()),
      targets: { p99Ms: 50, homeFeedRatio: 0.2, rssMb: 250 },
      pages,
    };
    return report;
  } finally {
    for (const s of servers) await s.stop();
    if (o.drop) await removeSite(o);
  }
}

async function main(): Promise<void> {
  let o: BenchOptions;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit((e as Error).message === USAGE ? 0 : 2);
  }
  const stop = (signal: string) => {
    process.stderr.write(`bench: ${signal}, stopping the servers\n`);
    killAll();
    process.exit(130);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Bounded: seeding has its own limit (bench/lib/site.ts); each page at most warm-up,
  // run and floor plus a minute of checks and limits.
  const budget = 45 * 60 + 12 * (o.warmup + 2 * o.duration + 1 + 60);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${budget} s, giving up\n`);
    killAll();
    process.exit(3);
  }, budget * 1000);
  watchdog.unref();
  const report = await runBench(o);
  process.stdout.write(`\n${table(report)}\n`);
  if (o.json) {
    fs.mkdirSync(path.dirname(o.json), { recursive: true });
    fs.writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n');
  }
  if (o.write) for (const f of writeReport(report)) process.stdout.write(`wrote ${f}\n`);
}

if (require.main === module) runMain('bench', main, killAll);
