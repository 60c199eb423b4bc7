/**
 * The searches. Every statement that finds content joins `entities` and narrows it with the
 * core's `access.visibleTo` in the same statement as the match and the ranking, so a page of
 * results and the count of each tab come from the rows this viewer may see — never a filter
 * after a LIMIT. SQLite matches in FTS5 (bm25, title and tags weighted over the body),
 * PostgreSQL in the `tsvector` (ts_rank, the query stemmed in French, English and as typed).
 *
 * Bounded by design (issue 21): the match is read newest first straight from the index (FTS5
 * walks its rowids, the entity ids, in order; PostgreSQL reads `entity_id` from its scope index)
 * and each statement stops after a fixed number of rows the viewer may see, so a common word
 * costs no more than a rare one:
 * - relevance ranks the newest `CANDIDATES` visible matches (bm25 / ts_rank times a recency
 *   boost) — the score is computed for those rows only;
 * - the date order sorts by date the newest `CANDIDATES` visible matches in the index's order
 *   (creation order), or as many as the page needs: a row dated back (an import) is placed by its
 *   date among its neighbours;
 * - each tab counts at most `COUNT_CAP` + 1 visible rows ("100+");
 * - the index carries each row's network, type, container and author (`scope` tokens on
 *   SQLite, columns on PostgreSQL), so a tab, a group or a sub-network is narrowed inside it.
 */
import { idList, perDialect, preparedRead, readBuilt, type KeysetCursor, type Runtime, type SortKey, type Viewer } from '../../core';
import { byDate } from './by-date';
import { shownTexts } from './excerpts';
import { fixedLimit } from './match';
import { Matcher, type Hit, type Row, type Scope } from './matching';
import { findPeople, type PeoplePage } from './people';
import { ranked } from './ranked';
import { closeSpelling } from './spelling';

export type { Hit } from './matching';

export const PAGE_SIZE = 20;
/**
 * Visible matches, newest first, that the relevance order ranks (each is joined to `entities`
 * and its access checked, then scored: 400 cost twice as much for rarely a better first page).
 */
export const CANDIDATES = 200;
/**
 * A tab counts this many results at most, then shows "100+": a count reads every row it counts
 * (the access clause for each), and 1,001 rows were the dearest statement of the page on PostgreSQL.
 */
export const COUNT_CAP = 100;
/** The last page of the relevance order, which ranks `CANDIDATES` matches (pages by OFFSET within them). */
export const RELEVANCE_PAGES = CANDIDATES / PAGE_SIZE;
/** The indexed title and body of a page's rows, by id (one kept text whatever their number). */
const TEXTS = preparedRead<{ id: number; title: string; body: string }>({
  sqlite: perDialect((ids) => `select rowid as id, title, body from search_fts where ${ids('rowid')}`).sqlite,
  postgres: perDialect((ids) => `select entity_id as id, title, body from derived_search_docs where ${ids('entity_id')}`).postgres,
});

export interface ContentFilters extends Scope {
  sort: 'relevance' | 'date';
  /** The page of the relevance order (1 to `RELEVANCE_PAGES`). */
  page: number;
  /** Where a page of the date order starts (a keyset over the date and the id; the first page without). */
  cursor?: Pick<KeysetCursor, 'after' | 'before'>;
}

/** A page of content results. */
export interface ContentPage {
  hits: Hit[];
  /** Relevance: whether a next page follows. */
  more: boolean;
  /** Date order: the sort keys of the pages before and after this one (null at either end). */
  prev: SortKey | null;
  next: SortKey | null;
  /**
   * The visible matches, counted up to `COUNT_CAP` + 1 by the statement that read the page (the
   * window of candidates it ranked or sorted); null when this page cannot tell (a later page of
   * the date order, a page past the last), to be counted apart (`countsByTab`).
   */
  counted: number | null;
  /** Relevance: the window of candidates was full (more matches than the order ranks may follow by date). */
  bounded: boolean;
}

/** `findPeople`'s arguments after the runtime. */
type PeopleArgs = Parameters<typeof findPeople> extends [unknown, ...infer A] ? A : never;

export class SearchQuery {
  static readonly uses = ['db', 'dialect', 'access', 'plugins', 'networks', 'hooks'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof SearchQuery.uses)[number]>) {}

  /** The search declarations of the loaded plugins (fixed for the app's life), read once. */
  private declared?: { tabs: ReadonlyMap<string, readonly string[]>; kinds: ReadonlyMap<string, string> };
  private declarations(): NonNullable<SearchQuery['declared']> {
    if (this.declared) return this.declared;
    const tabs = new Map<string, string[]>();
    const kinds = new Map<string, string>();
    for (const p of this.rt.plugins.list())
      for (const e of p.manifest.entities ?? [])
        if (e.search) {
          tabs.set(e.search.tab, [...(tabs.get(e.search.tab) ?? []), e.type]);
          // A type may name its results itself (an album under Files), else its tab does.
          kinds.set(e.type, e.search.kind ?? `search.kind.${e.search.tab}`);
        }
    return (this.declared = { tabs, kinds });
  }

  /** Entity types declaring search, by tab. */
  tabs(): ReadonlyMap<string, readonly string[]> {
    return this.declarations().tabs;
  }

  /** The i18n key naming a result of this type ("Album", "Post"). */
  kindOf(type: string): string {
    return this.declarations().kinds.get(type) ?? 'search.kind.posts';
  }

  /** The access-filtered match over every entity type some plugin declares searchable (built once). */
  private matcherOf?: Matcher;
  private get matcher(): Matcher {
    return (this.matcherOf ??= new Matcher(this.rt, [...this.tabs().values()].flat()));
  }

  /**
   * One page of results, best first (pages by OFFSET within the `CANDIDATES` it ranks), or
   * newest first (pages by a keyset cursor), with the open tab's count when the page's own
   * statement tells it.
   */
  async content(viewer: Viewer | null, networkId: number, words: readonly string[], f: ContentFilters, now = Date.now()): Promise<ContentPage> {
    const none: ContentPage = { hits: [], more: false, prev: null, next: null, counted: 0, bounded: false };
    if (!words.length || !f.types.length) return none;
    let rows: Row[];
    let keys: Pick<ContentPage, 'prev' | 'next' | 'more'>;
    let first: boolean;
    if (f.sort === 'date') {
      const page = await byDate(this.matcher, viewer, networkId, words, f, f.cursor ?? {}, { candidates: CANDIDATES, pageSize: PAGE_SIZE });
      first = !f.cursor?.after && !f.cursor?.before;
      rows = page.items;
      keys = { prev: page.prev, next: page.next, more: !!page.next };
    } else {
      if (f.page > RELEVANCE_PAGES) return { ...none, counted: null, bounded: true };
      const best = await ranked(this.matcher, viewer, networkId, words, f, now, {
        candidates: CANDIDATES,
        size: PAGE_SIZE,
        offset: (f.page - 1) * PAGE_SIZE,
      });
      first = f.page === 1;
      rows = best.slice(0, PAGE_SIZE);
      keys = { prev: null, next: null, more: best.length > PAGE_SIZE };
    }
    // Each relevance page and the date order's first counted their window; a later date page did not.
    const total = rows.length && rows[0].total !== undefined ? Number(rows[0].total) : first ? 0 : null;
    const page = rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      owner_id: Number(r.owner_id),
      network_id: Number(r.network_id),
      container_id: r.container_id === null ? null : Number(r.container_id),
      created_at: Number(r.created_at),
    }));
    // The title and excerpt of each row: kept by words and row, the text read for the others only.
    const shown = await shownTexts(
      this.rt.db,
      words,
      page.map((r) => r.id),
      (ids) => this.texts(ids),
      now,
    );
    return {
      hits: page.map((r) => ({ ...r, shown: shown.get(r.id)! })),
      ...keys,
      counted: total === null ? null : Math.min(total, COUNT_CAP + 1),
      bounded: f.sort === 'relevance' && total === CANDIDATES,
    };
  }

  /** The indexed title of an entity (a group's name), null when it is not indexed. */
  async indexedTitle(id: number): Promise<string | null> {
    const db = this.rt.db;
    const row = (
      this.rt.dialect === 'sqlite'
        ? await db('search_fts').where('rowid', id).first('title')
        : await db('derived_search_docs').where('entity_id', id).first('title')
    ) as { title: string } | undefined;
    return row?.title ?? null;
  }

  /** The indexed title and body of these entities (the page's rows only: their excerpts). */
  async texts(ids: readonly number[]): Promise<Map<number, { title: string; body: string }>> {
    if (!ids.length) return new Map();
    const rows = await TEXTS.all(this.rt.db, [idList(ids)]);
    return new Map(rows.map((r) => [Number(r.id), { title: r.title, body: r.body }]));
  }

  /**
   * How many results each tab has for this viewer (the same access-filtered match), each
   * counted up to `cap` + 1 rows: a count above `cap` reads "more than cap".
   */
  async countsByTab(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    tabs: ReadonlyMap<string, readonly string[]>,
    f: Omit<Scope, 'types'>,
    cap = COUNT_CAP,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const list = [...tabs].filter(([, types]) => types.length);
    if (!words.length || !list.length) return out;
    const db = this.rt.db;
    const columns = Object.fromEntries(
      list.map(([, types], i) => [
        `c${i}`,
        db
          .from(
            this.matcher
              .matching(viewer, networkId, words, { ...f, types })
              .clearOrder()
              .select(db.raw('1'))
              .modify((q) => fixedLimit(q, cap + 1))
              .as(`s${i}`),
          )
          .count('*'),
      ]),
    );
    const [row] = await readBuilt<Record<string, number | string>>(db, db.select(columns));
    list.forEach(([tab], i) => out.set(tab, Number(row[`c${i}`])));
    return out;
  }

  /**
   * Titles of the entities matching the words as prefixes (suggestions while typing), for types
   * with few rows per network (groups): on PostgreSQL the match walks those rows newest first.
   */
  async titles(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    types: readonly string[],
    limit: number,
  ): Promise<{ id: number; type: string; network_id: number; title: string }[]> {
    if (!words.length || !types.length) return [];
    const title = this.rt.dialect === 'sqlite' ? 'search_fts.title' : 'd.title';
    const rows = await readBuilt<{ id: number; type: string; network_id: number; title: string }>(
      this.rt.db,
      fixedLimit(
        this.matcher.matching(viewer, networkId, words, { types }, true).select('e.id', 'e.type', 'e.network_id', this.rt.db.ref(title).as('title')),
        limit,
      ),
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Members of the network matching every word (see `findPeople`). */
  people(...args: PeopleArgs): Promise<PeoplePage> {
    return findPeople(this.rt, ...args);
  }

  /** Tags of entities this viewer may see in the network, starting with `prefix`. */
  async tags(viewer: Viewer | null, networkId: number, prefix: string, limit: number): Promise<string[]> {
    if (!prefix) return [];
    const rows = await readBuilt<{ tag: string }>(
      this.rt.db,
      this.rt
        .db('entity_tags as t')
        .join('entities as e', 'e.id', 't.entity_id')
        .where('e.network_id', networkId)
        .where('t.tag', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
        .modify(this.rt.access.visibleTo(viewer, 'e'))
        .distinct('t.tag')
        .orderBy('t.tag')
        .limit(limit),
    );
    return rows.map((r) => r.tag);
  }

  /** A close spelling of the words (see `closeSpelling`). */
  closeSpelling(words: readonly string[]): Promise<string[] | null> {
    return closeSpelling(this.rt.db, words);
  }
}
