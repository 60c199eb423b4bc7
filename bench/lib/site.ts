/**
 * The bench site: `ruche install` then `ruche seed --bench` in
 * <dataRoot>/<db>-m<members>-e<entities>-g<groups>-s<seed>/ (its own config/local.json and
 * data/), kept between runs so a second run does not seed again. On PostgreSQL the database
 * `ruche_bench_<members>_<entities>_<groups>_<seed>` is created and kept too.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { REPO_ROOT, siteDir, type BenchOptions } from './options';
import { RUCHE_BIN, runNode } from './proc';
import type { BenchPage, BenchTargets as SeedTargets } from '../../seeding/bench/targets';

/** One page of `<dataDir>/bench-targets.json`, as `ruche seed --bench` writes it. */
export interface TargetPage extends BenchPage {
  /** Expected content type (default: JSON under /api/, HTML elsewhere). */
  type?: string;
}

export interface BenchTargets extends Omit<SeedTargets, 'pages'> {
  pages: TargetPage[];
}

export interface Site {
  dir: string;
  dataDir: string;
  configFile: string;
  databaseUrl: string;
  targets: BenchTargets;
  /** Seconds spent seeding in this run (undefined: the cached site was reused). */
  seededIn?: number;
}

const ADMIN_PASSWORD = 'violet staple engine 2026';
const INSTALL_TIMEOUT = 5 * 60_000;
/** The seed's and the reindex's time limit: 40 minutes at the default size, in proportion beyond (a 1,000,000-entity seed took 14 min on an idle machine, 40+ on a busy one). */
const seedTimeout = (entities: number): number => Math.max(40, Math.ceil((40 * entities) / 300_000)) * 60_000;

function pgUrl(o: BenchOptions, database: string): string {
  const u = new URL(o.postgresUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

async function pgExists(o: BenchOptions): Promise<boolean> {
  return withPg(o.postgresUrl, async (c) => (await c.query('select 1 from pg_database where datname = $1', [o.pgDatabase])).rowCount === 1);
}

export async function dropPgDatabase(o: BenchOptions): Promise<void> {
  await withPg(o.postgresUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(o.pgDatabase)} WITH (FORCE)`));
}

async function createPgDatabase(o: BenchOptions): Promise<void> {
  await dropPgDatabase(o);
  const base = `CREATE DATABASE ${ident(o.pgDatabase)} TEMPLATE template0 ENCODING 'UTF8'`;
  await withPg(o.postgresUrl, async (c) => {
    try {
      await c.query(`${base} LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    } catch {
      await c.query(`${base} LC_COLLATE 'C' LC_CTYPE 'C'`);
    }
  });
}

function readTargets(file: string): BenchTargets | undefined {
  try {
    const t = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchTargets;
    return Array.isArray(t.pages) && typeof t.password === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The compiled seed code (the seeding kit and the plugins' seeders): each file's hash, by its path under dist/. */
function seedFiles(): Map<string, string> {
  const dist = path.join(REPO_ROOT, 'dist');
  const files = [
    ...(fs.readdirSync(path.join(dist, 'seeding'), { recursive: true }) as string[]).map((f) => path.join('seeding', f)),
    ...fs
      .readdirSync(path.join(dist, 'plugins'))
      .map((p) => path.join('plugins', p, 'seed.js'))
      .filter((f) => fs.existsSync(path.join(dist, f))),
  ]
    .filter((f) => f.endsWith('.js'))
    .sort();
  return new Map(
    files.map((f) => [
      f,
      createHash('sha256')
        .update(fs.readFileSync(path.join(dist, f)))
        .digest('hex')
        .slice(0, 12),
    ]),
  );
}

/**
 * What `seed-version` holds: a hash of the compiled seed code on its first line (a cached site
 * seeded by other code is not reused as it is), then each file's hash, which says what changed.
 */
interface SeedVersion {
  hash: string;
  files: Map<string, string>;
}

export function currentSeedVersion(): SeedVersion {
  let files: Map<string, string>;
  try {
    files = seedFiles();
  } catch {
    return { hash: 'unknown', files: new Map() };
  }
  const h = createHash('sha256');
  for (const f of files.keys()) h.update(f).update(fs.readFileSync(path.join(REPO_ROOT, 'dist', f)));
  return { hash: h.digest('hex').slice(0, 16), files };
}

const seedVersionText = (v: SeedVersion): string => [v.hash, ...[...v.files].map(([f, h]) => `${h} ${f}`)].join('\n') + '\n';

function readSeedVersion(file: string): SeedVersion | undefined {
  if (!fs.existsSync(file)) return undefined;
  const [hash = '', ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const files = new Map(lines.map((l) => [l.slice(l.indexOf(' ') + 1), l.slice(0, l.indexOf(' '))] as const));
  return { hash: hash.trim(), files };
}

/** The seed code files added, changed or removed since `was`; null when `was` does not list its files (written by an older bench or by hand). */
export function seedCodeChanges(was: SeedVersion, now: SeedVersion): string[] | null {
  if (!was.files.size) return null;
  const changes: string[] = [];
  for (const [f, h] of now.files) if (was.files.get(f) !== h) changes.push(`${was.files.has(f) ? 'changed' : 'added'}: dist/${f}`);
  for (const f of was.files.keys()) if (!now.files.has(f)) changes.push(`removed: dist/${f}`);
  return changes;
}

/** Thrown when a seeded site would be deleted and seeded again without `--reseed`: its message says why and what to do. */
export class ReseedRefused extends Error {}

function reseedRefused(dir: string, was: SeedVersion | undefined, now: SeedVersion): ReseedRefused {
  const changes = was && seedCodeChanges(was, now);
  const what = changes ? changes.map((c) => `  ${c}`).join('\n') : '  (the site does not record which files: its seed-version holds the hash only)';
  return new ReseedRefused(
    [
      `The seed code changed since ${dir} was seeded (seed-version ${was?.hash || 'missing'}, now ${now.hash}):`,
      what,
      'Seeding again deletes this site and takes 5-20 minutes at the default size: run again with --reseed to do so,',
      'or keep the site and measure with the seed code it was seeded with.',
    ].join('\n'),
  );
}

/** The seeded site for these options: reused when complete, else installed and seeded now. */
export async function ensureSite(o: BenchOptions, log: (line: string) => void): Promise<Site> {
  const dir = siteDir(o);
  const dataDir = path.join(dir, 'data');
  const configFile = path.join(dir, 'config', 'local.json');
  const targetsFile = path.join(dataDir, 'bench-targets.json');
  const databaseUrl = o.db === 'sqlite' ? `sqlite:${path.join(dataDir, 'ruche.sqlite')}` : pgUrl(o, o.pgDatabase);
  const cached = readTargets(targetsFile);
  const versionFile = path.join(dir, 'seed-version');
  const version = currentSeedVersion();
  const seededWith = readSeedVersion(versionFile);
  const sameCode = seededWith?.hash === version.hash;
  const matches = cached && cached.members === o.members && cached.entities === o.entities && cached.groups === o.groups && cached.seed === o.seed;
  if (matches && !sameCode) {
    // A seeded site is long to seed again: only a smoke site (tiny) or --reseed lets it go.
    if (!o.smoke && !o.reseed) throw reseedRefused(dir, seededWith, version);
    log(`the seed code changed since ${dir} was seeded: seeding again`);
  }
  if (matches && sameCode && fs.existsSync(configFile) && (o.db === 'sqlite' || (await pgExists(o)))) {
    log(`reusing the seeded site ${dir}`);
    // Its seed-version holds the hash only (an older bench, a copied site): the same code, so its files are these.
    if (!seededWith.files.size && version.files.size) fs.writeFileSync(versionFile, seedVersionText(version));
    // A site seeded by an older checkout: bring its schema up to date (nothing when it is).
    await runNode([RUCHE_BIN, 'migrate'], dir, INSTALL_TIMEOUT);
    return { dir, dataDir, configFile, databaseUrl, targets: cached };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  if (o.db === 'postgres') await createPgDatabase(o);
  log(`installing Ruche in ${dir} (${o.db === 'sqlite' ? 'SQLite' : `PostgreSQL database ${o.pgDatabase}`})…`);
  await runNode(
    [
      RUCHE_BIN,
      'install',
      '--yes',
      '--database-url',
      databaseUrl,
      '--data-dir',
      dataDir,
      '--site-name',
      'Ruche bench',
      '--locale',
      'en',
      '--admin-email',
      'admin@bench.example',
      '--admin-password',
      ADMIN_PASSWORD,
      '--admin-username',
      'benchadmin',
    ],
    dir,
    INSTALL_TIMEOUT,
  );
  log(`seeding ${o.members} members, ${o.entities} entities, ${o.groups} groups (seed ${o.seed})…`);
  const t0 = performance.now();
  await runNode(
    [
      RUCHE_BIN,
      'seed',
      '--bench',
      '--members',
      String(o.members),
      '--entities',
      String(o.entities),
      '--groups',
      String(o.groups),
      '--seed',
      String(o.seed),
    ],
    dir,
    seedTimeout(o.entities),
  );
  // The search index is derived data the seeders do not write: built now, as after a restore.
  await runNode([RUCHE_BIN, 'search', 'reindex'], dir, seedTimeout(o.entities));
  const seededIn = (performance.now() - t0) / 1000;
  fs.writeFileSync(versionFile, seedVersionText(version));
  const targets = readTargets(targetsFile);
  if (!targets) throw new Error(`ruche seed --bench did not write ${targetsFile}`);
  log(`seeded in ${seededIn.toFixed(1)} s`);
  return { dir, dataDir, configFile, databaseUrl, targets, seededIn };
}

/** Removes the site folder and (PostgreSQL) its database. */
export async function removeSite(o: BenchOptions): Promise<void> {
  fs.rmSync(siteDir(o), { recursive: true, force: true });
  if (o.db === 'postgres') await dropPgDatabase(o);
}
