// Tests that count or read the statements a page runs: they wait first for the app's
// background work (the search plugin indexes after each commit, in the background), so what
// they see is the page's own statements and nothing a previous write left running.
import type { Runtime } from '../../core';

export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

export interface Statements<T> {
  /** What `fn` returned. */
  value: T;
  /** Every statement run on the app's database while `fn` ran, in order. */
  statements: Statement[];
  /** Their SQL alone. */
  sql: string[];
}

/** The statements `fn` runs on `rt.db`, once the app's background work is over. */
export async function statementsDuring<T>(rt: Pick<Runtime, 'db' | 'background'>, fn: () => Promise<T>): Promise<Statements<T>> {
  await rt.background.settled();
  const statements: Statement[] = [];
  const listen = (q: { sql: string; bindings?: readonly unknown[] }): void => void statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
  rt.db.on('query', listen);
  try {
    const value = await fn();
    return { value, statements, sql: statements.map((s) => s.sql) };
  } finally {
    rt.db.removeListener('query', listen);
  }
}
