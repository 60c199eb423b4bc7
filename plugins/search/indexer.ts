/**
 * Keeps the index current: drains `search_queue` (filled by the core in the transaction of each
 * entity write, core/content/search.ts), reads the text of each queued entity from the plugin
 * that declares its type (`entities[].search.read`) and writes it, or removes it when it is gone,
 * deleted or of a type nothing indexes. `reindex` rebuilds a network's (or every) index.
 * Indexing happens in the background, never in a search (a GET writes nothing): the core
 * tells (`onSearchQueued`) after each commit that queued entities and `soon` drains them at
 * once (tracked by the core's `rt.background`, so closing the app and tests wait for it); a
 * search waits for that work in progress (`settled`), so it sees the text as last saved in
 * this process. The recurring job `search.catchUp` drains what other processes queued
 * and builds an empty index.
 */
import type { Knex } from 'knex';
import { foldAccents, queueSearchOfType, wordsOf, type EntitySearchDef, type Runtime, type SearchText } from '../../core';
import { scopeOf } from './match';
import { optimizeFts } from './migrations';
import { forgetRows } from './kept-rows';
import { detectLanguage } from './text';

/** Entities read and written per round. */
const BATCH = 200;
/** Entities read and written per round of a reindex (one insert statement each). */
const REINDEX_BATCH = 1000;
/** The PostgreSQL indexes of `derived_search_docs` (migrations 001, 002), dropped while a whole rebuild loads. */
const PG_INDEXES = [
  { name: 'derived_search_docs_tsv', on: 'using gin (tsv)' },
  { name: 'derived_search_docs_scope', on: '(network_id, type, entity_id)' },
];
const CONFIG: Record<string, string> = { fr: 'french', en: 'english' };

/** An index row before it is written. */
interface Doc {
  entity: Queued;
  title: string;
  body: string;
  keywords: string;
  language: string;
}

interface Queued {
  id: number;
  type: string;
  network_id: number;
  container_id: number | null;
  owner_id: number;
  deleted_at: number | null;
}

export class SearchIndexer {
  static readonly uses = ['db', 'dialect', 'plugins', 'networks', 'logger', 'background'] as const;
  /** The background drain in progress, and whether more was queued since it started. */
  private running?: Promise<void>;
  private again = false;
  /** Set when the app closes: no new round starts, the one running stops after its batch. */
  private closing = false;

  constructor(private readonly rt: Pick<Runtime, (typeof SearchIndexer.uses)[number]>) {}

  /** Drains the queue in the background now (once more after the current round when one runs). */
  soon(work: () => Promise<unknown> = () => this.drain()): void {
    if (this.closing) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rt.background.track(
      (async () => {
        do {
          this.again = false;
          try {
            await work();
          } catch (err) {
            this.rt.logger.warn({ err }, 'search: indexing the queue failed; the catch-up job tries again');
          }
        } while (this.again && !this.closing);
      })().finally(() => (this.running = undefined)),
    );
  }

  /** Builds an empty index (see `ensureBuilt`) and drains the queue. */
  async catchUp(): Promise<void> {
    await this.ensureBuilt();
    await this.drain();
  }

  /** Stops the background indexing (the app is closing) and resolves once its last batch is written. */
  async stop(): Promise<void> {
    this.closing = true;
    await this.settled();
  }

  /** Resolves when the background indexing in progress (if any) is done. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The declaration of an entity type, where its plugin is installed. */
  private definition(type: string): EntitySearchDef | undefined {
    return this.rt.plugins.entityType(type)?.search;
  }

  /** Indexes what the queue holds, `BATCH` at a time, until it is empty (or `maxRounds`). Answers how many. */
  async drain(maxRounds = 50): Promise<number> {
    let done = 0;
    for (let round = 0; round < maxRounds && !this.closing; round++) {
      const rows = (await this.rt.db('search_queue').orderBy('queued_at').limit(BATCH).select('entity_id', 'queued_at')) as {
        entity_id: number;
        queued_at: number;
      }[];
      if (!rows.length) break;
      await this.index(rows.map((r) => Number(r.entity_id)));
      // A row queued again while we read keeps its newer time and stays for the next round.
      for (const r of rows) await this.rt.db('search_queue').where({ entity_id: r.entity_id, queued_at: r.queued_at }).delete();
      done += rows.length;
    }
    return done;
  }

  /** Whether anything waits in the queue (one indexed look-up). */
  async pending(): Promise<boolean> {
    return !!(await this.rt.db('search_queue').first('entity_id'));
  }

  /** The entity types some enabled plugin declares searchable. */
  private indexedTypes(): string[] {
    return this.rt.plugins
      .list()
      .flatMap((p) => p.manifest.entities ?? [])
      .filter((e) => e.search)
      .map((e) => e.type);
  }

  /**
   * An empty index over a site that has content (a restored backup, which leaves derived tables
   * out; a site seeded in bulk; the plugin enabled on an older site) queues all of it, so the
   * searches and the job build it. Two indexed look-ups when there is nothing to do.
   */
  async ensureBuilt(now = Date.now()): Promise<void> {
    const db = this.rt.db;
    const built = this.rt.dialect === 'sqlite' ? await db('search_fts').first('rowid') : await db('derived_search_docs').first('entity_id');
    if (built || (await this.pending())) return;
    const types = this.indexedTypes();
    if (!types.length || !(await db('entities').whereIn('type', types).whereNull('deleted_at').first('id'))) return;
    await queueSearchOfType(db, types, { at: now, keepQueued: true });
  }

  /**
   * Rebuilds the index of one network (every network without one): each entity of an indexed
   * type, `REINDEX_BATCH` at a time, one insert statement per batch; `progress(done, total)`
   * after each batch. Rebuilding every network empties the index first (rows of entities gone
   * since go with it) and, on PostgreSQL, drops its GIN and scope indexes for the load and builds
   * them once after it (a GIN index built whole is many times cheaper than grown row by row):
   * searches meanwhile find what is loaded so far, and a rebuild stopped half-way is finished
   * by running it again.
   */
  async reindex(networkId: number | null, progress: (done: number, total: number) => void = () => {}): Promise<number> {
    const types = this.indexedTypes();
    const scope = (q: Knex.QueryBuilder): void => {
      q.whereIn('type', types).whereNull('deleted_at');
      if (networkId !== null) q.where('network_id', networkId);
    };
    const total = Number(((await this.rt.db('entities').modify(scope).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
    let done = 0;
    let after = 0;
    progress(0, total);
    const whole = networkId === null;
    if (whole) await this.clear();
    try {
      for (;;) {
        const ids = (
          (await this.rt.db('entities').modify(scope).where('id', '>', after).orderBy('id').limit(REINDEX_BATCH).pluck('id')) as (number | string)[]
        ).map(Number);
        if (!ids.length) break;
        await this.index(ids);
        after = ids[ids.length - 1];
        done += ids.length;
        progress(done, total);
      }
    } finally {
      if (whole) await this.buildIndexes();
      // A rebuild of a few rows (one network's) leaves one segment more: not worth rewriting the index.
      if (whole || done > REINDEX_BATCH) await this.mergeIndex();
    }
    return done;
  }

  /**
   * SQLite: merges the FTS5 index into one segment (`optimize`). A rebuild writes one segment per
   * batch, which FTS5's automerge leaves at a dozen or more; every match reads each segment's part of
   * a word's list, so the newest matches cost three times as much to find (issue 21). Writes made
   * since add small segments that automerge keeps few.
   */
  private async mergeIndex(): Promise<void> {
    if (this.rt.dialect === 'sqlite') await optimizeFts(this.rt.db);
  }

  /** Empties the index (PostgreSQL: and drops its indexes, built again by `buildIndexes`). */
  private async clear(): Promise<void> {
    const db = this.rt.db;
    if (this.rt.dialect === 'sqlite') await db('search_fts').delete();
    else
      await db.transaction(async (trx) => {
        for (const index of PG_INDEXES) await trx.raw(`drop index if exists ${index.name}`);
        await trx.raw('truncate derived_search_docs');
      });
    forgetRows(db, null);
  }

  /** Builds the indexes `clear` dropped (PostgreSQL), each over the whole table at once. */
  private async buildIndexes(): Promise<void> {
    if (this.rt.dialect === 'sqlite') return;
    for (const index of PG_INDEXES) await this.rt.db.raw(`create index if not exists ${index.name} on derived_search_docs ${index.on}`);
    await this.rt.db.raw('analyze derived_search_docs');
  }

  /** (Re)writes the index rows of these entities from their plugins' text. */
  async index(ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    const rows = (await this.rt
      .db('entities')
      .whereIn('id', ids)
      .select('id', 'type', 'network_id', 'container_id', 'owner_id', 'deleted_at')) as Queued[];
    const byType = new Map<string, Queued[]>();
    for (const r of rows) {
      if (r.deleted_at !== null || !this.definition(r.type)) continue;
      byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    }
    const texts: { entity: Queued; text: SearchText; tags: string[] }[] = [];
    const tags = await this.tagsOf(rows.map((r) => Number(r.id)));
    for (const [type, list] of byType) {
      const read = await this.definition(type)!.read(
        this.rt as Runtime,
        list.map((r) => Number(r.id)),
      );
      const attached = await this.attachedText(
        type,
        read.map((r) => Number(r.id)),
      );
      const byId = new Map(list.map((r) => [Number(r.id), r]));
      for (const own of read) {
        const entity = byId.get(Number(own.id));
        const more = attached.get(Number(own.id)) ?? [];
        const text = more.length ? { ...own, body: [own.body, ...more].join('\n\n') } : own;
        if (entity) texts.push({ entity, text, tags: tags.get(Number(entity.id)) ?? [] });
      }
    }
    const docs = texts.map((t) => this.docOf(t.entity, t.text, t.tags));
    const terms = termsOf(texts.flatMap((t) => [t.text.title, t.text.body, t.text.keywords ?? '', t.tags.join(' ')]));
    await this.rt.db.transaction(async (trx) => {
      await this.remove(trx, ids);
      await this.write(trx, docs);
      await this.addTerms(trx, terms);
    });
    // Once committed: a score or an excerpt kept between `remove` and the commit was the old text's.
    forgetRows(this.rt.db, ids);
  }

  /**
   * The text other plugins keep about these entities of `type` (the comments under a post:
   * `searchAttached` in their manifests, for the traits the type declares), by entity id.
   */
  private async attachedText(type: string, ids: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (!ids.length) return out;
    for (const p of this.rt.plugins.list())
      for (const def of p.manifest.searchAttached ?? []) {
        if (!this.rt.plugins.hasTrait(type, def.trait)) continue;
        for (const [id, text] of await def.read(this.rt as Runtime, ids)) if (text) out.set(id, [...(out.get(id) ?? []), text]);
      }
    return out;
  }

  private async tagsOf(ids: number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    if (!ids.length) return out;
    for (const r of (await this.rt.db('entity_tags').whereIn('entity_id', ids).select('entity_id', 'tag')) as { entity_id: number; tag: string }[])
      out.set(Number(r.entity_id), [...(out.get(Number(r.entity_id)) ?? []), r.tag]);
    return out;
  }

  /** Drops the index rows of these entities (in `trx`, or on the database). */
  async remove(trx: Knex, ids: readonly number[]): Promise<void> {
    if (this.rt.dialect === 'sqlite') await trx('search_fts').whereIn('rowid', ids).delete();
    else await trx('derived_search_docs').whereIn('entity_id', ids).delete();
    forgetRows(this.rt.db, ids);
  }

  /** An entity's index row: its text, keywords (and tags), language and scope. */
  private docOf(entity: Queued, text: SearchText, tags: string[]): Doc {
    const keywords = [text.keywords ?? '', ...tags.map((t) => `${t} #${t}`)].join(' ').trim();
    const network = this.rt.networks.get(Number(entity.network_id));
    const language =
      text.language === 'fr' || text.language === 'en' ? text.language : detectLanguage(`${text.title} ${text.body}`, network?.locale ?? 'en');
    return { entity, title: text.title, body: text.body, keywords, language };
  }

  /**
   * Writes these rows in one statement (a JSON array read by the database: one binding, whatever
   * the number of rows). PostgreSQL weighs the title and tags A and the body B, each folded and
   * stemmed in the text's language.
   */
  private async write(trx: Knex, docs: Doc[]): Promise<void> {
    if (!docs.length) return;
    if (this.rt.dialect === 'sqlite') {
      const rows = docs.map((d) => [Number(d.entity.id), d.title, d.body, d.keywords, scopeOf(d.entity)]);
      await trx.raw(
        `insert into search_fts (rowid, title, body, keywords, scope) ` +
          `select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 from json_each(?)`,
        [JSON.stringify(rows)],
      );
      return;
    }
    const rows = docs.map((d) => ({
      id: Number(d.entity.id),
      network_id: Number(d.entity.network_id),
      type: d.entity.type,
      title: d.title,
      body: d.body,
      language: d.language,
      config: CONFIG[d.language] ?? 'simple',
      ftitle: foldAccents(d.title),
      fkeywords: foldAccents(d.keywords),
      fbody: foldAccents(d.body),
    }));
    await trx.raw(
      `insert into derived_search_docs (entity_id, network_id, type, title, body, language, tsv) ` +
        `select r.id, r.network_id, r.type, r.title, r.body, r.language, ` +
        `setweight(to_tsvector(r.config::regconfig, r.ftitle), 'A') || setweight(to_tsvector('simple', r.fkeywords), 'A') || ` +
        `setweight(to_tsvector(r.config::regconfig, r.fbody), 'B') ` +
        `from json_to_recordset(?::json) as r(id bigint, network_id integer, type text, title text, body text, language text, config text, ftitle text, fkeywords text, fbody text)`,
      [JSON.stringify(rows)],
    );
  }

  /** Remembers the words indexed, for "did you mean" (one statement). */
  private async addTerms(trx: Knex, terms: string[]): Promise<void> {
    if (!terms.length) return;
    const rows = JSON.stringify(terms.map((term) => [term, term.slice(0, 1), term.length]));
    await trx.raw(
      this.rt.dialect === 'sqlite'
        ? `insert into derived_search_terms (term, initial, length) select value ->> 0, value ->> 1, value ->> 2 from json_each(?) where true on conflict (term) do nothing`
        : `insert into derived_search_terms (term, initial, length) select r ->> 0, r ->> 1, (r ->> 2)::integer from json_array_elements(?::json) as r on conflict (term) do nothing`,
      [rows],
    );
  }
}

/** The distinct words of these texts "did you mean" may offer: 3 to 40 characters, not a number. */
function termsOf(texts: string[]): string[] {
  const terms = new Set<string>();
  for (const text of texts) for (const w of wordsOf(text)) if (w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w)) terms.add(w);
  return [...terms];
}
