/**
 * The searches. Every statement that finds content joins `entities` and narrows it with the
 * core's `access.visibleTo` in the same statement as the match and the ranking, so a page of
 * results and the count of each tab come from the rows this viewer may see — never a filter
 * after a LIMIT. SQLite matches in FTS5 (bm25, title and tags weighted over the body),
 * PostgreSQL in the `tsvector` (ts_rank, the query stemmed in French, English and as typed);
 * relevance is divided by a recency factor so that of two equal matches the newer comes first.
 */
import type { Knex } from 'knex';
import { LIKE_ESCAPE, likeContains, type Runtime, type Viewer } from '../../core';
import { editDistance, fold } from './text';

export const PAGE_SIZE = 20;
/** Age (ms) at which a result's relevance is halved. */
const HALF_LIFE_MS = 180 * 86_400_000;

export interface ContentFilters {
  /** Entity types searched (a tab's, or every indexed type). */
  types: readonly string[];
  containerId?: number;
  authorId?: number;
  from?: number;
  to?: number;
  sort: 'relevance' | 'date';
  page: number;
}

export interface Hit {
  id: number;
  type: string;
  owner_id: number;
  network_id: number;
  container_id: number | null;
  created_at: number;
  title: string;
  body: string;
}

export interface PersonHit {
  id: number;
  username: string;
  display_name: string;
}

export class SearchQuery {
  static readonly uses = ['db', 'dialect', 'access', 'plugins'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof SearchQuery.uses)[number]>) {}

  /** Entity types declaring search, by tab. */
  tabs(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const p of this.rt.plugins.list())
      for (const e of p.manifest.entities ?? []) if (e.search) out.set(e.search.tab, [...(out.get(e.search.tab) ?? []), e.type]);
    return out;
  }

  /** The matching rows this viewer may see in the network, before paging and ordering. */
  private matching(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    f: Omit<ContentFilters, 'sort' | 'page'>,
    prefix = false,
  ): Knex.QueryBuilder {
    const db = this.rt.db;
    const q =
      this.rt.dialect === 'sqlite'
        ? db('search_fts')
            .join('entities as e', 'e.id', 'search_fts.rowid')
            .whereRaw('search_fts match ?', [ftsQuery(words, prefix)])
        : db('derived_search_docs as d')
            .join('entities as e', 'e.id', 'd.entity_id')
            .whereRaw(`d.tsv @@ (${TSQUERY(prefix)})`, tsBindings(words, prefix));
    q.where('e.network_id', networkId).whereIn('e.type', [...f.types]);
    if (f.containerId) q.where('e.container_id', f.containerId);
    if (f.authorId) q.where('e.owner_id', f.authorId);
    if (f.from !== undefined) q.where('e.created_at', '>=', f.from);
    if (f.to !== undefined) q.where('e.created_at', '<', f.to);
    return q.modify(this.rt.access.visibleTo(viewer, 'e'));
  }

  /** One page of results, best first (or newest), and whether more follow. */
  async content(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    f: ContentFilters,
    now = Date.now(),
  ): Promise<{ hits: Hit[]; more: boolean }> {
    if (!words.length || !f.types.length) return { hits: [], more: false };
    const q = this.matching(viewer, networkId, words, f);
    const text = this.rt.dialect === 'sqlite' ? ['search_fts.title', 'search_fts.body'] : ['d.title', 'd.body'];
    q.select('e.id', 'e.type', 'e.owner_id', 'e.network_id', 'e.container_id', 'e.created_at', ...text);
    if (f.sort === 'date')
      q.orderBy([
        { column: 'e.created_at', order: 'desc' },
        { column: 'e.id', order: 'desc' },
      ]);
    else if (this.rt.dialect === 'sqlite')
      q.orderByRaw('bm25(search_fts, 10.0, 1.0, 6.0) * (1.0 + ? / (1.0 + (? - e.created_at) / ?)), e.id desc', [1, now, HALF_LIFE_MS]);
    else
      q.orderByRaw(`ts_rank(d.tsv, ${TSQUERY(false)}) * (1.0 + 1.0 / (1.0 + (? - e.created_at) / ?)) desc, e.id desc`, [
        ...tsBindings(words, false),
        now,
        HALF_LIFE_MS,
      ]);
    const rows = (await q.limit(PAGE_SIZE + 1).offset((f.page - 1) * PAGE_SIZE)) as Hit[];
    return {
      hits: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, id: Number(r.id), owner_id: Number(r.owner_id), created_at: Number(r.created_at) })),
      more: rows.length > PAGE_SIZE,
    };
  }

  /** How many results each entity type has for this viewer (the same access-filtered match). */
  async countsByType(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    f: Omit<ContentFilters, 'sort' | 'page'>,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!words.length || !f.types.length) return out;
    const rows = (await this.matching(viewer, networkId, words, f).groupBy('e.type').select('e.type').count({ n: '*' })) as {
      type: string;
      n: number | string;
    }[];
    for (const r of rows) out.set(r.type, Number(r.n));
    return out;
  }

  /** Titles of the entities matching the words as prefixes (suggestions while typing). */
  async titles(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    types: readonly string[],
    limit: number,
  ): Promise<{ id: number; type: string; network_id: number; title: string }[]> {
    if (!words.length || !types.length) return [];
    const title = this.rt.dialect === 'sqlite' ? 'search_fts.title' : 'd.title';
    const rows = (await this.matching(viewer, networkId, words, { types }, true)
      .select('e.id', 'e.type', 'e.network_id', this.rt.db.ref(title).as('title'))
      .orderBy('e.id', 'desc')
      .limit(limit)) as { id: number; type: string; network_id: number; title: string }[];
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /**
   * Members of the network whose name or username contains every word: active accounts only,
   * and only for an active member (guests find no one). A partner network lists its own members.
   */
  async people(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    limit: number,
    offset = 0,
  ): Promise<{ people: PersonHit[]; total: number }> {
    if (!words.length || !viewer || viewer.status !== 'active') return { people: [], total: 0 };
    const base = (): Knex.QueryBuilder => {
      const q = this.rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where('m.network_id', networkId).where('u.status', 'active');
      const name = foldSql(this.rt.dialect, 'u.display_name');
      for (const w of words)
        q.where((s) =>
          s.whereRaw(`${name} like ? ${LIKE_ESCAPE}`, [likeContains(w)]).orWhereRaw(`lower(u.username) like ? ${LIKE_ESCAPE}`, [likeContains(w)]),
        );
      return q;
    };
    const total = Number(((await base().count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
    const people = (await base()
      .select('u.id', 'u.username', 'u.display_name')
      .orderBy('u.display_name')
      .orderBy('u.id')
      .limit(limit)
      .offset(offset)) as PersonHit[];
    return { people: people.map((p) => ({ ...p, id: Number(p.id) })), total };
  }

  /** Tags of entities this viewer may see in the network, starting with `prefix`. */
  async tags(viewer: Viewer | null, networkId: number, prefix: string, limit: number): Promise<string[]> {
    if (!prefix) return [];
    const rows = (await this.rt
      .db('entity_tags as t')
      .join('entities as e', 'e.id', 't.entity_id')
      .where('e.network_id', networkId)
      .where('t.tag', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      .distinct('t.tag')
      .orderBy('t.tag')
      .limit(limit)) as { tag: string }[];
    return rows.map((r) => r.tag);
  }

  /**
   * A close spelling of the words: each word not indexed is replaced by the nearest indexed
   * word (edit distance 1, or 2 for words of six letters and more). Null when nothing is close.
   * The caller offers it only when it finds something for this viewer, so the words of what a
   * viewer may not see are never suggested.
   */
  async closeSpelling(words: readonly string[]): Promise<string[] | null> {
    let changed = false;
    const out: string[] = [];
    for (const w of words) {
      const known = await this.rt.db('derived_search_terms').where({ term: w }).first('term');
      if (known || w.length < 3) {
        out.push(w);
        continue;
      }
      const max = w.length >= 6 ? 2 : 1;
      const candidates = (await this.rt
        .db('derived_search_terms')
        .where('initial', w.slice(0, 1))
        .whereBetween('length', [w.length - max, w.length + max])
        .limit(5000)
        .pluck('term')) as string[];
      let best: string | null = null;
      let bestDistance = max + 1;
      for (const c of candidates) {
        const d = editDistance(w, c, max);
        if (d < bestDistance || (d === bestDistance && best !== null && c < best)) {
          best = c;
          bestDistance = d;
        }
      }
      if (best && bestDistance <= max) {
        out.push(best);
        changed = true;
      } else out.push(w);
    }
    return changed ? out : null;
  }
}

/** Accented letters of names (both cases: SQLite's lower() knows only ASCII) and their folded forms. */
const ACCENTED = 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ';
const FOLDED = 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuy';

/** SQL folding a column as `fold` does for the letters of ACCENTED: translate() on PostgreSQL, replace() on SQLite. */
function foldSql(dialect: string, column: string): string {
  if (dialect === 'postgres') return `lower(translate(${column}, '${ACCENTED}', '${FOLDED}'))`;
  let sql = column;
  for (let i = 0; i < ACCENTED.length; i++) sql = `replace(${sql}, '${ACCENTED[i]}', '${FOLDED[i]}')`;
  return `lower(${sql})`;
}

/** An FTS5 query: every word, quoted (no operator a member types is read as syntax); the last a prefix when asked. */
function ftsQuery(words: readonly string[], prefix: boolean): string {
  return words.map((w, i) => `"${w.replace(/"/g, '')}"${prefix && i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The PostgreSQL query: the words stemmed in French, in English and as typed (tags), any of the three. */
const TSQUERY = (prefix: boolean): string =>
  prefix ? `to_tsquery('simple', ?)` : `plainto_tsquery('french', ?) || plainto_tsquery('english', ?) || plainto_tsquery('simple', ?)`;

function tsBindings(words: readonly string[], prefix: boolean): string[] {
  const text = words.map(fold).join(' ');
  if (!prefix) return [text, text, text];
  return [words.map((w, i) => `'${w.replace(/[^\p{L}\p{N}]/gu, '')}'${i === words.length - 1 ? ':*' : ''}`).join(' & ')];
}
