/**
 * Opens the database through knex: SQLite (WAL, foreign keys, busy timeout) by
 * default, PostgreSQL for a postgres:// URL. The same knex code runs on both.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { StartupError } from '../errors';

export type Db = Knex;
export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
}

export function createDatabase(url: string): Db {
  if (dialectOf(url) === 'sqlite') {
    const filename = url.slice('sqlite:'.length);
    if (filename !== ':memory:') {
      try {
        fs.mkdirSync(path.dirname(filename), { recursive: true });
      } catch (e) {
        throw new StartupError('E_DATA_DIR', `cannot create ${path.dirname(filename)}: ${(e as Error).message}`);
      }
    }
    return knexFactory({
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { exec(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          conn.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;', (err) => done(err, conn));
        },
      },
    });
  }
  return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
}

/** Checks the database answers; throws a StartupError with the driver's reason otherwise. */
export async function checkConnection(db: Db): Promise<void> {
  try {
    await db.raw('select 1');
  } catch (e) {
    throw new StartupError('E_DATABASE', `cannot reach the database: ${(e as Error).message}`);
  }
}
