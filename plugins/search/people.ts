/**
 * People search: members of a network whose name or username (or a profile field the viewer may
 * see) contains every word, read from trigram indexes of the folded values.
 */
import type { Knex } from 'knex';
import {
  containsWord,
  KeptBuilds,
  keysetPageOf,
  keysetQuery,
  type KeyColumn,
  type KeysetCursor,
  type Runtime,
  type SortKey,
  type SubstringIndex,
  type Viewer,
} from '../../core';
import { fixedLimit } from './match';

export interface PersonHit {
  id: number;
  username: string;
  display_name: string;
}

/** The people tab's order, read as a keyset (`?after=`/`?before=`: a name and an id). */
const PEOPLE_ORDER: readonly KeyColumn[] = [{ sql: 'u.display_name' }, { sql: 'u.id' }];

/** A page of people, with the total and the keys of the pages around it. */
export interface PeoplePage {
  people: PersonHit[];
  total: number;
  prev: SortKey | null;
  next: SortKey | null;
}

/** Texts of the people statements kept by viewer, network, words and page (a key past `MAX_KEY` is built each time). */
const KEPT = new KeptBuilds(512);
const MAX_KEY = 4096;

/** The trigrams of the members' folded names and usernames (migration 004). */
export const NAMES_TRIGRAMS: SubstringIndex = { table: 'search_names', column: 'folded', key: 'user_id' };

/**
 * Members of the network whose name or username contains every word, or a profile field the
 * viewer may see (`people:searchMatches`: each word in the name or such a field): active
 * accounts only, and only for an active member (guests find no one). A partner network lists
 * its own members.
 */
export async function findPeople(
  rt: Pick<Runtime, 'db' | 'hooks' | 'access'>,
  viewer: Viewer | null,
  networkId: number,
  words: readonly string[],
  limit: number,
  cursor: Pick<KeysetCursor, 'after' | 'before'> = {},
): Promise<PeoplePage> {
  if (!words.length || !viewer || viewer.status !== 'active') return { people: [], total: 0, prev: null, next: null };
  // Names and usernames are folded once when written (`search_names`, row triggers on users), and
  // a word is looked up in their trigrams.
  // Each word narrows to the members it matches (the name's index, or a field's), so the members
  // of the network are read for those candidates only, not scanned for each word.
  // (A builder is a thenable: answered from an async function, it would run. Hence `{ q }`.)
  const base = async (): Promise<{ q: Knex.QueryBuilder }> => {
    const fields = await Promise.all(words.map((word) => rt.hooks.filter('people:searchMatches', [], { networkId, viewer, word })));
    const q = rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where('m.network_id', networkId).where('u.status', 'active');
    words.forEach((w, i) => {
      const byName = rt
        .db('search_names as sn')
        .select('sn.user_id')
        .modify(containsWord(rt.db, NAMES_TRIGRAMS, 'sn', w));
      q.whereIn('u.id', fields[i].length ? byName.union(fields[i]) : byName);
    });
    return { q };
  };
  // A page read by keyset (no OFFSET: any page costs what the first costs). The first page counts
  // its rows in the same statement (a window over them); a page past a cursor counts apart.
  // Both texts are kept built (the hook's answers are a function of its context, see the hook).
  const key = cursor.after ?? cursor.before;
  const kept = (statement: string): string | null => {
    const k = JSON.stringify([
      statement,
      rt.access.visibilityKey(viewer),
      networkId,
      words,
      limit,
      cursor,
      rt.hooks.filtering('people:searchMatches', { networkId, viewer, word: '' }),
    ]);
    return k.length <= MAX_KEY ? k : null;
  };
  const columns = ['u.id', 'u.username', 'u.display_name', ...(key ? [] : [rt.db.raw('count(*) over () as total')])];
  const rows = await KEPT.read<PersonHit & { total?: number | string }>(rt.db, kept('page'), async () =>
    fixedLimit(keysetQuery((await base()).q.select(columns), PEOPLE_ORDER, cursor, limit), limit + 1).toSQL(),
  );
  const page = keysetPageOf(rows, cursor, limit, (r) => [r.display_name, Number(r.id)]);
  const total = !key
    ? Number(page.items[0]?.total ?? 0)
    : Number((await KEPT.read<{ n: number | string }>(rt.db, kept('count'), async () => (await base()).q.count({ n: '*' }).toSQL()))[0]?.n ?? 0);
  const people = page.items.map((p) => ({ id: Number(p.id), username: p.username, display_name: p.display_name }));
  return { people, total, prev: page.prev, next: page.next };
}
