/**
 * Reads on the hot path of every request (the session, the header's counts), written once and
 * kept prepared instead of being built by knex's query builder and run through its pool on
 * each call (issue 18): knex spends about 0.25 ms of CPU building, logging and running a
 * statement that SQLite answers in microseconds.
 *
 *   const UNREAD = preparedRead<{ n: number }>('select count(*) as n from … where user_id = ?');
 *   const row = await UNREAD.first(rt.db, [userId]);
 *
 * The SQL uses `?` placeholders and runs as written on both databases (or give one text per
 * dialect). Reads only: never a statement that writes.
 * - SQLite (a file): a second connection of the process, opened on first use and closed with
 *   the knex instance, runs the statements, each prepared once. In WAL mode it reads what is
 *   committed, alongside the pool's connection, and never from inside another caller's open
 *   transaction.
 * - PostgreSQL: a named prepared statement of a pool connection.
 * - Given a transaction (or an in-memory SQLite database), the statement runs through knex.
 * Listeners of knex's `query` and `query-response` events see these statements too
 * (statement counts in tests, the bench's profiles).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import sqlite3 from 'sqlite3';
import { SQLITE_CACHE_PRAGMA } from './database';

export interface PreparedRead<Row> {
  /** Every row the statement answers for these bindings. */
  all(db: Knex | Knex.Transaction, bindings: readonly unknown[]): Promise<Row[]>;
  /** The first row, or undefined. */
  first(db: Knex | Knex.Transaction, bindings: readonly unknown[]): Promise<Row | undefined>;
}

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The reading connection of a SQLite knex instance and its prepared statements. */
interface Reader {
  conn: sqlite3.Database;
  statements: Map<string, Promise<sqlite3.Statement>>;
  /** Texts of reads built per call (`readBuilt`), the least recently used first; at most BUILT_KEPT. */
  built: Map<string, BuiltStatement>;
}

/** A statement of `Reader.built`: finalised once evicted and no call is using it. */
interface BuiltStatement {
  statement: Promise<sqlite3.Statement>;
  users: number;
  evicted: boolean;
}

/** How many texts of reads built per call a reading connection keeps compiled. */
const BUILT_KEPT = 64;

const readers = new WeakMap<Knex, Promise<Reader>>();

function openReader(filename: string): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(filename, sqlite3.OPEN_READWRITE, (err) => {
      if (err) return reject(err);
      conn.configure('busyTimeout', 5000);
      conn.exec(SQLITE_CACHE_PRAGMA, (e) => (e ? reject(e) : resolve({ conn, statements: new Map(), built: new Map() })));
    });
  });
}

async function closeReader(reader: Reader): Promise<void> {
  const open = [...reader.statements.values(), ...[...reader.built.values()].map((b) => b.statement)];
  reader.statements.clear();
  reader.built.clear();
  // SQLite refuses to close a connection with statements still prepared.
  await Promise.all(
    open.map((p) =>
      p.then(
        (s) => new Promise<void>((resolve) => s.finalize(() => resolve())),
        () => undefined,
      ),
    ),
  );
  await new Promise<void>((resolve) => reader.conn.close(() => resolve()));
}

/** The reader of `db` (a SQLite file), opened on first use; undefined for an in-memory database. */
function readerOf(db: Knex): Promise<Reader> | undefined {
  const existing = readers.get(db);
  if (existing) return existing;
  const filename = (db.client.config.connection as { filename?: string } | undefined)?.filename;
  if (!filename || filename === ':memory:') return undefined;
  const reader = openReader(filename);
  readers.set(db, reader);
  // Closed with the knex instance, whoever destroys it (knex.destroy() ends in its client's).
  const client = db.client as { destroy(callback?: unknown): Promise<void> };
  const destroy = client.destroy.bind(client);
  client.destroy = async (callback?: unknown) => {
    readers.delete(db);
    await reader.then(closeReader, () => undefined);
    return destroy(callback);
  };
  return reader;
}

function prepare(reader: Reader, sql: string): Promise<sqlite3.Statement> {
  let statement = reader.statements.get(sql);
  if (!statement) {
    // A statement that cannot be prepared (no such table yet) is not kept: prepared again next time.
    statement = new Promise((resolve, reject) => {
      const s = reader.conn.prepare(sql, (err) => (err ? reject(err) : resolve(s)));
    });
    reader.statements.set(sql, statement);
    statement.catch(() => {
      if (reader.statements.get(sql) === statement) reader.statements.delete(sql);
    });
  }
  return statement;
}

function rowsOf(s: sqlite3.Statement, bindings: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => s.all(bindings, (err: Error | null, rows: unknown[]) => (err ? reject(err) : resolve(rows))));
}

async function runSqlite(reader: Reader, sql: string, bindings: unknown[]): Promise<unknown[]> {
  const s = await prepare(reader, sql);
  try {
    return await rowsOf(s, bindings);
  } catch (err) {
    // A statement that failed (its table dropped) is prepared again next time.
    if (reader.statements.get(sql)) {
      reader.statements.delete(sql);
      s.finalize(() => undefined);
    }
    throw err;
  }
}

function release(b: BuiltStatement): void {
  if (b.evicted && b.users === 0)
    void b.statement.then(
      (s) => s.finalize(() => undefined),
      () => undefined,
    );
}

/**
 * A text built per call on the reading connection: compiled once while it stays among the
 * BUILT_KEPT most recent (a built text varies with its lists' lengths, so their number is not
 * fixed), and finalised only once no call still uses it.
 */
async function runBuiltSqlite(reader: Reader, sql: string, bindings: unknown[]): Promise<unknown[]> {
  let b = reader.built.get(sql);
  if (b)
    reader.built.delete(sql); // most recently used last
  else {
    const statement = new Promise<sqlite3.Statement>((resolve, reject) => {
      const s = reader.conn.prepare(sql, (err) => (err ? reject(err) : resolve(s)));
    });
    b = { statement, users: 0, evicted: false };
    if (reader.built.size >= BUILT_KEPT) {
      const [oldest, evicted] = reader.built.entries().next().value as [string, BuiltStatement];
      reader.built.delete(oldest);
      evicted.evicted = true;
      release(evicted);
    }
  }
  reader.built.set(sql, b);
  b.users++;
  try {
    return await rowsOf(await b.statement, bindings);
  } catch (err) {
    // Compiled again next time (a table dropped or changed).
    if (reader.built.get(sql) === b) reader.built.delete(sql);
    b.evicted = true;
    throw err;
  } finally {
    b.users--;
    release(b);
  }
}

/**
 * Runs a read the way every read of this module runs: through knex inside a transaction (or on
 * an in-memory SQLite database), else on SQLite's reading connection (`onReader`) or a pool
 * connection of PostgreSQL (`pgQuery`: a named statement, or a text run unnamed), seen by knex's
 * query events. An unnamed text goes to pg as `query(text, values)`: given a config object, pg
 * copies it property by property on every call.
 */
async function runRead<Row>(
  db: Knex | Knex.Transaction,
  text: string,
  values: unknown[],
  onReader: (reader: Reader, sql: string, bindings: unknown[]) => Promise<unknown[]>,
  pgQuery: () => string | { name: string; text: string },
): Promise<Row[]> {
  const sqlite = db.client.config.client === 'sqlite3';
  const reader = sqlite && !(db as Knex.Transaction).isTransaction ? readerOf(db) : undefined;
  if ((db as Knex.Transaction).isTransaction || (sqlite && !reader)) {
    const result = (await db.raw(text, values as Knex.RawBinding[])) as unknown;
    return sqlite ? (result as Row[]) : (result as { rows: Row[] }).rows;
  }
  const uid = db.listenerCount('query') || db.listenerCount('query-response') ? randomUUID() : undefined;
  const query = { __knexQueryUid: uid, sql: text, bindings: values, method: 'raw' };
  if (uid) db.client.emit('query', query);
  let rows: unknown[];
  if (reader) rows = await onReader(await reader, text, values);
  else {
    const conn = (await db.client.acquireConnection()) as PgConnection;
    try {
      const q = pgQuery();
      rows = (await (typeof q === 'string' ? conn.query(q, values) : conn.query({ ...q, values }))).rows;
    } finally {
      await db.client.releaseConnection(conn);
    }
  }
  if (uid) db.client.emit('query-response', rows, query);
  return rows as Row[];
}

const positioned = (db: Knex | Knex.Transaction, sql: string): string =>
  (db.client as unknown as { positionBindings(sql: string): string }).positionBindings(sql);

/** A read kept prepared; `sql` is one text for both databases or one per dialect. */
export function preparedRead<Row>(sql: string | { sqlite: string; postgres: string }): PreparedRead<Row> {
  const texts = typeof sql === 'string' ? { sqlite: sql, postgres: sql } : sql;
  let named: { name: string; text: string } | undefined;
  const all = async (db: Knex | Knex.Transaction, bindings: readonly unknown[]): Promise<Row[]> => {
    const text = db.client.config.client === 'sqlite3' ? texts.sqlite : texts.postgres;
    const pgNamed = () =>
      (named ??= {
        name: `ruche_${createHash('sha1').update(texts.postgres).digest('hex').slice(0, 24)}`,
        text: positioned(db, texts.postgres),
      });
    return runRead<Row>(db, text, [...bindings], runSqlite, pgNamed);
  };
  return { all, first: async (db, bindings) => (await all(db, bindings))[0] };
}

/**
 * Runs a read written with knex's query builder whose text varies from call to call (an access
 * clause with the viewer's own lists, optional filters), the way a `preparedRead` runs, instead
 * of through knex's runner: on SQLite the reading connection keeps the last texts compiled, on
 * PostgreSQL it is one unnamed statement of a pool connection. The builder still writes the
 * text (about 0.2 ms for the river); running it costs what a prepared read costs. Given a
 * transaction, it runs in it. Reads only.
 *
 *   const rows = await readBuilt<Row>(rt.db, rt.db('activity as a').modify(access.visibleTo(viewer, 'e'))...);
 */
export async function readBuilt<Row>(db: Knex | Knex.Transaction, query: Knex.QueryBuilder): Promise<Row[]> {
  const { sql, bindings } = query.toSQL();
  return runRead<Row>(db, sql, [...bindings], runBuiltSqlite, () => positioned(db, sql));
}

/**
 * Reads built by knex whose text and bindings are a function of a key the caller writes (issue 18):
 * the first call with a key builds the query (`toSQL`), later calls with the same key run the same
 * text and bindings without building it again, as `readBuilt` runs them. The key must name
 * everything the builder reads — the viewer (id included) and the access model's inputs
 * (`access.visibilityKey`), every filter — so the kept text is the one the builder would write:
 * it is a memo of a pure function, with nothing to invalidate in any process. A null key builds
 * every time. At most `max` texts are kept, the least recently used dropped first. A value that
 * changes on every call (the time a ranking is relative to) is built as a marker and given in
 * `vary`: each binding equal to a marker takes its value of the call. `build` may be async (a
 * hook's answer read to build it): it then answers the builder's `toSQL()` (awaiting a builder
 * would run it), and is called only when the text is not kept.
 *
 *   const RIVER = new KeptBuilds(512);
 *   await RIVER.read<Row>(db, key, () => db('activity as a').modify(access.visibleTo(viewer, 'a'))...);
 */
export class KeptBuilds {
  /** A text with its bindings; `pgText`: its `$n` form for PostgreSQL, written on its first run there. */
  private readonly kept = new Map<string, { sql: string; bindings: readonly unknown[]; pgText?: string }>();

  constructor(private readonly max: number) {}

  async read<Row>(
    db: Knex | Knex.Transaction,
    key: string | null,
    build: () => Knex.QueryBuilder | Promise<Knex.Sql>,
    vary?: ReadonlyMap<unknown, unknown>,
  ): Promise<Row[]> {
    const full = key === null ? null : `${String(db.client.config.client)}\u0000${key}`;
    let text = full === null ? undefined : this.kept.get(full);
    if (text) this.kept.delete(full!);
    else {
      const built = build();
      const { sql, bindings } = 'toSQL' in built ? built.toSQL() : await built;
      text = { sql, bindings: [...bindings] };
      if (full !== null && this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value as string);
    }
    if (full !== null) this.kept.set(full, text);
    const kept = text;
    const values = vary ? kept.bindings.map((b) => (vary.has(b) ? vary.get(b) : b)) : [...kept.bindings];
    return runRead<Row>(db, kept.sql, values, runBuiltSqlite, () => (kept.pgText ??= positioned(db, kept.sql)));
  }
}

/**
 * One statement text per dialect for a read whose list of ids varies from call to call: `ids(column)`
 * stands for "column among the ids of one binding", bound as `idList(ids)` (a JSON array), so a
 * prepared read keeps one text whatever the number of ids (SQLite reads the array with
 * `json_each`, PostgreSQL with `json_array_elements_text`; both use the column's index).
 *
 *   const COUNTS = preparedRead(perDialect((ids) => `select … from t where ${ids('t.entity_id')}`));
 *   await COUNTS.all(db, [idList([1, 2, 3])]);
 */
export function perDialect(build: (ids: (column: string) => string) => string): { sqlite: string; postgres: string } {
  return {
    sqlite: build((column) => `${column} in (select value from json_each(?))`),
    postgres: build((column) => `${column} = any(array(select json_array_elements_text(?::json)::bigint))`),
  };
}

/** The binding of a `perDialect` id list. */
export const idList = (ids: readonly number[]): string => JSON.stringify(ids.map(Number));

/**
 * A read written with knex's query builder (for a clause the core hands out as a builder, such
 * as `containers.idsOf`), built once per dialect and then kept prepared like `preparedRead`.
 * `build` is called once per dialect with a marker standing for the statement's one varying
 * value; every binding equal to the marker takes the value of each call, the others are kept.
 */
export function preparedBuilder<Row>(build: (db: Knex, value: number) => Knex.QueryBuilder): {
  all(db: Knex, value: number): Promise<Row[]>;
  first(db: Knex, value: number): Promise<Row | undefined>;
} {
  const MARKER = -7_340_033_117;
  const built = new Map<string, { read: PreparedRead<Row>; bindings: unknown[] }>();
  const statementFor = (db: Knex) => {
    const dialect = String(db.client.config.client);
    let s = built.get(dialect);
    if (!s) {
      const { sql, bindings } = build(db, MARKER).toSQL();
      s = { read: preparedRead<Row>(sql), bindings: [...bindings] };
      built.set(dialect, s);
    }
    return s;
  };
  const all = (db: Knex, value: number): Promise<Row[]> => {
    const s = statementFor(db);
    return s.read.all(
      db,
      s.bindings.map((b) => (b === MARKER ? value : b)),
    );
  };
  return { all, first: async (db, value) => (await all(db, value))[0] };
}
