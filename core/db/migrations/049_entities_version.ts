import type { Knex } from 'knex';
import type { Migration } from '../migration';
import { createRowTrigger, dropRowTrigger } from '../triggers';

const TRIGGER = 'entities_version_bump';

/**
 * An entity's version (issue 18): a number that goes up with every write of what its card
 * shows, so that a kept card (core/cache/fragments.ts) can be keyed by it instead of by all of
 * its data. A row trigger bumps it on every update of the entity's row (an edit, a pin, its
 * access, its container, moderation's withholding, a deletion), whoever writes (a service, the
 * CLI, a seeder) and in the same statement; writers of what a card shows in rows of their own
 * (a status post's body, a blog post's title) call `entities.touch` in their transaction (or
 * `entities.update`, which bumps through the trigger). The trigger's own update changes the
 * version, so its condition stops it there (PostgreSQL runs triggers again on a trigger's update).
 */
export const entitiesVersion: Migration = {
  name: '049_entities_version',
  async up(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.bigInteger('version').notNullable().defaultTo(0);
    });
    await createRowTrigger(db, {
      name: TRIGGER,
      table: 'entities',
      timing: 'after',
      event: 'update',
      when: 'new.version = old.version',
      statements: ['update entities set version = version + 1 where id = new.id'],
    });
  },
  async down(db: Knex) {
    await dropRowTrigger(db, TRIGGER, 'entities');
    await db.raw('alter table entities drop column version');
  },
};
