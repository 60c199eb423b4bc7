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
import type { Knex } from 'knex';
import {
  idList,
  KeptBuilds,
  perDialect,
  preparedRead,
  readBuilt,
  readKeyset,
  whereAfterKey,
  type KeyColumn,
  type KeysetCursor,
  type Runtime,
  type SortKey,
  type Viewer,
} from '../../core';
import { scoredWords } from './common-words';
import { ftsQuery, ftsWords, scopeTokens, TSQUERY, tsBindings } from './match';
import { findPeople, type PeoplePage } from './people';
import { closeSpelling } from './spelling';

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
/** The date order, newest first, over the window of candidates (`c`) and over `entities` (`e`). */
const BY_DATE: KeyColumn[] = [
  { sql: 'c.created_at', desc: true },
  { sql: 'c.id', desc: true },
];
const BY_DATE_E: KeyColumn[] = [
  { sql: 'e.created_at', desc: true },
  { sql: 'e.id', desc: true },
];
/** Age (ms) at which a result's relevance is halved. */
const HALF_LIFE_MS = 180 * 86_400_000;
/**
 * Texts of the relevance and date statements kept by viewer (`access.visibilityKey`), words,
 * filters and page: a page read again does not pay knex's build. The time relevance is relative
 * to is the marker `NOW`, given on each call; a key past `MAX_KEY` (long lists) is built each time.
 */
const KEPT = new KeptBuilds(512);
const MAX_KEY = 4096;
const NOW = -7_340_033_119;
/** The indexed title and body of a page's rows, by id (one kept text whatever their number). */
const TEXTS = preparedRead<{ id: number; title: string; body: string }>({
  sqlite: perDialect((ids) => `select rowid as id, title, body from search_fts where ${ids('rowid')}`).sqlite,
  postgres: perDialect((ids) => `select entity_id as id, title, body from derived_search_docs where ${ids('entity_id')}`).postgres,
});

export interface ContentFilters {
  /** Entity types searched (a tab's, or every indexed type). */
  types: readonly string[];
  containerId?: number;
  authorId?: number;
  from?: number;
  to?: number;
  sort: 'relevance' | 'date';
  /** The page of the relevance order (1 to `RELEVANCE_PAGES`). */
  page: number;
  /** Where a page of the date order starts (a keyset over the date and the id; the first page without). */
  cursor?: Pick<KeysetCursor, 'after' | 'before'>;
}

type Scope = Omit<ContentFilters, 'sort' | 'page' | 'cursor'>;

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

type Row = Omit<Hit, 'title' | 'body'> & { total?: number | string };

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

const HIT_COLUMNS = ['e.id', 'e.type', 'e.owner_id', 'e.network_id', 'e.container_id', 'e.created_at'];

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

  /**
   * The scope tokens the main match carries. At the root only what narrows (a tab's types, a
   * group, an author): the root's token and the list of every type are on most rows, and FTS5
   * would read those long lists to intersect them. A sub-network's token narrows the match.
   */
  private scope(networkId: number, f: Scope): string | null {
    return networkId === this.rt.networks.root().id ? scopeTokens(null, f, this.indexedTypes()) : scopeTokens(networkId, f, this.indexedTypes());
  }

  /** Every entity type some plugin declares searchable. */
  private indexedTypes(): string[] {
    return [...this.tabs().values()].flat();
  }

  /**
   * The matching rows this viewer may see in the network, in the index's order (newest first),
   * before any limit. The scope (network, types, group, author) narrows the match inside the
   * index and is checked again on `entities`, the truth, with the access clause.
   */
  private matching(
    viewer: Viewer | null,
    networkId: number,
    words: readonly string[],
    f: Scope,
    prefix = false,
    direction: 'asc' | 'desc' = 'desc',
  ): Knex.QueryBuilder {
    const db = this.rt.db;
    const q =
      this.rt.dialect === 'sqlite'
        ? db('search_fts')
            .join('entities as e', 'e.id', 'search_fts.rowid')
            .whereRaw('search_fts match ?', [ftsQuery(words, prefix, this.scope(networkId, f))])
            .orderBy('search_fts.rowid', direction)
        : db('derived_search_docs as d')
            .join('entities as e', 'e.id', 'd.entity_id')
            // A prefix (suggestions while typing) is tested on each row the scope index walks newest
            // first (`ts_match_vq` is `@@` the GIN index cannot serve): the GIN index would merge the
            // list of every word starting with it (56,693 rows for `sup` on the bench site) to find five.
            .whereRaw(prefix ? `ts_match_vq(d.tsv, ${TSQUERY(prefix)})` : `d.tsv @@ (${TSQUERY(prefix)})`, tsBindings(words, prefix))
            .where('d.network_id', networkId)
            .whereIn('d.type', [...f.types])
            .orderBy('d.entity_id', direction);
    q.where('e.network_id', networkId).whereIn('e.type', [...f.types]);
    if (f.containerId) q.where('e.container_id', f.containerId);
    if (f.authorId) q.where('e.owner_id', f.authorId);
    if (f.from !== undefined) q.where('e.created_at', '>=', f.from);
    if (f.to !== undefined) q.where('e.created_at', '<', f.to);
    return q.modify(this.rt.access.visibleTo(viewer, 'e'));
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
      const page = await this.byDate(viewer, networkId, words, f, f.cursor ?? {});
      first = !f.cursor?.after && !f.cursor?.before;
      rows = page.items;
      keys = { prev: page.prev, next: page.next, more: !!page.next };
    } else {
      if (f.page > RELEVANCE_PAGES) return { ...none, counted: null, bounded: true };
      const ranked = await this.ranked(viewer, networkId, words, f, now, (f.page - 1) * PAGE_SIZE);
      first = f.page === 1;
      rows = ranked.slice(0, PAGE_SIZE);
      keys = { prev: null, next: null, more: ranked.length > PAGE_SIZE };
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
    const text = await this.texts(page.map((r) => r.id));
    return {
      hits: page.map((r) => ({ ...r, title: text.get(r.id)?.title ?? '', body: text.get(r.id)?.body ?? '' })),
      ...keys,
      counted: total === null ? null : Math.min(total, COUNT_CAP + 1),
      bounded: f.sort === 'relevance' && total === CANDIDATES,
    };
  }

  /**
   * A page of the date order: the next `CANDIDATES` visible matches past the cursor in the index's
   * order (creation order), sorted by date (a row dated back, an import, is placed by its date among
   * its neighbours), read as a keyset over the date and the id. The first page counts its window.
   */
  private byDate(viewer: Viewer | null, networkId: number, words: readonly string[], f: Scope, cursor: Pick<KeysetCursor, 'after' | 'before'>) {
    const db = this.rt.db;
    const backwards = !cursor.after && !!cursor.before;
    const key = cursor.after ?? cursor.before;
    const window = this.matching(viewer, networkId, words, f, false, backwards ? 'asc' : 'desc')
      .select(...HIT_COLUMNS)
      .limit(CANDIDATES);
    if (key) whereAfterKey(window, backwards ? BY_DATE_E.map((c) => ({ ...c, desc: false })) : BY_DATE_E, key);
    const outer = db.from(window.as('c')).select('c.*');
    if (!key) outer.select(db.raw('count(*) over () as total'));
    return readKeyset<Row>(
      outer,
      BY_DATE,
      cursor,
      PAGE_SIZE,
      (r) => [Number(r.created_at), Number(r.id)],
      (q) => KEPT.read<Row>(db, this.keptKey(viewer, 'byDate', networkId, words, f, cursor), () => q),
    );
  }

  /**
   * A page of the newest `CANDIDATES` visible matches ordered by relevance: the score (bm25 /
   * ts_rank) is computed for those rows only, multiplied by up to 2 for a new one.
   */
  private async ranked(viewer: Viewer | null, networkId: number, words: readonly string[], f: Scope, now: number, offset: number): Promise<Row[]> {
    const db = this.rt.db;
    const boost = '(1.0 + 1.0 / (1.0 + (? - c.created_at) / ?))';
    const vary = new Map([[NOW, now]]);
    const candidates = () => this.matching(viewer, networkId, words, f).select(HIT_COLUMNS).limit(CANDIDATES);
    if (this.rt.dialect === 'sqlite') {
      // Words in half the index or more weigh nothing in bm25 but cost it their whole list: left
      // out of its cursor (`scoredWords`); the candidates matched every word.
      const scored = await scoredWords(db, words);
      const key = this.keptKey(viewer, 'ranked', networkId, words, f, [offset, scored]);
      // bm25 is scored by a second cursor matching the words alone, in any column (`ftsWords`):
      // with a scope phrase FTS5 would first count every row holding its token (its IDF, `n1` or
      // `tstatus` is on most of the index) for a phrase bm25 weighs 0, and with the column filter
      // it reads each word's positions to count its rows. The candidates matched the words in the
      // text columns, so each is matched again. That cursor reads only the candidates' rowid
      // range; bm25 is negative, best lowest, and the boost makes a new match lower still.
      return KEPT.read<Row>(
        db,
        key,
        () =>
          db
            .withMaterialized('c', candidates())
            .from('search_fts')
            .joinRaw('join c on c.id = +search_fts.rowid')
            .whereRaw('search_fts match ?', [ftsWords(scored)])
            .whereRaw('search_fts.rowid >= (select min(id) from c)')
            .select('c.id', 'c.type', 'c.owner_id', 'c.network_id', 'c.container_id', 'c.created_at', db.raw('(select count(*) from c) as total'))
            .orderByRaw(`bm25(search_fts, 10.0, 1.0, 6.0, 0.0) * ${boost}, c.id desc`, [NOW, HALF_LIFE_MS])
            .limit(PAGE_SIZE + 1)
            .offset(offset),
        vary,
      );
    }
    // The candidates carry their `tsv` (read to match them): ts_rank needs no second lookup of each.
    return KEPT.read<Row>(
      db,
      this.keptKey(viewer, 'ranked', networkId, words, f, offset),
      () =>
        db
          .from(candidates().select('d.tsv').as('c'))
          .select('c.id', 'c.type', 'c.owner_id', 'c.network_id', 'c.container_id', 'c.created_at', db.raw('count(*) over () as total'))
          .orderByRaw(`ts_rank(c.tsv, ${TSQUERY(false)}) * ${boost} desc, c.id desc`, [...tsBindings(words, false), NOW, HALF_LIFE_MS])
          .limit(PAGE_SIZE + 1)
          .offset(offset),
      vary,
    );
  }

  /** What a kept text of a content statement is built from besides the viewer: null when too long to keep. */
  private keptKey(viewer: Viewer | null, statement: string, networkId: number, words: readonly string[], f: Scope, page: unknown): string | null {
    const filters = [f.types, f.containerId ?? null, f.authorId ?? null, f.from ?? null, f.to ?? null];
    const key = JSON.stringify([statement, this.rt.access.visibilityKey(viewer), networkId, words, filters, this.indexedTypes(), page]);
    return key.length <= MAX_KEY ? key : null;
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
            this.matching(viewer, networkId, words, { ...f, types })
              .clearOrder()
              .select(db.raw('1'))
              .limit(cap + 1)
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
      this.matching(viewer, networkId, words, { types }, true)
        .select('e.id', 'e.type', 'e.network_id', this.rt.db.ref(title).as('title'))
        .limit(limit),
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
