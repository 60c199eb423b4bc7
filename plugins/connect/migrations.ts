import { dropTables, networkIdColumn, userIdColumn, type Migration } from '../../core';

/**
 * A member's current code per network (`connect_codes`, replaced when it rotates), the members
 * who turned the feature off in a network (`connect_off`), each opening of a code that asked to connect
 * (`connect_scans`: who, whose, the note, when), and the in-person connections each member
 * keeps for "People I met" (`connect_met`, one row per side).
 */
export const migrations: Migration[] = [
  {
    name: '001_connect',
    async up(db) {
      const network = (t: import('knex').Knex.CreateTableBuilder) => networkIdColumn(t);
      await db.schema.createTable('connect_codes', (t) => {
        userIdColumn(t, 'user_id');
        network(t);
        t.string('code', 8).notNullable().unique();
        t.bigInteger('issued_at').notNullable();
        t.bigInteger('expires_at').notNullable();
        t.primary(['user_id', 'network_id']);
      });
      await db.schema.createTable('connect_off', (t) => {
        userIdColumn(t, 'user_id');
        network(t);
        t.bigInteger('since').notNullable();
        t.primary(['user_id', 'network_id']);
      });
      await db.schema.createTable('connect_scans', (t) => {
        t.increments('id');
        network(t);
        userIdColumn(t, 'scanner_id');
        userIdColumn(t, 'owner_id');
        t.string('note', 120).notNullable().defaultTo('');
        t.bigInteger('created_at').notNullable();
        t.index(['scanner_id', 'owner_id']);
      });
      await db.schema.createTable('connect_met', (t) => {
        network(t);
        userIdColumn(t, 'user_id');
        userIdColumn(t, 'other_id');
        t.string('note', 120).notNullable().defaultTo('');
        t.bigInteger('met_at').notNullable();
        t.primary(['network_id', 'user_id', 'other_id']);
        t.index(['user_id', 'met_at']);
      });
    },
    async down(db) {
      await dropTables(db, 'connect_met', 'connect_scans', 'connect_off', 'connect_codes');
    },
  },
];
