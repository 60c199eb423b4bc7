/**
 * How many active members each group has, kept in `group_member_counts` instead of counted per
 * request (the chooser counted the members of 40 groups in one 30 ms statement).
 *
 * A group's count is of its `container_members` rows whose account is active, as the member
 * list shows. Database triggers keep it in the statement that changes those rows or an
 * account's state, whoever writes them (this plugin, the core, a seeder, a cascade). Deleting
 * an active account first deletes its container memberships (the cascade would, a moment
 * later), which takes it out of every count.
 */
import type { Knex } from 'knex';
import { createRowTrigger, dropRowTrigger, type Migration, type RowTrigger } from '../../core';

export const MEMBER_COUNTS = 'group_member_counts';
const TABLE = MEMBER_COUNTS;
const ACTIVE = (id: string): string => `exists (select 1 from users au where au.id = ${id} and au.status = 'active')`;
const ADD = `on conflict (group_id) do update set members = ${TABLE}.members + excluded.members`;

const TRIGGERS: RowTrigger[] = [
  {
    name: `${TABLE}_in`,
    table: 'container_members',
    timing: 'after',
    event: 'insert',
    pgFirst: ['perform 1 from users where id = new.user_id for no key update'],
    statements: [`insert into ${TABLE} (group_id, members) select new.container_id, 1 where ${ACTIVE('new.user_id')} ${ADD}`],
  },
  {
    name: `${TABLE}_out`,
    table: 'container_members',
    timing: 'after',
    event: 'delete',
    pgFirst: ['perform 1 from users where id = old.user_id for no key update'],
    statements: [`update ${TABLE} set members = members - 1 where group_id = old.container_id and ${ACTIVE('old.user_id')}`],
  },
  {
    name: `${TABLE}_active`,
    table: 'users',
    timing: 'after',
    event: 'update of status',
    when: "new.status = 'active' and old.status <> 'active'",
    statements: [`insert into ${TABLE} (group_id, members) select cm.container_id, 1 from container_members cm where cm.user_id = new.id ${ADD}`],
  },
  {
    name: `${TABLE}_inactive`,
    table: 'users',
    timing: 'after',
    event: 'update of status',
    when: "old.status = 'active' and new.status <> 'active'",
    statements: [
      `update ${TABLE} set members = members - 1 where group_id in (select cm.container_id from container_members cm where cm.user_id = new.id)`,
    ],
  },
  {
    name: `${TABLE}_gone`,
    table: 'users',
    timing: 'before',
    event: 'delete',
    when: "old.status = 'active'",
    statements: ['delete from container_members where user_id = old.id'],
  },
];

/** Active members per container, from the rows (the migration's fill, and the tests' reference). */
export function memberCountsFromRows(db: Knex): Knex.QueryBuilder {
  return db('container_members as cm')
    .join('users as u', 'u.id', 'cm.user_id')
    .where('u.status', 'active')
    .groupBy('cm.container_id')
    .select('cm.container_id as group_id', db.raw('count(*) as members'));
}

export const memberCountsMigration: Migration = {
  name: '003_group_member_counts',
  async up(db) {
    await db.schema.createTable(TABLE, (t) => {
      t.bigInteger('group_id').unsigned().notNullable().primary().references('id').inTable('entities').onDelete('CASCADE');
      t.integer('members').notNullable().defaultTo(0);
    });
    await rebuildMemberCounts(db);
  },
  async down(db) {
    await suspendMemberCounts(db);
    await db.schema.dropTableIfExists(TABLE);
  },
};

/** Drops the triggers, for a bulk writer (the bench seeder); `rebuildMemberCounts` in the same transaction puts them back. */
export async function suspendMemberCounts(db: Knex): Promise<void> {
  for (const t of TRIGGERS) await dropRowTrigger(db, t.name, t.table);
}

/** Counts every group's active members from the rows again and (re)creates the triggers that keep them. */
export async function rebuildMemberCounts(db: Knex): Promise<void> {
  await suspendMemberCounts(db);
  await db(TABLE).delete();
  const rows = memberCountsFromRows(db).toSQL();
  await db.raw(`insert into ${TABLE} (group_id, members) ${rows.sql}`, rows.bindings);
  for (const t of TRIGGERS) await createRowTrigger(db, t);
}

/** Active members of each group of `ids` (absent: none). */
export async function memberCounts(db: Knex, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows = (await db(TABLE).whereIn('group_id', ids).select('group_id', 'members')) as { group_id: number | string; members: number | string }[];
  return new Map(rows.map((r) => [Number(r.group_id), Number(r.members)]));
}
