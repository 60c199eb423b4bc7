/**
 * The search contract. A content plugin says, on each entity type it declares, what of it a
 * search index keeps: `entities: [{ type: 'blog_post', ..., search: { tab: 'blogs', read } }]`.
 * `read` answers the text of a batch of its entities (title, body, tags, language), read from
 * the plugin's own tables; the plugin keeping the index (the bundled `search`) calls it through
 * the manifest and imports no content plugin. Who may see a result is never indexed: the index
 * keeps text only and every query joins `entities` and applies `access.visibleTo` in the same
 * statement, so a change of level, a group turned secret, a deletion or a draft published is
 * seen by the next search with nothing to re-index.
 *
 * The index learns what changed from the `search_queue` table: `Entities` queues an entity in
 * the transaction of each create, update, soft deletion and tag change, and a plugin whose
 * searchable text lives in other rows (a discussion's replies) calls `queueSearch` in the
 * transaction that writes them.
 *
 * The plugin keeping the index hears of each queueing once the rows are committed
 * (`onSearchQueued`), so it indexes them at once in the background and a search — a GET, which
 * writes nothing — only waits for that work in progress.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../runtime';

/** The searchable text of one entity, as its plugin answers it. */
export interface SearchText {
  /** The entity id. */
  id: number;
  /** Weighted most: a title, a group's name, a file's name. */
  title: string;
  /** Plain text (Markdown is fine: markup characters are not words). */
  body: string;
  /** Extra words weighted as the title (tags are added by the index itself from `entity_tags`). */
  keywords?: string;
  /** `en` or `fr` when the plugin knows it; otherwise the index detects it, else the network's. */
  language?: string | null;
}

/** What an entity type declares: the results tab it shows under and how to read its text. */
export interface EntitySearchDef {
  /** A word naming the results tab: `posts`, `blogs`, `discussions`, `groups`, `files`... */
  tab: string;
  /**
   * The i18n key naming one result of this type on the results page (`files.search.album`:
   * "Album"), where the tab's own word would mislead; without it the tab's word names it.
   */
  kind?: string;
  /** The text of the given entities (missing ids are left out of the index). */
  read: (rt: Runtime, ids: number[]) => Promise<SearchText[]>;
}

/**
 * Text a plugin keeps about other plugins' entities (the comments under a post), indexed with
 * each entity whose type declares `trait`: a search finds the entity by it, with the entity's
 * own access (never indexed, read at query time). The plugin queues the entity
 * (`entities.textChanged`) in the transaction that writes that text.
 */
export interface AttachedSearchDef {
  /** The trait of the entity types it attaches to (`commentable`). */
  trait: string;
  /** The attached text of these entities, by entity id (an entity with none left out). */
  read: (rt: Runtime, ids: number[]) => Promise<Map<number, string>>;
}

/**
 * Texts grouped by entity, in order, keeping for each the latest ones up to about `max`
 * characters (a long thread's newest replies): `rows` come newest first, each list oldest first.
 */
export function latestTextById(rows: readonly { id: number; text: string }[], max = 200_000): Map<number, string[]> {
  const said = new Map<number, string[]>();
  const size = new Map<number, number>();
  for (const r of rows) {
    if ((size.get(r.id) ?? 0) > max) continue;
    said.set(r.id, [...(said.get(r.id) ?? []), r.text]);
    size.set(r.id, (size.get(r.id) ?? 0) + r.text.length);
  }
  for (const list of said.values()) list.reverse();
  return said;
}

/**
 * What search keeps of a kind of piece (comments, a topic's replies) under each entity of `ids`
 * (`parent` names it): the bodies of the live pieces a moderator did not hide, the newest up to
 * about `max` characters for each (`latestTextById`), oldest first.
 */
export async function piecesText(db: Knex, table: string, parent: string, ids: readonly number[], max = 200_000): Promise<Map<number, string[]>> {
  const rows = (await db(table)
    .whereIn(parent, ids)
    .whereNull('deleted_at')
    .where({ withheld: false })
    .orderBy('id', 'desc')
    .select(parent, 'body')) as Record<string, unknown>[];
  return latestTextById(
    rows.map((r) => ({ id: Number(r[parent]), text: String(r.body) })),
    max,
  );
}

/** Where a `columnSearch` reads an entity's text: columns of a table keyed by `entity_id`. */
export interface SearchColumns {
  /** The table holding one row per entity (`entity_id`). */
  table: string;
  /** The column of the title; none for untitled text (a status post). */
  title?: string;
  /** The column of the body (null reads as empty). */
  body: string;
  /** Extra words drawn from the title (a file's name split at its dots). */
  keywords?: (title: string) => string;
  /**
   * Narrows the rows that are indexed (a file being scanned, a file attached to a post): the
   * others are left out of the index, and taken out of it when they are indexed again.
   */
  only?: (q: Knex.QueryBuilder) => void;
}

/** An `EntitySearchDef` for the common case: a title and a body read from the plugin's own table. */
export function columnSearch(tab: string, columns: SearchColumns): EntitySearchDef {
  const { table, title, body, keywords, only } = columns;
  return {
    tab,
    async read(rt, ids) {
      const rows = (await rt
        .db(table)
        .whereIn('entity_id', ids)
        .modify((q) => only?.(q))
        .select('entity_id', ...(title ? [title] : []), body)) as Record<string, unknown>[];
      return rows.map((r) => {
        const heading = title ? String(r[title] ?? '') : '';
        return { id: Number(r.entity_id), title: heading, body: String(r[body] ?? ''), ...(keywords ? { keywords: keywords(heading) } : {}) };
      });
    },
  };
}

/** Queues entities for the search index (inside `trx` when given): their text or state changed. */
export async function queueSearch(db: Knex, entityIds: readonly number[]): Promise<void> {
  if (!entityIds.length) return;
  const at = Date.now();
  await db('search_queue')
    .insert([...new Set(entityIds)].map((id) => ({ entity_id: id, queued_at: at })))
    .onConflict('entity_id')
    .merge(['queued_at']);
  const trx = db as Knex.Transaction;
  // Heard once committed (a rolled back transaction queued nothing).
  if (trx.isTransaction)
    trx.executionPromise.then(
      () => notifyQueued(db),
      () => undefined,
    );
  else notifyQueued(db);
}

/**
 * Queues every live entity of these types for the search index, in one statement: for a migration
 * that makes a type searchable (or changes what is indexed of it) on a site that has some, and
 * for the search plugin building an empty index. An entity already queued is queued again at
 * `at`, or keeps its place with `keepQueued`.
 */
export async function queueSearchOfType(
  db: Knex,
  types: string | readonly string[],
  { at = Date.now(), keepQueued = false }: { at?: number; keepQueued?: boolean } = {},
): Promise<void> {
  const list = typeof types === 'string' ? [types] : [...types];
  if (!list.length) return;
  // Written out: knex drops the conflict clause of an insert from a select on SQLite.
  const live = db('entities')
    .whereIn('type', list)
    .whereNull('deleted_at')
    .select('id', db.raw('?', [at]))
    .toSQL();
  const onConflict = keepQueued ? 'do nothing' : 'do update set queued_at = excluded.queued_at';
  await db.raw(`insert into search_queue (entity_id, queued_at) ${live.sql} on conflict (entity_id) ${onConflict}`, live.bindings);
}

/** Listeners by database (the client's config, which a transaction shares with its knex instance). */
const listeners = new WeakMap<object, Set<() => void>>();

function notifyQueued(db: Knex): void {
  for (const listener of listeners.get(db.client.config as object) ?? []) listener();
}

/**
 * Calls `listener` after each commit that queued entities of this database (in this process:
 * other processes' writes are seen by the index's recurring catch-up). Answers the unsubscribe.
 */
export function onSearchQueued(db: Knex, listener: () => void): () => void {
  const key = db.client.config as object;
  const set = listeners.get(key) ?? new Set();
  listeners.set(key, set);
  set.add(listener);
  return () => void set.delete(listener);
}
