import { createTables, userIdColumn, type Migration, memberPairColumns } from '../../core';
import { countsMigration } from './counts';

/** Follows (one-way) and connection requests (mutual, decided by the receiver). */
export const migrations: Migration[] = [
  createTables('001_connections', {
    follows: (t) => memberPairColumns(t, 'follower_id', 'followee_id'),
    connection_requests: (t) => {
      t.increments('id');
      userIdColumn(t, 'from_id');
      userIdColumn(t, 'to_id');
      t.string('status', 20).notNullable().defaultTo('pending');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('decided_at').nullable();
      t.index(['to_id', 'status']);
      t.index(['from_id', 'status']);
    },
  }),
  {
    /**
     * At most one pending request from one member to another: simultaneous "connect"
     * submits converge on one row. Older duplicates (there could be some) are cancelled.
     */
    name: '002_one_pending_request',
    async up(db) {
      const dupes: { from_id: number; to_id: number; keep: number }[] = await db('connection_requests')
        .where({ status: 'pending' })
        .groupBy('from_id', 'to_id')
        .havingRaw('count(*) > 1')
        .select('from_id', 'to_id')
        .min({ keep: 'id' });
      for (const d of dupes) {
        await db('connection_requests')
          .where({ from_id: d.from_id, to_id: d.to_id, status: 'pending' })
          .whereNot('id', d.keep)
          .update({ status: 'cancelled', decided_at: Date.now() });
      }
      await db.raw("create unique index connection_requests_one_pending on connection_requests (from_id, to_id) where status = 'pending'");
    },
    async down(db) {
      await db.raw('drop index connection_requests_one_pending');
    },
  },
  {
    /**
     * At most one pending request between two members, whichever asked: A asking B while B
     * asks A meets this key, and the loser accepts the winner's request instead. Older
     * opposite pairs (there could be some) keep the older request.
     */
    name: '003_one_pending_request_per_pair',
    async up(db) {
      const pending: { id: number; from_id: number; to_id: number }[] = await db('connection_requests')
        .where({ status: 'pending' })
        .orderBy('id')
        .select('id', 'from_id', 'to_id');
      const seen = new Set<string>();
      for (const r of pending) {
        const pair = [Number(r.from_id), Number(r.to_id)].sort((a, b) => a - b).join(':');
        if (seen.has(pair)) await db('connection_requests').where({ id: r.id }).update({ status: 'cancelled', decided_at: Date.now() });
        seen.add(pair);
      }
      const [low, high] = db.client.config.client === 'sqlite3' ? ['min', 'max'] : ['least', 'greatest'];
      await db.raw(
        `create unique index connection_requests_one_pending_pair on connection_requests ((${low}(from_id, to_id)), (${high}(from_id, to_id))) where status = 'pending'`,
      );
    },
    async down(db) {
      await db.raw('drop index connection_requests_one_pending_pair');
    },
  },
  countsMigration,
];
