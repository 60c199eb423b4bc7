/**
 * The counts a profile shows — followers, following, connections — kept per member and per
 * network in `connection_counts` instead of counted per request (a popular member's followers
 * were a 10-30 ms `count(*)`).
 *
 * A count is of the rows linking a member to the OTHER people who are active members of the
 * network (what the lists show): `followers(U, N)` is the follows of U by active members of N.
 * So it moves when a link is made or undone, when the other person joins or leaves N, and when
 * their account becomes active or stops being so. Database triggers apply each of these in the
 * statement that makes the change (whoever makes it: this plugin, the core, the CLI, a seeder,
 * a cascade), so the counts are right in the same transaction. Deleting an account first
 * deletes its memberships (the cascade would, a moment later), which takes it out of every count.
 */
import type { Knex } from 'knex';
import { preparedRead, createRowTrigger, networkIdColumn, dropRowTrigger, userIdColumn, type Migration, type RowTrigger } from '../../core';

const TABLE = 'connection_counts';

interface Link {
  /** The counter column. */
  column: 'followers' | 'following' | 'friends';
  table: 'follows' | 'user_relations';
  /** The member whose count it is. */
  owner: string;
  /** The other person, who must be an active member of the network. */
  other: string;
  /** Which rows of the table are links of this kind. */
  filter?: string;
}

const LINKS: Link[] = [
  { column: 'followers', table: 'follows', owner: 'followee_id', other: 'follower_id' },
  { column: 'following', table: 'follows', owner: 'follower_id', other: 'followee_id' },
  { column: 'friends', table: 'user_relations', owner: 'user_id', other: 'other_id', filter: "kind = 'friend'" },
];

const ACTIVE = (id: string): string => `exists (select 1 from users au where au.id = ${id} and au.status = 'active')`;

/** Adds `delta` (per row the select yields: owner, network) to the column; rows are created as needed. */
const add = (column: string, select: string): string =>
  `insert into ${TABLE} (user_id, network_id, ${column}) ${select} on conflict (user_id, network_id) do update set ${column} = ${TABLE}.${column} + excluded.${column}`;

/** Takes one from the column of every (owner, network) the condition names (rows exist: they were counted). */
const subtract = (column: string, where: string): string => `update ${TABLE} set ${column} = ${column} - 1 where ${where}`;

/** Row locks on PostgreSQL: a link, a membership and an account change of the same person run one after the other. */
const lock = (...ids: string[]): string => `perform 1 from users where id in (${ids.join(', ')}) order by id for no key update`;

/**
 * The trigger after a row of `table` comes (insert: `<table>_in`, on `new`) or goes (delete:
 * `<table>_out`, on `old`), where the row passes `filter`: it locks the people of `people`
 * (columns of the row) first on PostgreSQL, then runs `statements`.
 */
function afterRow(table: string, event: 'insert' | 'delete', people: string[], statements: string[], filter?: string): RowTrigger {
  const row = event === 'insert' ? 'new' : 'old';
  return {
    name: `${TABLE}_${table}_${event === 'insert' ? 'in' : 'out'}`,
    table,
    timing: 'after',
    event,
    when: filter ? `${row}.${filter}` : undefined,
    pgFirst: [lock(...people.map((c) => `${row}.${c}`))],
    statements,
  };
}

function triggers(): RowTrigger[] {
  const list: RowTrigger[] = [];
  // A link made or undone: the owner's count in each network the other person is an active member of.
  for (const table of ['follows', 'user_relations'] as const) {
    const links = LINKS.filter((l) => l.table === table);
    const filter = links[0].filter;
    const ids = table === 'follows' ? ['follower_id', 'followee_id'] : ['user_id', 'other_id'];
    list.push(
      afterRow(
        table,
        'insert',
        ids,
        links.map((l) =>
          add(l.column, `select new.${l.owner}, m.network_id, 1 from memberships m where m.user_id = new.${l.other} and ${ACTIVE(`new.${l.other}`)}`),
        ),
        filter,
      ),
      afterRow(
        table,
        'delete',
        ids,
        links.map((l) =>
          subtract(
            l.column,
            `user_id = old.${l.owner} and network_id in (select m.network_id from memberships m where m.user_id = old.${l.other} and ${ACTIVE(`old.${l.other}`)})`,
          ),
        ),
        filter,
      ),
    );
  }
  // A person joins or leaves a network: the counts there of everyone linked to them.
  const linked = (l: Link, person: string, from = ''): string =>
    `from ${l.table} r${from} where r.${l.other} = ${person}${l.filter ? ` and r.${l.filter}` : ''}`;
  list.push(
    afterRow(
      'memberships',
      'insert',
      ['user_id'],
      LINKS.map((l) => add(l.column, `select r.${l.owner}, new.network_id, 1 ${linked(l, 'new.user_id')} and ${ACTIVE('new.user_id')}`)),
    ),
    afterRow(
      'memberships',
      'delete',
      ['user_id'],
      LINKS.map((l) =>
        subtract(
          l.column,
          `network_id = old.network_id and user_id in (select r.${l.owner} ${linked(l, 'old.user_id')}) and ${ACTIVE('old.user_id')}`,
        ),
      ),
    ),
  );
  // An account becomes active, or stops being so: the counts of everyone linked to it, in each of its networks.
  const statusChange = (becomes: 'active' | 'inactive', statements: string[]): RowTrigger => ({
    name: `${TABLE}_users_${becomes}`,
    table: 'users',
    timing: 'after',
    event: 'update of status',
    when: becomes === 'active' ? "new.status = 'active' and old.status <> 'active'" : "old.status = 'active' and new.status <> 'active'",
    statements,
  });
  list.push(
    statusChange(
      'active',
      LINKS.map((l) => add(l.column, `select r.${l.owner}, m.network_id, 1 ${linked(l, 'new.id', ', memberships m')} and m.user_id = new.id`)),
    ),
    statusChange(
      'inactive',
      LINKS.map((l) =>
        subtract(
          l.column,
          `user_id in (select r.${l.owner} ${linked(l, 'new.id')}) and network_id in (select m.network_id from memberships m where m.user_id = new.id)`,
        ),
      ),
    ),
  );
  list.push({
    name: `${TABLE}_users_gone`,
    table: 'users',
    timing: 'before',
    event: 'delete',
    when: "old.status = 'active'",
    statements: ['delete from memberships where user_id = old.id'],
  });
  return list;
}

/** The counts from the rows, as the triggers keep them (the migration's fill, and the tests' reference). */
export function countsFromRows(db: Knex, column: Link['column']): Knex.QueryBuilder {
  const l = LINKS.find((x) => x.column === column)!;
  const q = db(`${l.table} as r`)
    .join('users as u', 'u.id', `r.${l.other}`)
    .join('memberships as m', 'm.user_id', `r.${l.other}`)
    .where('u.status', 'active')
    .groupBy(`r.${l.owner}`, 'm.network_id')
    .select(`r.${l.owner} as user_id`, 'm.network_id', db.raw('count(*) as n'));
  if (l.filter) q.whereRaw(`r.${l.filter}`);
  return q;
}

export const countsMigration: Migration = {
  name: '004_connection_counts',
  async up(db) {
    await db.schema.createTable(TABLE, (t) => {
      userIdColumn(t, 'user_id');
      networkIdColumn(t);
      t.integer('followers').notNullable().defaultTo(0);
      t.integer('following').notNullable().defaultTo(0);
      t.integer('friends').notNullable().defaultTo(0);
      t.primary(['user_id', 'network_id']);
    });
    await rebuildConnectionCounts(db);
  },
  async down(db) {
    await suspendConnectionCounts(db);
    await db.schema.dropTableIfExists(TABLE);
  },
};

/**
 * Drops the triggers, for a bulk writer (the bench seeder) that would otherwise run them once
 * per row; `rebuildConnectionCounts` in the same transaction puts them back.
 */
export async function suspendConnectionCounts(db: Knex): Promise<void> {
  for (const t of triggers()) await dropRowTrigger(db, t.name, t.table);
}

/** Counts every member's links from the rows again and (re)creates the triggers that keep them. */
export async function rebuildConnectionCounts(db: Knex): Promise<void> {
  await suspendConnectionCounts(db);
  await db(TABLE).delete();
  for (const l of LINKS) {
    const rows = countsFromRows(db, l.column).toSQL();
    await db.raw(add(l.column, `select user_id, network_id, n from (${rows.sql}) c where true`), rows.bindings);
  }
  for (const t of triggers()) await createRowTrigger(db, t);
}

/** A member's counts in a network (every profile page shows them); kept prepared. */
const COUNTS = preparedRead<{ followers: number | string; following: number | string; friends: number | string }>(
  `select followers, "following", friends from ${TABLE} where user_id = ? and network_id = ? limit 1`,
);

/** A member's counts in a network (zeros when nobody is linked to them there). */
export async function connectionCounts(
  db: Knex,
  userId: number,
  networkId: number,
): Promise<{ followers: number; following: number; connections: number }> {
  const row = await COUNTS.first(db, [userId, networkId]);
  return { followers: Number(row?.followers ?? 0), following: Number(row?.following ?? 0), connections: Number(row?.friends ?? 0) };
}
