/**
 * Two builds of Ruche compared on one machine, alternated (issue 18): each build's `ruche start`
 * serves the same seeded site at once (reads only, the pages of bench-targets.json or paths),
 * and the pages are driven in turn, build after build, round after round, by the bench's client
 * (20 connections, a warm-up, then the measured run; server CPU from /proc). On a shared machine
 * whose load moves between runs, only figures taken this way compare.
 *
 *   node dist/bench/ab-builds.js <site dir> <label=checkout root> <label=checkout root> [pages] [rounds] [seconds]
 *   node dist/bench/ab-builds.js bench/.data/sqlite-m10000-e300000-g1000-s1 old=/tmp/ruche-old new=. "group directory,/account" 3 4
 *
 * A checkout root holds `bin/ruche.js` and its built `dist/` (an older build: `git worktree add`,
 * `npx tsc -b`, node_modules linked). Copy the site first (never a shared original): both servers
 * read it, and sign-ins write sessions. Prints, per page and build, `CPU ms/req / p50 ms / p99 ms`
 * of each round; the first round also warms each process.
 *
 * A build may carry, after `@` and comma-separated: node flags (`new=.@--max-semi-space-size=32`: the
 * same checkout twice compares flags), settings of its environment (`NAME=value`, e.g.
 * `RUCHE_MEMORY__HEAP_GROWTH_PERCENT=50`), and a site of its own (any other item: a directory; two sizes
 * of network by one build, issue 18: a page is then each site's page of that name):
 *
 *   node dist/bench/ab-builds.js - e300k=.@bench/.data/sqlite-m10000-e300000-g1000-s1 e1m=.@bench/.data/sqlite-m10000-e1000000-g1000-s1 home 4 5
 *
 * BENCH_TRACE_GC=1 starts each server with `--trace-gc` and adds, per round, its full collections
 * (Mark-Compact) and scavenges per 1,000 requests of the measured run, with their summed pauses
 * (bench/lib/gc.ts); BENCH_TRACE_GC=<dir> also writes each server's trace there (`<label>.gc.log`:
 * the reasons V8 gives, the heap's sizes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuSeconds } from './lib/cpu';
import { gcBetween, gcCounter, gcPerThousand, type GcTotals } from './lib/gc';
import { drive } from './lib/drive';
import { cleanEnv, killAll } from './lib/proc';
import { startChild, type ChildServer } from './lib/server';
import { signIn } from './lib/sessions';

interface Targets {
  password: string;
  pages: { name: string; path: string; as: string }[];
}

async function main(): Promise<void> {
  const [siteArg, ...rest] = process.argv.slice(2);
  const builds = rest
    .filter((a) => /^[\w-]+=/.test(a))
    .map((a) => {
      const [root, extras = ''] = a.slice(a.indexOf('=') + 1).split('@');
      const extra = extras ? extras.split(',') : [];
      const isEnv = (f: string): boolean => /^[A-Z_][A-Z0-9_]*=/.test(f);
      const env = Object.fromEntries(extra.filter(isEnv).map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
      const own = extra.find((f) => !f.startsWith('-') && !isEnv(f));
      return {
        label: a.slice(0, a.indexOf('=')),
        root: path.resolve(root),
        site: path.resolve(own ?? siteArg),
        flags: extra.filter((f) => f.startsWith('-')),
        env,
      };
    });
  const traceGc = !!process.env.BENCH_TRACE_GC;
  const gcLogs = traceGc && process.env.BENCH_TRACE_GC !== '1' ? path.resolve(process.env.BENCH_TRACE_GC!) : undefined;
  const [pagesArg = 'topic first page,directory search,group directory,group chooser', rounds = '3', seconds = '4'] = rest.filter(
    (a) => !/^[\w-]+=/.test(a),
  );
  if (!siteArg || builds.length < 2)
    throw new Error('usage: ab-builds <site dir> <label=root[@flags,NAME=value,site dir]> <label=root[@...]> [pages] [rounds] [seconds]');
  const servers: { label: string; server: ChildServer; targets: Targets; cookies: Map<string, string>; gc?: () => GcTotals }[] = [];
  for (const { label, root, site, flags, env } of builds) {
    const targets = JSON.parse(fs.readFileSync(path.join(site, 'data', 'bench-targets.json'), 'utf8')) as Targets;
    const server = await startChild(
      [...flags, ...(traceGc ? ['--trace-gc'] : []), path.join(root, 'bin', 'ruche.js'), 'start', '--port', '0', '--host', '127.0.0.1'],
      site,
      /Ruche is serving (https?:\/\/\S+)/,
      cleanEnv({ RUCHE_LOG__LEVEL: 'warn', RUCHE_JOBS__ENABLED: 'false', ...env }),
      `ruche start (${label})`,
    );
    if (gcLogs) server.child.stdout!.pipe(fs.createWriteStream(path.join(gcLogs, `${label}.gc.log`)));
    servers.push({ label, server, targets, cookies: new Map(), gc: traceGc ? gcCounter(server.child.stdout!).totals : undefined });
  }
  const pageOf = (targets: Targets, name: string): Targets['pages'][number] => {
    const page = name.startsWith('/') ? { name, path: name, as: targets.pages[0].as } : targets.pages.find((p) => p.name === name);
    if (!page) throw new Error(`no such page in bench-targets.json: ${name}`);
    return page;
  };
  const pages = pagesArg.split(',');
  for (const { targets } of servers) pages.forEach((name) => pageOf(targets, name));
  const figures = new Map<string, string[]>();
  const gcMarks: (GcTotals | undefined)[] = [];
  try {
    for (let round = 0; round < Number(rounds); round++) {
      for (const name of pages) {
        // Each round starts with the other build: neither always runs right after the other's load.
        for (const { label, server, targets, cookies, gc } of round % 2 ? [...servers].reverse() : servers) {
          const page = pageOf(targets, name);
          if (!cookies.has(page.as)) cookies.set(page.as, await signIn(server.url, page.as, targets.password));
          const m = await drive(
            {
              name: page.name,
              url: server.url + page.path,
              method: 'GET',
              status: 200,
              type: 'text/html',
              headers: { cookie: cookies.get(page.as)!, accept: 'text/html', 'accept-encoding': 'br, gzip' },
            },
            { connections: 20, duration: Number(seconds), warmup: 1 },
            () => {
              // Read at the measured run's start and end, as the CPU is.
              gcMarks.push(gc?.());
              return cpuSeconds(server.child.pid);
            },
          );
          const key = `${page.name} | ${label}`;
          const [gcBefore, gcAfter] = gcMarks.splice(0);
          const collected = gcBefore && gcAfter ? ` ${gcPerThousand(gcBetween(gcBefore, gcAfter), m.requests)}` : '';
          figures.set(key, [
            ...(figures.get(key) ?? []),
            `${(((m.cpuSeconds ?? NaN) * 1000) / m.requests).toFixed(2)}/${m.p50}/${m.p99}${collected}`,
          ]);
        }
      }
    }
  } finally {
    for (const { server } of servers) await server.stop();
  }
  process.stdout.write(
    `CPU ms/req / p50 ms / p99 ms${traceGc ? ' (full collections and scavenges per 1,000 requests, their pauses)' : ''} per round, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}\n`,
  );
  for (const [key, values] of figures) process.stdout.write(`${key.padEnd(34)} ${values.join('  ')}\n`);
  for (const { label, server, gc } of servers) {
    const kept = gc?.().keptMb ?? [];
    const live = kept.length ? `, heap kept by its full collections ${Math.min(...kept).toFixed(0)}-${Math.max(...kept).toFixed(0)} MB` : '';
    process.stdout.write(`${label}: peak RSS ${server.peakRssMb().toFixed(0)} MB${live}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    killAll();
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
