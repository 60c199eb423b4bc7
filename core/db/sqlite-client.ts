/**
 * knex's SQLite client, keeping each statement prepared on its connection (issue 18). knex
 * runs every query through `Database#all`/`#run` of sqlite3, which compiles the SQL again each
 * time; pages run the same few texts over and over. Here a connection keeps its most recent
 * statements (`KEPT`) compiled and runs them with new bindings: the same rows, `lastID` and
 * `changes` as before, about 0.1 ms of CPU less per query. Evicted statements are finalised,
 * and all of them before the connection closes (SQLite refuses to close otherwise).
 */
import Client_SQLite3 from 'knex/lib/dialects/sqlite3';
import type sqlite3 from 'sqlite3';

/** Statements kept compiled per connection; the least recently used go first. */
const KEPT = 256;

interface QueryObject {
  sql: string;
  bindings?: unknown[];
  method?: string;
  returning?: unknown;
  response?: unknown;
  context?: unknown;
}

const kept = new WeakMap<sqlite3.Database, Map<string, Promise<sqlite3.Statement>>>();

function statementsOf(conn: sqlite3.Database): Map<string, Promise<sqlite3.Statement>> {
  let statements = kept.get(conn);
  if (!statements) kept.set(conn, (statements = new Map()));
  return statements;
}

/** How many statements a connection keeps compiled (diagnostics and tests). */
export function keptStatements(conn: sqlite3.Database): number {
  return kept.get(conn)?.size ?? 0;
}

function finalize(statement: Promise<sqlite3.Statement>): Promise<void> {
  return statement.then(
    (s) => new Promise<void>((resolve) => s.finalize(() => resolve())),
    () => undefined,
  );
}

/** Finalises every statement `conn` keeps. */
async function forgetAll(conn: sqlite3.Database): Promise<void> {
  const statements = statementsOf(conn);
  const open = [...statements.values()];
  statements.clear();
  await Promise.all(open.map(finalize));
}

/** The statement for `sql` on `conn`, compiled once while it stays among the recent ones. */
function statementFor(conn: sqlite3.Database, sql: string): Promise<sqlite3.Statement> {
  const statements = statementsOf(conn);
  let statement = statements.get(sql);
  if (statement) {
    statements.delete(sql); // most recently used last
  } else {
    statement = new Promise((resolve, reject) => {
      const s = conn.prepare(sql, (err) => (err ? reject(err) : resolve(s)));
    });
    if (statements.size >= KEPT) {
      const [oldest, evicted] = statements.entries().next().value as [string, Promise<sqlite3.Statement>];
      statements.delete(oldest);
      void finalize(evicted);
    }
  }
  statements.set(sql, statement);
  return statement;
}

export class PreparingSqliteClient extends Client_SQLite3 {
  override _query(connection: sqlite3.Database, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    // As knex's own client: writes report lastID/changes through `run`, the rest are rows.
    const method =
      obj.method === 'insert' || obj.method === 'update'
        ? obj.returning
          ? 'all'
          : 'run'
        : obj.method === 'counter' || obj.method === 'del'
          ? 'run'
          : 'all';
    const sql = obj.sql;
    const statements = statementsOf(connection);
    const attempt = (retry: boolean): Promise<QueryObject> =>
      statementFor(connection, sql).then(
        (statement) =>
          new Promise<QueryObject>((resolve, reject) => {
            const done = function (this: unknown, err: (Error & { code?: string }) | null, response?: unknown) {
              if (err) {
                // Compiled again next time (a schema change, a constraint the statement hit).
                const current = statements.get(sql);
                if (current) {
                  statements.delete(sql);
                  void finalize(current);
                }
                // Dropping a virtual table (a full-text index) is refused while a compiled
                // statement names it: the kept statements go, and the drop runs again once.
                if (retry && err.code === 'SQLITE_LOCKED' && statements.size) return resolve(forgetAll(connection).then(() => attempt(false)));
                return reject(err);
              }
              obj.response = response;
              obj.context = this; // lastID and changes
              resolve(obj);
            };
            if (method === 'run') statement.run(obj.bindings ?? [], done);
            else statement.all(obj.bindings ?? [], done);
          }),
        (err: Error) => {
          statements.delete(sql);
          throw err;
        },
      );
    return attempt(true);
  }

  override async destroyRawConnection(connection: sqlite3.Database): Promise<void> {
    await forgetAll(connection);
    return super.destroyRawConnection(connection);
  }
}
