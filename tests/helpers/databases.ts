// Test databases: one fresh, isolated database per test, for each backend.
//
// SQLite is always tested. PostgreSQL is tested when RUCHE_TEST_POSTGRES_URL
// points at a server where the role may CREATE DATABASE (see docs/testing.md).
// In CI (CI=true) a missing PostgreSQL URL is an error, never a silent skip.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';

export type DbKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: DbKind;
  /** `sqlite:<dir>/ruche.sqlite` or `postgres://user:pass@host:port/ruche_t_<hex>` */
  url: string;
  /** An empty temp directory the test may use as the instance's data dir. */
  dataDir: string;
}

export interface FreshDatabase extends TestDatabase {
  /** Removes the temp dir and (postgres) drops the database. Idempotent. */
  drop(): Promise<void>;
}

export const POSTGRES_URL_ENV = 'RUCHE_TEST_POSTGRES_URL';

/** True when running under CI (CI=true or CI=1). */
export function isCI(): boolean {
  const v = (process.env.CI ?? '').toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}

let skipNoticePrinted = false;

/** Database kinds to test: always sqlite, plus postgres when configured. */
export function databaseKinds(): DbKind[] {
  if (process.env[POSTGRES_URL_ENV]) return ['sqlite', 'postgres'];
  if (isCI()) {
    throw new Error(
      `${POSTGRES_URL_ENV} is not set but CI=true: CI must test PostgreSQL too. ` +
        `Run the suite through .ci/run, which starts PostgreSQL and sets it.`,
    );
  }
  if (!skipNoticePrinted) {
    skipNoticePrinted = true;
    process.stderr.write(`[ruche tests] ${POSTGRES_URL_ENV} not set: PostgreSQL tests are skipped (see docs/testing.md).\n`);
  }
  return ['sqlite'];
}

/** Creates an empty database of the given kind. Always call drop() after. */
export async function freshDatabase(kind: DbKind): Promise<FreshDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ruche-test-'));
  if (kind === 'sqlite') {
    return {
      kind,
      url: `sqlite:${path.join(dataDir, 'ruche.sqlite')}`,
      dataDir,
      drop: once(() => rm(dataDir, { recursive: true, force: true })),
    };
  }

  const adminUrl = postgresAdminUrl();
  // 16 random hex chars: unique across concurrent ava worker processes.
  const name = `ruche_t_${randomBytes(8).toString('hex')}`;
  try {
    if (!(await reuseSpare(adminUrl, name))) await createPostgresDatabase(adminUrl, name);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dataDir,
    drop: once(async () => {
      try {
        // FORCE ends leftover connections; it can still fail for a moment (an autovacuum
        // worker on the new database, a backend still closing): retry, then leave a
        // warning rather than fail the test that used the database.
        for (let attempt = 1; ; attempt++) {
          try {
            await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
            break;
          } catch (e) {
            if (attempt >= 5) {
              process.stderr.write(`[ruche tests] could not drop test database ${name}: ${(e as Error).message}\n`);
              break;
            }
            await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }),
  };
}

/**
 * Registers one ava test per database kind, titled `${title} [${kind}]`.
 * Each run gets a fresh database, dropped afterwards even when the test fails.
 */
export function eachDatabase(title: string, fn: (t: ExecutionContext, db: TestDatabase) => Promise<void>): void {
  for (const kind of databaseKinds()) {
    test(`${title} [${kind}]`, async (t) => {
      const db = await freshDatabase(kind);
      try {
        await fn(t, { kind: db.kind, url: db.url, dataDir: db.dataDir });
      } finally {
        await db.drop();
      }
    });
  }
}

// --- PostgreSQL internals ------------------------------------------------

// `pg` ships no type declarations and @types/pg is not a dependency, so the
// small part used here is typed locally.
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
export interface PgError extends Error {
  code?: string;
}
const pg = require('pg') as { Client: new (config: { connectionString: string }) => PgClient };

function postgresAdminUrl(): string {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) {
    throw new Error(`freshDatabase('postgres') needs ${POSTGRES_URL_ENV} (see docs/testing.md)`);
  }
  return url;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// Errors worth retrying when many workers hit the server at once.
const TRANSIENT_CODES = new Set([
  '55006', // object_in_use (e.g. template busy)
  '53300', // too_many_connections
  '57P03', // cannot_connect_now (server starting)
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** Runs `fn` on a new client of `adminUrl` (closed after), retrying errors that pass when workers collide. */
export async function withAdminClient<T>(adminUrl: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: adminUrl });
    try {
      await client.connect();
      return await fn(client);
    } catch (err) {
      const code = (err as PgError).code;
      if (attempt >= 8 || !code || !TRANSIENT_CODES.has(code)) throw err;
      // Jittered backoff so retrying workers do not collide again.
      await sleep(50 * 2 ** attempt * (0.5 + Math.random()));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function createPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  // template0 never accepts connections, so concurrent CREATE DATABASE calls
  // cannot fail with "source database is being accessed by other users".
  // Force UTF8 whatever the cluster default is; prefer C.UTF-8 (Unicode-aware
  // case mapping), fall back to plain C where that locale does not exist.
  const base = `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`;
  try {
    await createIgnoringDuplicate(adminUrl, `${base} LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  } catch (err) {
    // 42809 "invalid locale name" (22023 on some versions): no C.UTF-8 there.
    const code = (err as PgError).code;
    if (code !== '42809' && code !== '22023') throw err;
    await createIgnoringDuplicate(adminUrl, `${base} LC_COLLATE 'C' LC_CTYPE 'C'`);
  }
}

async function createIgnoringDuplicate(adminUrl: string, sql: string): Promise<void> {
  try {
    await withAdminClient(adminUrl, (c) => c.query(sql));
  } catch (err) {
    // The name is random, so "already exists" can only mean an earlier
    // attempt of ours succeeded before its connection was lost.
    if ((err as PgError).code !== '42P04') throw err;
  }
}

// --- Spare empty databases (tests/helpers/templates.ts) ----------------------

/** Templates and spares carry the 15-minute period they were made in; older ones are removed. */
export const TEMPLATE_PERIOD_MS = 15 * 60 * 1000;
export const templatePeriod = (): string => Math.floor(Date.now() / TEMPLATE_PERIOD_MS).toString(36);

// Empty databases this process set aside when a test's database was replaced by a template's
// copy: renamed to the next fresh database instead of created (and later dropped: each DROP
// DATABASE waits for a checkpoint).
const spares: string[] = [];

/** Renames the empty database `name` aside, to be reused; returns its new name. */
export async function setAsideEmpty(name: string): Promise<string> {
  const spare = `ruche_tpl_spare_${templatePeriod()}_${randomBytes(6).toString('hex')}`;
  await withAdminClient(postgresAdminUrl(), (c) => c.query(`ALTER DATABASE ${quoteIdent(name)} RENAME TO ${quoteIdent(spare)}`));
  return spare;
}

export function keepSpare(name: string): void {
  spares.push(name);
}

async function reuseSpare(adminUrl: string, name: string): Promise<boolean> {
  const spare = spares.pop();
  if (!spare) return false;
  try {
    await withAdminClient(adminUrl, (c) => c.query(`ALTER DATABASE ${quoteIdent(spare)} RENAME TO ${quoteIdent(name)}`));
    return true;
  } catch {
    return false; // removed meanwhile (an old period's clean-up): create one instead
  }
}

if (process.env[POSTGRES_URL_ENV]) {
  test.after.always('drop the spare empty databases', async () => {
    const adminUrl = postgresAdminUrl();
    for (const spare of spares.splice(0)) {
      await withAdminClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(spare)} WITH (FORCE)`)).catch(() => undefined);
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wraps an async function so it runs at most once; later calls share it. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
