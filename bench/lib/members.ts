/**
 * Members for the single-page benches (directory, alerts): `count` active members of the root
 * network (`member<i>`, ids from `FIRST_MEMBER_ID`), bulk-inserted in chunked transactions of
 * multi-row inserts. A bench changes a member's columns with `user(i)` and adds each member's
 * rows of other tables (a profile, field values) with `rows(i, id)`, inserted after them.
 * `addProfileFields` adds the admin-defined fields those values fill.
 */
import type { Knex } from 'knex';

export const FIRST_MEMBER_ID = 1000;
const CHUNK = 400;

type Row = Record<string, unknown>;

export interface MemberSeed {
  user?: (i: number) => Row;
  rows?: (i: number, id: number) => Record<string, Row[]>;
}

export async function seedMembers(db: Knex, count: number, seed: MemberSeed = {}): Promise<void> {
  const now = Date.now();
  for (let start = 0; start < count; start += CHUNK) {
    await db.transaction(async (trx) => {
      const tables = new Map<string, Row[]>([
        ['users', []],
        ['memberships', []],
      ]);
      const add = (table: string, rows: Row[]): void => {
        if (!tables.has(table)) tables.set(table, []);
        tables.get(table)!.push(...rows);
      };
      for (let i = start; i < Math.min(count, start + CHUNK); i++) {
        const id = FIRST_MEMBER_ID + i;
        const username = `member${i}`;
        const email = `${username}@example.com`;
        const joined = now - i * 60_000;
        add('users', [
          {
            id,
            username,
            username_lower: username,
            email,
            email_lower: email,
            display_name: `Member ${i}`,
            status: 'active',
            is_root_admin: false,
            created_at: joined,
            updated_at: now,
            ...seed.user?.(i),
          },
        ]);
        add('memberships', [{ user_id: id, network_id: 1, role: 'member', created_at: joined }]);
        for (const [table, rows] of Object.entries(seed.rows?.(i, id) ?? {})) add(table, rows);
      }
      for (const [table, rows] of tables) for (let j = 0; j < rows.length; j += CHUNK) await trx(table).insert(rows.slice(j, j + CHUNK));
    });
  }
}

/** An admin-defined profile field of a bench: `text` and seen by members unless told; `searchable` as the table defaults unless told. */
export interface BenchField {
  key: string;
  type?: string;
  choices?: readonly string[];
  visibility?: string;
  searchable?: boolean;
}

/** Adds these profile fields, labelled by their key in both languages, not required, in this order; returns their ids. */
export async function addProfileFields(db: Knex, fields: readonly BenchField[]): Promise<number[]> {
  const ids: number[] = [];
  for (const { key, type = 'text', choices = [], visibility = 'members', searchable } of fields) {
    const [row] = await db('profile_fields')
      .insert({
        key,
        label_en: key,
        label_fr: key,
        type,
        choices: JSON.stringify(choices),
        required: false,
        ...(searchable === undefined ? {} : { searchable }),
        visibility,
        position: ids.length,
      })
      .returning('id');
    ids.push(Number(typeof row === 'object' ? row.id : row));
  }
  return ids;
}
