/**
 * Options of `npm run bench` (bench/run.ts): flags after `npm run bench --`, with
 * environment fallbacks for CI (BENCH_DB, BENCH_POSTGRES_URL, BENCH_DURATION, ...).
 */
import path from 'node:path';

export type BenchDb = 'sqlite' | 'postgres';

export interface BenchOptions {
  db: BenchDb;
  postgresUrl: string;
  /** PostgreSQL database name; default `ruche_bench_<members>_<entities>_<groups>_<seed>` (kept for reuse). */
  pgDatabase: string;
  members: number;
  entities: number;
  groups: number;
  seed: number;
  /** Seconds measured per page. */
  duration: number;
  /** Seconds of warm-up per page (every response checked). */
  warmup: number;
  connections: number;
  /** Page names to run (empty: every page of bench-targets.json, and the login). */
  pages: string[];
  smoke: boolean;
  /** Write bench/results/<date>-<db>.json and the table in docs/performance.md. */
  write: boolean;
  /** Also write the JSON report to this file (works with --no-write). */
  json?: string;
  /** Where seeded sites are kept: bench/.data by default. */
  dataRoot: string;
  /** Remove the site (and drop the PostgreSQL database) after the run. */
  drop: boolean;
  /** Delete and seed again a site seeded by other seed code (else the bench stops and says what changed; smoke sites always). */
  reseed: boolean;
  /** `ruche start --workers N` (1: one process). */
  workers: number;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const USAGE = `npm run bench -- [options]

  --db sqlite|postgres     database (default sqlite; postgres uses --postgres-url or BENCH_POSTGRES_URL)
  --postgres-url <url>     server where the role may CREATE DATABASE (default postgres://ruche:ruche@127.0.0.1:5432/postgres)
  --pg-database <name>     database to use (default ruche_bench_<members>_<entities>_<groups>_<seed>, kept for reuse)
  --members <n>            seeded members (default 10000)
  --entities <n>           seeded entities (default 300000)
  --groups <n>             seeded groups (default 1000)
  --seed <n>               random seed (default 1)
  --duration <s>           seconds measured per page (default 10)
  --warmup <s>             seconds of warm-up per page, every response checked (default 2)
  --connections <n>        concurrent connections (default 20)
  --pages a,b              only these pages (names as in bench-targets.json, "login", or a path such as /account/password)
  --smoke                  tiny data (40 members, 400 entities, 8 groups), 1 s per page, 2 connections
  --no-write               do not write bench/results/ nor docs/performance.md
  --json <file>            also write the JSON report there
  --data-root <dir>        where seeded sites are kept (default bench/.data)
  --drop                   remove the site (and drop the PostgreSQL database) afterwards
  --reseed                 seed again a site seeded by other seed code (without it the bench stops and says what changed)
  --workers <n>            serve with \`ruche start --workers n\` (default 1)
`;

const DEFAULT_PG = 'postgres://ruche:ruche@127.0.0.1:5432/postgres';

function int(name: string, v: string | undefined, min = 0): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number ≥ ${min}, got ${v ?? 'nothing'}`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}\n\n${USAGE}`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (['smoke', 'no-write', 'drop', 'reseed', 'help'].includes(name)) flags.set(name, true);
    else if (eq > 0) flags.set(name, a.slice(eq + 1));
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, v);
    }
  }
  if (flags.has('help')) throw new Error(USAGE);
  const known = new Set([
    'db',
    'postgres-url',
    'pg-database',
    'members',
    'entities',
    'groups',
    'seed',
    'duration',
    'warmup',
    'connections',
    'pages',
    'smoke',
    'no-write',
    'json',
    'data-root',
    'drop',
    'reseed',
    'workers',
  ]);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}\n\n${USAGE}`);
  const get = (name: string, envName: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : env[envName] || undefined;
  };
  const smoke = flags.has('smoke') || env.BENCH_SMOKE === '1';
  const db = (get('db', 'BENCH_DB') ?? 'sqlite') as BenchDb;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db: sqlite or postgres, not ${db}`);
  const members = int('members', get('members', 'BENCH_MEMBERS') ?? (smoke ? '40' : '10000'), 2);
  const entities = int('entities', get('entities', 'BENCH_ENTITIES') ?? (smoke ? '400' : '300000'), 1);
  const groups = int('groups', get('groups', 'BENCH_GROUPS') ?? (smoke ? '8' : '1000'), 1);
  const seed = int('seed', get('seed', 'BENCH_SEED') ?? '1');
  const pages = (get('pages', 'BENCH_PAGES') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const json = get('json', 'BENCH_JSON');
  return {
    db,
    postgresUrl: get('postgres-url', 'BENCH_POSTGRES_URL') ?? DEFAULT_PG,
    pgDatabase: get('pg-database', 'BENCH_PG_DATABASE') ?? `ruche_bench_${members}_${entities}_${groups}_${seed}`,
    members,
    entities,
    groups,
    seed,
    duration: int('duration', get('duration', 'BENCH_DURATION') ?? (smoke ? '1' : '10'), 0.1),
    warmup: int('warmup', get('warmup', 'BENCH_WARMUP') ?? (smoke ? '0.5' : '2'), 0.1),
    connections: int('connections', get('connections', 'BENCH_CONNECTIONS') ?? (smoke ? '2' : '20'), 1),
    pages,
    smoke,
    write: !flags.has('no-write') && env.BENCH_NO_WRITE !== '1',
    json: json ? path.resolve(json) : undefined,
    dataRoot: path.resolve(get('data-root', 'BENCH_DATA_ROOT') ?? path.join(REPO_ROOT, 'bench', '.data')),
    drop: flags.has('drop'),
    reseed: flags.has('reseed'),
    workers: int('workers', get('workers', 'BENCH_WORKERS') ?? '1', 1),
  };
}

/** The folder of a seeded site: <dataRoot>/<db>-m<members>-e<entities>-g<groups>-s<seed>. */
export function siteDir(o: BenchOptions): string {
  return path.join(o.dataRoot, `${o.db}-m${o.members}-e${o.entities}-g${o.groups}-s${o.seed}`);
}
