/**
 * One test per database with an app on it: what most tests open with (build an app on the fresh
 * database, run the body, close the app even when the body fails), written once.
 *
 *   eachApp('a post is published', blogApp, async (t, app) => { ... });
 *   export const eachBlogApp = eachAppOf(blogApp);   // a folder's support.ts
 *   eachBlogApp('a post is published', async (t, app) => { ... });
 */
import type { ExecutionContext } from 'ava';
import type { Runtime } from '../../core';
import { makeApp } from './app';
import { eachDatabase, type TestDatabase } from './databases';

export interface Closable {
  close(): Promise<void>;
}

export type EachApp<A> = (title: string, fn: (t: ExecutionContext, app: A, db: TestDatabase) => Promise<void>) => void;

/**
 * Registers `${title} [kind]` for each database kind (`eachDatabase`): `build` makes the app on
 * the fresh database (`makeApp`, a plugin's `groupApp`, ...), `fn` runs with it, and the app is
 * closed afterwards, even when `fn` fails.
 */
export function eachApp<A extends Closable>(
  title: string,
  build: (db: TestDatabase) => Promise<A>,
  fn: (t: ExecutionContext, app: A, db: TestDatabase) => Promise<void>,
): void {
  eachDatabase(title, async (t, db) => {
    const app = await build(db);
    try {
      await fn(t, app, db);
    } finally {
      await app.close();
    }
  });
}

/** `eachApp` with `build` given once, for a test folder's support.ts to export. */
export function eachAppOf<A extends Closable>(build: (db: TestDatabase) => Promise<A>): EachApp<A> {
  return (title, fn) => eachApp(title, build, fn);
}

/** An app installed with makeApp's defaults (the admin, English), for each database. */
export const eachTestApp = eachAppOf((db) => makeApp(db));

/**
 * An English site installed without an admin, for each database: `fn` gets its runtime, for the
 * tests that write their whole world row by row (tests/access).
 */
export function eachRuntime(title: string, fn: (t: ExecutionContext, rt: Runtime) => Promise<void>): void {
  eachApp(
    title,
    (db) => makeApp(db, { install: { siteName: 'Test network', locale: 'en' } }),
    (t, { app }) => fn(t, app.ruche),
  );
}
