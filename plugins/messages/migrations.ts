import {
  addIndex,
  flagColumn,
  addColumns,
  createTables,
  dropColumns,
  networkIdColumn,
  userIdColumn,
  type Migration,
  memberPairColumns,
} from '../../core';
import { directKey, roomKey } from './keys';

/**
 * Conversations (direct, group, and rooms tied to a group or a network), their members'
 * read state, the messages with a per-conversation sequence, and member blocks.
 * `unique_key` makes the conversations that exist once unique: the direct one of a pair in
 * a network, the room of a group, the room of a network (see `conversationKey`).
 */
export const migrations: Migration[] = [
  createTables('001_messages', {
    conversations: (t) => {
      t.increments('id');
      networkIdColumn(t);
      /** `direct` (two people), `group` (several), `room` (a group's), `network` (a network's). */
      t.string('kind', 16).notNullable();
      t.integer('container_id').unsigned().nullable();
      t.string('subject', 200).notNullable().defaultTo('');
      t.integer('created_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
      t.bigInteger('created_at').notNullable();
      /** The sequence of the newest message; bumped in the insert's transaction. */
      t.integer('last_seq').notNullable().defaultTo(0);
      t.bigInteger('last_message_at').notNullable();
      t.index(['kind', 'container_id']);
      t.index(['kind', 'network_id']);
    },
    conversation_members: (t) => {
      t.integer('conversation_id').unsigned().notNullable().references('id').inTable('conversations').onDelete('CASCADE');
      userIdColumn(t, 'user_id');
      t.integer('last_read_seq').notNullable().defaultTo(0);
      t.boolean('archived').notNullable().defaultTo(false);
      t.bigInteger('joined_at').notNullable();
      t.bigInteger('left_at').nullable();
      t.primary(['conversation_id', 'user_id']);
      t.index(['user_id', 'left_at']);
    },
    messages: (t) => {
      t.increments('id');
      t.integer('conversation_id').unsigned().notNullable().references('id').inTable('conversations').onDelete('CASCADE');
      t.integer('seq').notNullable();
      userIdColumn(t, 'author_id');
      t.text('body').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('edited_at').nullable();
      t.bigInteger('deleted_at').nullable();
      t.unique(['conversation_id', 'seq']);
    },
    member_blocks: (t) => memberPairColumns(t, 'blocker_id', 'blocked_id'),
  }),
  /** The rate limit counts a member's messages of the last minute (PostgreSQL: every process's). */
  addIndex('002_messages_author_index', 'messages', 'messages_author_id_created_at_index', ['author_id', 'created_at']),
  {
    /**
     * One direct conversation per pair (per network), one room per group and per network,
     * enforced by a unique key: concurrent creators converge on the row that won. Existing
     * rows get their key, the oldest of any duplicates keeping it (the others stay as they
     * are, unkeyed, with their history).
     */
    name: '003_conversation_keys',
    async up(db) {
      await db.schema.alterTable('conversations', (t) => t.string('unique_key', 100).nullable().unique());
      const keyed = new Map<string, number>();
      const rooms: { id: number; kind: string; network_id: number; container_id: number | null }[] = await db('conversations')
        .whereIn('kind', ['room', 'network'])
        .orderBy('id')
        .select('id', 'kind', 'network_id', 'container_id');
      for (const r of rooms) {
        const key = roomKey(r.kind === 'room' ? 'room' : 'network', Number(r.network_id), r.container_id === null ? null : Number(r.container_id));
        if (!keyed.has(key)) keyed.set(key, Number(r.id));
      }
      const members: { id: number; network_id: number; user_id: number }[] = await db('conversations as c')
        .join('conversation_members as p', 'p.conversation_id', 'c.id')
        .where('c.kind', 'direct')
        .orderBy('c.id')
        .select('c.id', 'c.network_id', 'p.user_id');
      const pairs = new Map<number, { network: number; users: number[] }>();
      for (const m of members) {
        const entry = pairs.get(Number(m.id)) ?? { network: Number(m.network_id), users: [] };
        entry.users.push(Number(m.user_id));
        pairs.set(Number(m.id), entry);
      }
      for (const [id, p] of pairs) {
        if (p.users.length !== 2) continue;
        const key = directKey(p.network, p.users[0], p.users[1]);
        if (!keyed.has(key)) keyed.set(key, id);
      }
      for (const [key, id] of keyed) await db('conversations').where({ id }).update({ unique_key: key });
    },
    async down(db) {
      await dropColumns(db, 'conversations', 'unique_key');
    },
  },
  // A message a moderator hid after a participant reported it (issue 22, core/content/pieces.ts):
  // its author still sees it, marked; the other participants see that it was hidden.
  addColumns('004_messages_withheld', 'messages', { withheld: flagColumn }),
];
