/**
 * One test per database around a set-up built on it: the app (or server) a test folder's
 * support.ts builds, closed after the test even when it fails.
 *
 *   export const eachBlogApp = eachApp(blogApp);
 *   eachBlogApp('a post is published', async (t, app) => { ... });
 */
import type { ExecutionContext } from 'ava';
import { makeApp } from './app';
import { eachDatabase, type TestDatabase } from './databases';

export interface Closable {
  close(): Promise<void>;
}

export type EachApp<A> = (title: string, fn: (t: ExecutionContext, app: A, db: TestDatabase) => Promise<void>) => void;

/** Registers tests as `eachDatabase` does, each handed `build(db)` and closing it afterwards. */
export function eachApp<A extends Closable>(build: (db: TestDatabase) => Promise<A>): EachApp<A> {
  return (title, fn) =>
    eachDatabase(title, async (t, db) => {
      const app = await build(db);
      try {
        await fn(t, app, db);
      } finally {
        await app.close();
      }
    });
}

/** An app installed with makeApp's defaults (the admin, English), for each database. */
export const eachTestApp = eachApp((db) => makeApp(db));
