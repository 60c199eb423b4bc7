/**
 * The match every content statement starts from: the rows of the index holding the words, joined
 * to `entities` and narrowed by the core's `access.visibleTo` in the same statement, read newest
 * first straight from the index (FTS5 walks its rowids, the entity ids, in order; PostgreSQL reads
 * `entity_id` from its scope index). The index carries each row's network, type, container and
 * author (`scope` tokens on SQLite, columns on PostgreSQL), so a tab, a group or a sub-network is
 * narrowed inside it, then checked again on `entities`, the truth.
 */
import type { Knex } from 'knex';
import { KeptBuilds, type Runtime, type Viewer } from '../../core';
import type { ShownText } from './excerpts';
import { ftsQuery, scopeTokens, TSQUERY, tsBindings } from './match';

/** What narrows a content search: the types searched, a group, an author, a period. */
export interface Scope {
  /** Entity types searched (a tab's, or every indexed type). */
  types: readonly string[];
  containerId?: number;
  authorId?: number;
  from?: number;
  to?: number;
}

export interface Hit {
  id: number;
  type: string;
  owner_id: number;
  network_id: number;
  container_id: number | null;
  created_at: number;
  /** Its title and excerpt, highlighted (kept by words and row: excerpts.ts). */
  shown: ShownText;
}

/** A row of a content statement, before its text is read (`total`: the window it counted). */
export type Row = Omit<Hit, 'shown'> & { total?: number | string };

export const HIT_COLUMNS = ['e.id', 'e.type', 'e.owner_id', 'e.network_id', 'e.container_id', 'e.created_at'];

/**
 * Texts of the content statements kept by viewer (`access.visibilityKey`), words, filters and
 * page: a page read again does not pay knex's build. A key past `MAX_KEY` (long lists) is built
 * each time.
 */
const KEPT = new KeptBuilds(512);
const MAX_KEY = 4096;

export type MatchRuntime = Pick<Runtime, 'db' | 'dialect' | 'access' | 'networks'>;

/** Builds the access-filtered match of a network's indexed types (`indexed`: every type some plugin declares searchable). */
export class Matcher {
  constructor(
    readonly rt: MatchRuntime,
    private readonly indexed: readonly string[],
  ) {}

  /**
   * The scope tokens the main match carries. At the root only what narrows (a tab's types, a
   * group, an author): the root's token and the list of every type are on most rows, and FTS5
   * would read those long lists to intersect them. A sub-network's token narrows the match.
   */
  private scope(networkId: number, f: Scope): string | null {
    return scopeTokens(networkId === this.rt.networks.root().id ? null : networkId, f, this.indexed);
  }

  /**
   * The matching rows this viewer may see in the network, in the index's order (newest first by
   * default), before any limit.
   */
  matching(
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
   * Runs a content statement from its kept text: `statement` names it, `page` is what else it is
   * built from besides the viewer, the network, the words and the filters; `vary` as `KeptBuilds`.
   */
  read<R>(
    viewer: Viewer | null,
    statement: string,
    networkId: number,
    words: readonly string[],
    f: Scope,
    page: unknown,
    build: () => Knex.QueryBuilder,
    vary?: ReadonlyMap<unknown, unknown>,
  ): Promise<R[]> {
    const filters = [f.types, f.containerId ?? null, f.authorId ?? null, f.from ?? null, f.to ?? null];
    const key = JSON.stringify([statement, this.rt.access.visibilityKey(viewer), networkId, words, filters, this.indexed, page]);
    return KEPT.read<R>(this.rt.db, key.length <= MAX_KEY ? key : null, build, vary);
  }
}
