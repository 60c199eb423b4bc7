import type { Migration } from '../../core';

/** Follows (one-way) and connection requests (mutual, decided by the receiver). */
export const migrations: Migration[] = [
  {
    name: '001_connections',
    async up(db) {
      await db.schema.createTable('follows', (t) => {
        t.integer('follower_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.integer('followee_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.bigInteger('created_at').notNullable();
        t.primary(['follower_id', 'followee_id']);
        t.index(['followee_id']);
      });
      await db.schema.createTable('connection_requests', (t) => {
        t.increments('id');
        t.integer('from_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.integer('to_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
        t.string('status', 20).notNullable().defaultTo('pending');
        t.bigInteger('created_at').notNullable();
        t.bigInteger('decided_at').nullable();
        t.index(['to_id', 'status']);
        t.index(['from_id', 'status']);
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('connection_requests');
      await db.schema.dropTableIfExists('follows');
    },
  },
];
