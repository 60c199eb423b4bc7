/** knex's SQLite client class (no typings of its own): extended by core/db/sqlite-client.ts. */
declare module 'knex/lib/dialects/sqlite3' {
  import type { Knex } from 'knex';
  class Client_SQLite3 extends Knex.Client {
    _query(connection: unknown, obj: unknown): Promise<unknown>;
    destroyRawConnection(connection: unknown): Promise<void>;
  }
  export = Client_SQLite3;
}
