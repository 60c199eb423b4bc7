// The small `notes` table the tests of core/db/statements.ts read: three notes of two owners.
import type { Knex } from 'knex';

/** Creates and fills `notes` (id, owner, body) on `knex`, runs `fn`, then destroys `knex`. */
export async function withNotes(knex: Knex, fn: (knex: Knex) => Promise<void>): Promise<void> {
  try {
    await knex.schema.createTable('notes', (t) => {
      t.increments('id');
      t.integer('owner').notNullable();
      t.string('body').notNullable();
    });
    await knex('notes').insert([
      { owner: 1, body: 'one' },
      { owner: 1, body: 'two' },
      { owner: 2, body: 'three' },
    ]);
    await fn(knex);
  } finally {
    await knex.destroy();
  }
}
