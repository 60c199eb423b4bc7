/**
 * People search: members of a network whose name or username (or a profile field the viewer may
 * see) contains every word, read from trigram indexes of the folded values.
 */
import type { Knex } from 'knex';
import { containsWord, readBuilt, type Runtime, type SubstringIndex, type Viewer } from '../../core';

export interface PersonHit {
  id: number;
  username: string;
  display_name: string;
}

/** The trigrams of the members' folded names and usernames (migration 004). */
export const NAMES_TRIGRAMS: SubstringIndex = { table: 'search_names', column: 'folded', key: 'user_id' };

/**
 * Members of the network whose name or username contains every word, or a profile field the
 * viewer may see (`people:searchMatches`: each word in the name or such a field): active
 * accounts only, and only for an active member (guests find no one). A partner network lists
 * its own members.
 */
export async function findPeople(
  rt: Pick<Runtime, 'db' | 'hooks'>,
  viewer: Viewer | null,
  networkId: number,
  words: readonly string[],
  limit: number,
  offset = 0,
): Promise<{ people: PersonHit[]; total: number }> {
  if (!words.length || !viewer || viewer.status !== 'active') return { people: [], total: 0 };
  const fields = await Promise.all(words.map((word) => rt.hooks.filter('people:searchMatches', [], { networkId, viewer, word })));
  // Names and usernames are folded once when written (`search_names`, row triggers on users), and
  // a word is looked up in their trigrams.
  // Each word narrows to the members it matches (the name's index, or a field's), so the members
  // of the network are read for those candidates only, not scanned for each word.
  const base = (): Knex.QueryBuilder => {
    const q = rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where('m.network_id', networkId).where('u.status', 'active');
    words.forEach((w, i) => {
      const byName = rt
        .db('search_names as sn')
        .select('sn.user_id')
        .modify(containsWord(rt.db, NAMES_TRIGRAMS, 'sn', w));
      q.whereIn('u.id', fields[i].length ? byName.union(fields[i]) : byName);
    });
    return q;
  };
  // The count rides along with the page (a window over the same rows); a page past the end counts alone.
  const rows = await readBuilt<PersonHit & { total: number | string }>(
    rt.db,
    base()
      .select('u.id', 'u.username', 'u.display_name', rt.db.raw('count(*) over () as total'))
      .orderBy('u.display_name')
      .orderBy('u.id')
      .limit(limit)
      .offset(offset),
  );
  const total = rows.length
    ? Number(rows[0].total)
    : !offset
      ? 0
      : Number((await readBuilt<{ n: number | string }>(rt.db, base().count({ n: '*' })))[0]?.n ?? 0);
  return { people: rows.map((p) => ({ id: Number(p.id), username: p.username, display_name: p.display_name })), total };
}
