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
import { foldAccents, wordsOf, type EntitySearchDef, type Runtime, type SearchText } from '../../core';
import { scopeOf } from './query';
import { detectLanguage } from './text';

/** Entities read and written per round. */
const BATCH = 200;
const CONFIG: Record<string, string> = { fr: 'french', en: 'english' };

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
    const content = (): Knex.QueryBuilder => db('entities').whereIn('type', types).whereNull('deleted_at');
    if (!types.length || !(await content().first('id'))) return;
    await db
      .into(db.raw('search_queue (entity_id, queued_at)'))
      .insert(content().select('id', db.raw('?', [now])))
      .onConflict('entity_id')
      .ignore();
  }

  /**
   * Rebuilds the index of one network (every network without one): each entity of an indexed
   * type, `BATCH` at a time; `progress(done, total)` after each batch.
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
    for (;;) {
      const ids = (
        (await this.rt.db('entities').modify(scope).where('id', '>', after).orderBy('id').limit(BATCH).pluck('id')) as (number | string)[]
      ).map(Number);
      if (!ids.length) break;
      await this.index(ids);
      after = ids[ids.length - 1];
      done += ids.length;
      progress(done, total);
    }
    return done;
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
    await this.rt.db.transaction(async (trx) => {
      await this.remove(trx, ids);
      for (const t of texts) await this.write(trx, t.entity, t.text, t.tags);
      await this.addTerms(
        trx,
        texts.flatMap((t) => [t.text.title, t.text.body, t.text.keywords ?? '', t.tags.join(' ')]),
      );
    });
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

  private async remove(trx: Knex, ids: readonly number[]): Promise<void> {
    if (this.rt.dialect === 'sqlite') await trx('search_fts').whereIn('rowid', ids).delete();
    else await trx('derived_search_docs').whereIn('entity_id', ids).delete();
  }

  private async write(trx: Knex, entity: Queued, text: SearchText, tags: string[]): Promise<void> {
    const keywords = [text.keywords ?? '', ...tags.map((t) => `${t} #${t}`)].join(' ').trim();
    const network = this.rt.networks.get(Number(entity.network_id));
    const language =
      text.language === 'fr' || text.language === 'en' ? text.language : detectLanguage(`${text.title} ${text.body}`, network?.locale ?? 'en');
    if (this.rt.dialect === 'sqlite') {
      await trx('search_fts').insert({ rowid: entity.id, title: text.title, body: text.body, keywords, scope: scopeOf(entity) });
      return;
    }
    const config = CONFIG[language] ?? 'simple';
    await trx('derived_search_docs').insert({
      entity_id: entity.id,
      network_id: entity.network_id,
      type: entity.type,
      title: text.title,
      body: text.body,
      language,
      tsv: trx.raw(
        `setweight(to_tsvector(?::regconfig, ?), 'A') || setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector(?::regconfig, ?), 'B')`,
        [config, foldAccents(text.title), foldAccents(keywords), config, foldAccents(text.body)],
      ),
    });
  }

  /** Remembers the words indexed, for "did you mean". */
  private async addTerms(trx: Knex, texts: string[]): Promise<void> {
    const terms = new Set<string>();
    for (const text of texts) for (const w of wordsOf(text)) if (w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w)) terms.add(w);
    const rows = [...terms].map((term) => ({ term, initial: term.slice(0, 1), length: term.length }));
    for (let i = 0; i < rows.length; i += 150)
      await trx('derived_search_terms')
        .insert(rows.slice(i, i + 150))
        .onConflict('term')
        .ignore();
  }
}
