/**
 * Installed templates: a site installed once per distinct install input, copied into each
 * test's fresh database instead of running every migration again (docs/testing.md).
 *
 * The second test of a process with a given input installs the slow way (the first may have
 * an input of its own, never seen again), then its freshly installed database (before any app
 * runs on it) becomes the template: a copy of the SQLite file, or
 * `CREATE DATABASE ruche_tpl_… TEMPLATE <its database>` on PostgreSQL. Later tests with the same
 * input get a copy: the file copied into their empty data dir, or their database created from
 * the template (the empty one renamed aside, for the next fresh database: tests/helpers/databases.ts). A copy appears whole or not at all (a renamed file, one
 * CREATE DATABASE), so concurrent ava workers never use one half made; two workers may both make
 * one at the very start, the second is then ignored.
 *
 * The key is a hash of the compiled code (dist/core, dist/plugins, dist/config), the plugin folders
 * the config names, the config (its data dir and database left out) and the install options, so a
 * rebuild never uses an older template. Templates also age out: a key carries a 15-minute period,
 * so a copied site's rows (the admin, `installed_at`) are never older than that, and templates of
 * periods before the last are removed (in the background) when a process first looks for one. Install writes no secret
 * or random id (the admin's password salt is the one random value, and it is only a salt), so
 * copies stay as isolated as fresh installs.
 *
 * Anything that cannot be keyed safely keeps the slow path: plugin or theme folders outside the
 * repository (temp plugins), a config naming other temp paths, a database used before the install,
 * or an install that writes files to the data dir. RUCHE_TEST_TEMPLATES=0 turns templates off.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { InstallOptions, RucheConfig } from '../../core';
import {
  keepSpare,
  POSTGRES_URL_ENV,
  quoteIdent,
  setAsideEmpty,
  TEMPLATE_PERIOD_MS,
  templatePeriod,
  withAdminClient,
  type PgError,
  type TestDatabase,
} from './databases';

export const TEMPLATES_ENV = 'RUCHE_TEST_TEMPLATES';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST_ROOT = path.resolve(__dirname, '..', '..');
const SQLITE_DIR = path.join(os.tmpdir(), 'ruche-templates');
const SQLITE_FILE = 'ruche.sqlite';
const PG_PREFIX = 'ruche_tpl_';

/** Whether templates are on (the default); RUCHE_TEST_TEMPLATES=0 (or false, off) turns them off. */
export function templatesEnabled(): boolean {
  const v = (process.env[TEMPLATES_ENV] ?? '').toLowerCase();
  return v !== '0' && v !== 'false' && v !== 'off';
}

/**
 * Installs a site on `db` through a template: copies it when one exists for this input (true),
 * else runs `slowInstall` (which must leave the database closed) and keeps its result as the
 * template for the next tests. False only when the input cannot be templated and `slowInstall`
 * has not run.
 */
export async function installWithTemplate(
  db: TestDatabase,
  config: RucheConfig,
  options: InstallOptions,
  slowInstall: () => Promise<void>,
): Promise<boolean> {
  if (!templatesEnabled()) return false;
  const key = templateKey(db, config, options);
  if (!key || !(await untouched(db))) return false;
  const name = `${key}_${templatePeriod()}`;
  removeOldTemplates();
  // Tests of one file run concurrently: once one makes the template, the others wait for it
  // rather than install too.
  for (;;) {
    const pending = making.get(name);
    if (pending) await pending.catch(() => undefined);
    if (await copyTemplate(db, name)) {
      templateCopies++;
      return true;
    }
    if (!making.has(name)) break; // else another test began making it while this one looked
  }
  // An input seen once may be one test's own (a provider's random port in the config): a
  // template is made from its second install in this process on.
  if (!seen.has(name)) {
    seen.add(name);
    await slowInstall();
    return true;
  }
  const made = (async () => {
    await slowInstall();
    await keepAsTemplate(db, name);
  })();
  making.set(name, made);
  try {
    await made;
  } finally {
    making.delete(name);
  }
  return true;
}

const seen = new Set<string>();

let templateCopies = 0;

/** How many installs of this process were template copies (tests/harness/templates). */
export const templateCopiesMade = (): number => templateCopies;
const making = new Map<string, Promise<void>>();

// --- the key ---------------------------------------------------------------

let codeHash: string | undefined;

/** A hash of the compiled code install runs, computed once per process. */
function compiledCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  for (const dir of ['core', 'plugins', 'config']) hashTree(hash, path.join(DIST_ROOT, dir), (f) => f.endsWith('.js'));
  return (codeHash = hash.digest('hex'));
}

function hashTree(hash: ReturnType<typeof createHash>, dir: string, keep: (file: string) => boolean): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') hashTree(hash, full, keep);
    } else if (e.isFile() && keep(full)) {
      hash.update(path.relative(DIST_ROOT, full)).update('\0').update(fs.readFileSync(full)).update('\0');
    }
  }
}

const insideRepo = (dir: string): boolean => dir.startsWith(REPO_ROOT + path.sep);

/** The key of this install input, or undefined when it cannot be shared safely. */
function templateKey(db: TestDatabase, config: RucheConfig, options: InstallOptions): string | undefined {
  if (config.databaseUrl !== db.url && !(db.kind === 'postgres' && samePostgresUrl(config.databaseUrl, db.url))) return undefined;
  if (config.dataDir !== db.dataDir) return undefined;
  if (![...config.plugins.dirs, ...config.themes.dirs].every(insideRepo)) return undefined;
  const described = JSON.stringify(config).split(db.url).join('<database>').split(db.dataDir).join('<data>');
  if (described.includes(os.tmpdir())) return undefined; // another temp path: maybe per test
  const hash = createHash('sha256').update(compiledCodeHash()).update(db.kind).update(described).update(JSON.stringify(options));
  for (const dir of config.plugins.dirs) hashTree(hash, dir, () => true);
  return hash.digest('hex').slice(0, 20);
}

function samePostgresUrl(a: string, b: string): boolean {
  try {
    return new URL(a).toString() === new URL(b).toString();
  } catch {
    return false;
  }
}

// --- SQLite and PostgreSQL copies ------------------------------------------

/**
 * Whether nothing has been written yet: an empty data dir, and (PostgreSQL) a database never
 * connected to, still the size of template0 (a first connection alone writes a cache file).
 */
async function untouched(db: TestDatabase): Promise<boolean> {
  if ((await readdir(db.dataDir)).length > 0) return false;
  if (db.kind === 'sqlite') return true;
  const result = (await withAdminClient(adminUrl(), (c) =>
    c.query(`SELECT pg_database_size('${postgresName(db.url)}') = pg_database_size('template0') AS empty`),
  )) as { rows: { empty: boolean }[] };
  return result.rows[0]?.empty === true;
}

/** Copies the template `name` into `db` when it exists; false when it does not. */
async function copyTemplate(db: TestDatabase, name: string): Promise<boolean> {
  if (db.kind === 'sqlite') {
    try {
      await copyFile(path.join(SQLITE_DIR, `${name}.sqlite`), path.join(db.dataDir, SQLITE_FILE));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }
  const template = PG_PREFIX + name;
  const found = (await withAdminClient(adminUrl(), (c) => c.query(`SELECT 1 FROM pg_database WHERE datname = '${template}'`))) as {
    rowCount: number;
  };
  if (found.rowCount === 0) return false;
  // The test's empty database steps aside (a rename, where DROP DATABASE would wait for a
  // checkpoint) and is kept for the next fresh database of this process.
  const target = postgresName(db.url);
  const spare = await setAsideEmpty(target);
  await withAdminClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${quoteIdent(target)} TEMPLATE ${quoteIdent(template)}`));
  keepSpare(spare);
  return true;
}

/** Keeps the freshly installed (and closed) `db` as the template `name`, unless install wrote files. */
async function keepAsTemplate(db: TestDatabase, name: string): Promise<void> {
  const written = await readdir(db.dataDir);
  if (db.kind === 'sqlite') {
    if (written.some((f) => f !== SQLITE_FILE && f !== `${SQLITE_FILE}-wal` && f !== `${SQLITE_FILE}-shm`)) return;
    if (written.includes(`${SQLITE_FILE}-wal`)) return; // not checkpointed: the file alone is not the site
    await mkdir(SQLITE_DIR, { recursive: true });
    const part = path.join(SQLITE_DIR, `${name}.${randomBytes(6).toString('hex')}.part`);
    await copyFile(path.join(db.dataDir, SQLITE_FILE), part);
    await rename(part, path.join(SQLITE_DIR, `${name}.sqlite`));
    return;
  }
  if (written.length > 0) return;
  try {
    await withAdminClient(adminUrl(), (c) => c.query(`CREATE DATABASE ${quoteIdent(PG_PREFIX + name)} TEMPLATE ${quoteIdent(postgresName(db.url))}`));
  } catch (e) {
    // Another worker made it first: 42P04 when it had finished, 23505 (pg_database's unique name
    // index) when both were creating it at once.
    const code = (e as PgError).code;
    if (code !== '42P04' && code !== '23505') throw e;
  }
}

let cleaned = false;

/**
 * Removes templates and spares of periods before the last (older builds' too), once per
 * process, in the background (each DROP DATABASE waits for a checkpoint); on PostgreSQL one
 * process at a time (an advisory lock), and without FORCE: one being copied stays for later.
 */
function removeOldTemplates(): void {
  if (cleaned) return;
  cleaned = true;
  const current = Math.floor(Date.now() / TEMPLATE_PERIOD_MS);
  // `<key>_<period>` (templates) and `spare_<period>_<hex>` (databases set aside)
  const old = (n: string): boolean => {
    const period = parseInt(n.split('_')[1] ?? '', 36);
    return Number.isFinite(period) && period < current - 1;
  };
  void (async () => {
    for (const f of await readdir(SQLITE_DIR).catch(() => [] as string[])) {
      if (old(f.split('.')[0])) await rm(path.join(SQLITE_DIR, f), { force: true });
    }
    if (!process.env[POSTGRES_URL_ENV]) return;
    await withAdminClient(adminUrl(), async (c) => {
      const locked = (await c.query(`SELECT pg_try_advisory_lock(${CLEAN_LOCK}) AS ok`)) as { rows: { ok: boolean }[] };
      if (!locked.rows[0]?.ok) return; // another process is at it; the lock ends with its connection
      const found = (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE '${PG_PREFIX}%'`)) as { rows: { datname: string }[] };
      for (const { datname } of found.rows) {
        if (old(datname.slice(PG_PREFIX.length))) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)}`).catch(() => undefined);
      }
    });
  })().catch(() => undefined);
}

// An arbitrary advisory lock number for the clean-up ("ruche tpl").
const CLEAN_LOCK = 72_617_365;

function adminUrl(): string {
  return process.env[POSTGRES_URL_ENV] as string;
}

function postgresName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
