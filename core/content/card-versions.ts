/**
 * What a kept card is keyed by when its describe and panel reads are skipped (issue 18,
 * plugins/activity/feed.ts): the entity's version (`entities.version`, core migration 049) and the
 * members' card version (`card_generations`, core migration 050). A plugin whose rows a card shows
 * (reactions, comments, a moderator's hiding) bumps the entity's version from row triggers on those
 * rows (`cardVersionTriggers` in its migration), so every writer — a service, the CLI, a member's
 * erasure, a foreign key's cascade — changes the card in the writer's own statement.
 */
import type { Knex } from 'knex';
import type { Migration } from '../db/migration';
import { preparedRead } from '../db/statements';
import { createRowTrigger, dropRowTrigger, type RowTrigger } from '../db/triggers';

const BUMP = (row: 'new' | 'old', column: string) => `update entities set version = version + 1 where id = ${row}.${column}`;

/**
 * Row triggers bumping the version of the entity a row of `table` belongs to (`column`, its id) on
 * an insert, a delete and an update (the old entity and the new one when the row moves). Names are
 * `<prefix>_card_insert` etc.; create them with `createRowTrigger`, drop them with `dropRowTrigger`.
 */
export function cardVersionTriggers(prefix: string, table: string, column = 'entity_id'): RowTrigger[] {
  return [
    { name: `${prefix}_card_insert`, table, timing: 'after', event: 'insert', statements: [BUMP('new', column)] },
    { name: `${prefix}_card_delete`, table, timing: 'after', event: 'delete', statements: [BUMP('old', column)] },
    {
      name: `${prefix}_card_update`,
      table,
      timing: 'after',
      event: 'update',
      statements: [`update entities set version = version + 1 where id in (old.${column}, new.${column})`],
    },
  ];
}

/** A plugin's migration adding `cardVersionTriggers` on one of its tables (and dropping them on the way down). */
export function cardVersionMigration(name: string, prefix: string, table: string, column = 'entity_id'): Migration {
  const triggers = cardVersionTriggers(prefix, table, column);
  return {
    name,
    async up(db) {
      for (const t of triggers) await createRowTrigger(db, t);
    },
    async down(db) {
      for (const t of triggers) await dropRowTrigger(db, t.name, table);
    },
  };
}

const MEMBERS = preparedRead<{ version: number | string }>(`select version from card_generations where name = 'users'`);

/** The members' card version: goes up with any change of what a card shows of a member (core migration 050). */
export async function membersCardVersion(db: Knex): Promise<number> {
  return Number((await MEMBERS.first(db, []))?.version ?? 0);
}
