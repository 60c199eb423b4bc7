/**
 * PostgreSQL's named prepared statements for the reads of core/db/statements.ts (issues 18, 21).
 * An unnamed statement is parsed, analysed and planned on every run: 1.9-3.1 ms of planning for
 * the people search's statement, more than its execution. A named statement is parsed and
 * analysed once per connection; PostgreSQL then plans its first five runs with their values and
 * afterwards keeps one generic plan when that plan costs no more than theirs (`plan_cache_mode`
 * auto): 0.01-0.02 ms of planning.
 *
 * - A statement's name is a hash of its text. The pg driver sends every value untyped, so the
 *   parameters' types are those PostgreSQL infers from the text, the same on every run: one
 *   text, one statement, whatever its values; a name never stands for two texts in any pool.
 * - Texts written in code (`preparedRead`) are a fixed few: each connection keeps them prepared.
 *   Texts built per call (`readBuilt`, `KeptBuilds`) vary with the length of their lists: each
 *   connection keeps the BUILT_KEPT it ran last prepared, and deallocates the least recent when
 *   another comes.
 * - A schema change (a migration) makes PostgreSQL analyse and plan a prepared statement again by
 *   itself, except when the statement's columns change ("cached plan must not change result
 *   type"): that statement is deallocated and prepared again, once.
 */
import { createHash } from 'node:crypto';

/** A pool connection of knex's pg client (a pg `Client`). */
export interface PgConnection {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: unknown[] }>;
  /** pg's protocol connection: the names it has prepared, with their texts. */
  connection?: { parsedStatements?: Record<string, string> };
}

/** A named statement: its name and its text with `$n` placeholders. */
export interface PgStatement {
  name: string;
  text: string;
}

/** How many statements built per call each connection keeps prepared. */
export const PG_BUILT_KEPT = 64;

/** SQLSTATE of "cached plan must not change result type" (feature_not_supported). */
const RESULT_TYPE_CHANGED = '0A000';

/** Names of the built statements each connection keeps, the least recently run first. */
const builtOn = new WeakMap<PgConnection, Set<string>>();

/** The named statement of a text with `$n` placeholders; `kind` keeps built texts apart from fixed ones. */
export function pgStatement(text: string, kind: 'read' | 'built'): PgStatement {
  const hash = createHash('sha1').update(text).digest('hex').slice(0, 24);
  return { name: `ruche_${kind === 'built' ? 'b_' : ''}${hash}`, text };
}

const prepared = (conn: PgConnection, name: string): boolean => conn.connection?.parsedStatements?.[name] !== undefined;

/** SQLSTATE of "prepared statement does not exist" (invalid_sql_statement_name). */
const NO_SUCH_STATEMENT = '26000';

async function deallocate(conn: PgConnection, name: string): Promise<void> {
  if (!prepared(conn, name)) return; // never parsed (its text failed): nothing on the server
  try {
    await conn.query({ text: `deallocate "${name}"` });
  } catch (err) {
    if ((err as { code?: string }).code !== NO_SUCH_STATEMENT) throw err;
  } finally {
    delete conn.connection!.parsedStatements![name];
  }
}

/** Runs a named statement on `conn`; one whose columns changed since it was prepared is prepared again. */
export async function runPgNamed(conn: PgConnection, statement: PgStatement, values: unknown[]): Promise<unknown[]> {
  try {
    return (await conn.query({ ...statement, values })).rows;
  } catch (err) {
    if ((err as { code?: string }).code !== RESULT_TYPE_CHANGED || !prepared(conn, statement.name)) throw err;
    await deallocate(conn, statement.name);
    return (await conn.query({ ...statement, values })).rows;
  }
}

/**
 * Runs a statement built per call as a named one, kept among the connection's PG_BUILT_KEPT most
 * recent. The connection is the caller's alone until released, so no other call runs a statement
 * while it is deallocated.
 */
export async function runPgBuilt(conn: PgConnection, statement: PgStatement, values: unknown[]): Promise<unknown[]> {
  let kept = builtOn.get(conn);
  if (!kept) builtOn.set(conn, (kept = new Set()));
  if (kept.has(statement.name))
    kept.delete(statement.name); // most recently run last
  else if (kept.size >= PG_BUILT_KEPT) {
    const oldest = kept.values().next().value as string;
    kept.delete(oldest);
    await deallocate(conn, oldest);
  }
  kept.add(statement.name);
  return runPgNamed(conn, statement, values);
}
