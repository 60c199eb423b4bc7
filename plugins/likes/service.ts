/**
 * Likes and reactions: one reaction per member per entity. Reacting, changing and
 * withdrawing change the row and the denormalised `reaction_counts` in one transaction with
 * conditional writes (insert-if-absent, update/delete-if-unchanged), retried when another
 * request won the race, so counts stay exact under concurrent requests and double clicks.
 */
import type { Knex } from 'knex';
import { HttpError, idList, perDialect, preparedRead, readKeyset, type EntityRow, type KeysetCursor, type Runtime, type Viewer } from '../../core';
import { enabledReactions } from './reactions';
import './hooks';

export const REACT = 'likes.react';
export const PEOPLE_PAGE_SIZE = 30;
/** The trait an entity type declares (`traits: ['reactable']`) to take reactions. */
export const REACTABLE = 'reactable';

/**
 * Counts of many entities, each row marked when it holds the viewer's reaction (no member has id
 * 0: a guest's rows are never marked); kept prepared, one text for any number of entities.
 */
const COUNTS_AND_MINE = preparedRead<{ entity_id: number; reaction: string; n: number | string; mine: number | null }>(
  perDialect(
    (ids) => `select rc.entity_id, rc.reaction, rc.n, r.user_id as mine from reaction_counts as rc
left join reactions as r on r.entity_id = rc.entity_id and r.reaction = rc.reaction and r.user_id = ?
where ${ids('rc.entity_id')} and rc.n > 0`,
  ),
);

/** What the likes events say of every change: the network, the entity, who reacts and whose entity it is. */
const whoAndWhat = (viewer: Viewer, entity: EntityRow) => ({
  networkId: Number(entity.network_id),
  entityId: Number(entity.id),
  userId: viewer.id,
  ownerId: Number(entity.owner_id),
});

const refuse = (status: number, key: string, params: Record<string, unknown> = {}): HttpError => new HttpError(status, `likes.error.${key}`, params);

export interface Reactor {
  id: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  reaction: string;
  created_at: number;
}

/** Who reacted, newest first (the id breaking ties); the kinds of its cursor's parts. */
const NEWEST_FIRST = [
  { sql: 'r.created_at', desc: true },
  { sql: 'u.id', desc: true },
] as const;
export const REACTOR_CURSOR = ['int', 'int'] as const;

/** What a change did: the reaction before (null: none) and after (null: withdrawn). */
export interface Outcome {
  changed: boolean;
  previous: string | null;
  current: string | null;
}

export class LikesService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'hooks', 'access', 'plugins', 'pluginState', 'activity'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof LikesService.uses)[number]>) {}

  enabled(networkId: number): string[] {
    return enabledReactions(this.rt.pluginState.settings('likes', networkId));
  }

  isReactable(type: string): boolean {
    return this.rt.plugins.hasTrait(type, REACTABLE);
  }

  /** The entity, when the viewer may see it (else 404 / 401) and it takes reactions (else 400). */
  async entity(viewer: Viewer | null, entityId: number): Promise<EntityRow> {
    const e = entityId > 0 ? ((await this.rt.db('entities').where({ id: entityId }).first()) as EntityRow | undefined) : undefined;
    await this.rt.access.requireVisible(viewer, e);
    if (!this.isReactable(e!.type)) throw refuse(400, 'notReactable');
    return e!;
  }

  /** Sets the viewer's reaction (the same one again changes nothing). */
  async react(viewer: Viewer, entity: EntityRow, reaction: string, networkId: number): Promise<Outcome> {
    if (!this.enabled(networkId).includes(reaction)) throw refuse(400, 'unknownReaction');
    const entityId = Number(entity.id);
    const outcome = await this.retrying(async (trx) => {
      const now = Date.now();
      const cur = await trx('reactions').where({ entity_id: entityId, user_id: viewer.id }).first('reaction');
      if (cur?.reaction === reaction) return { changed: false, previous: reaction, current: reaction };
      if (cur) {
        const n = await trx('reactions')
          .where({ entity_id: entityId, user_id: viewer.id, reaction: cur.reaction })
          .update({ reaction, created_at: now });
        if (!n) return null;
        // Always in the same order, so two opposite changes cannot deadlock.
        for (const [r, d] of [
          [cur.reaction as string, -1],
          [reaction, 1],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))) as [string, 1 | -1][])
          await bump(trx, entityId, r, d);
        return { changed: true, previous: String(cur.reaction), current: reaction };
      }
      const inserted = await trx('reactions')
        .insert({ entity_id: entityId, user_id: viewer.id, reaction, network_id: Number(entity.network_id), created_at: now })
        .onConflict(['entity_id', 'user_id'])
        .ignore()
        .returning('user_id');
      if (!inserted.length) return null;
      await bump(trx, entityId, reaction, 1);
      await this.rt.activity.record({ verb: 'liked', actorId: viewer.id, entityId, networkId: Number(entity.network_id), at: now }, trx);
      return { changed: true, previous: null, current: reaction };
    });
    if (outcome.changed) {
      await this.rt.hooks.emit('likes:reacted', { ...whoAndWhat(viewer, entity), reaction, previous: outcome.previous });
    }
    return outcome;
  }

  /** Withdraws the viewer's reaction, if any. */
  async withdraw(viewer: Viewer, entity: EntityRow): Promise<Outcome> {
    const entityId = Number(entity.id);
    const outcome = await this.retrying(async (trx) => {
      const cur = await trx('reactions').where({ entity_id: entityId, user_id: viewer.id }).first('reaction');
      if (!cur) return { changed: false, previous: null, current: null };
      const n = await trx('reactions').where({ entity_id: entityId, user_id: viewer.id, reaction: cur.reaction }).delete();
      if (!n) return null;
      await bump(trx, entityId, String(cur.reaction), -1);
      await this.rt.activity.remove(entityId, { verb: 'liked', actorId: viewer.id }, trx);
      return { changed: true, previous: String(cur.reaction), current: null };
    });
    if (outcome.changed) {
      await this.rt.hooks.emit('likes:withdrawn', { ...whoAndWhat(viewer, entity), reaction: outcome.previous! });
    }
    return outcome;
  }

  /** Counts per reaction (only those above zero) of many entities: one query. */
  async counts(ids: readonly number[]): Promise<Map<number, Map<string, number>>> {
    const out = new Map<number, Map<string, number>>();
    if (!ids.length) return out;
    const rows = (await this.rt
      .db('reaction_counts')
      .whereIn('entity_id', [...ids])
      .where('n', '>', 0)
      .select('entity_id', 'reaction', 'n')) as { entity_id: number; reaction: string; n: number }[];
    for (const r of rows) {
      const m = out.get(Number(r.entity_id)) ?? new Map<string, number>();
      m.set(r.reaction, Number(r.n));
      out.set(Number(r.entity_id), m);
    }
    return out;
  }

  /** The viewer's reaction on each of many entities: one query. */
  async mine(viewerId: number, ids: readonly number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = (await this.rt
      .db('reactions')
      .where({ user_id: viewerId })
      .whereIn('entity_id', [...ids])
      .select('entity_id', 'reaction')) as { entity_id: number; reaction: string }[];
    return new Map(rows.map((r) => [Number(r.entity_id), r.reaction]));
  }

  /**
   * Counts and the viewer's own reaction for many entities in one statement (a feed's
   * panels): each count row says whether it holds the viewer's reaction.
   */
  async countsAndMine(
    viewerId: number | null,
    ids: readonly number[],
  ): Promise<{ counts: Map<number, Map<string, number>>; mine: Map<number, string> }> {
    const counts = new Map<number, Map<string, number>>();
    const mine = new Map<number, string>();
    if (!ids.length) return { counts, mine };
    const rows = await COUNTS_AND_MINE.all(this.rt.db, [viewerId ?? 0, idList(ids)]);
    for (const r of rows) {
      const id = Number(r.entity_id);
      const m = counts.get(id) ?? new Map<string, number>();
      m.set(r.reaction, Number(r.n));
      counts.set(id, m);
      if (r.mine !== null && r.mine !== undefined) mine.set(id, r.reaction);
    }
    return { counts, mine };
  }

  /** Who reacted (active members), newest first, optionally one reaction only: one page by keyset (REACTOR_CURSOR). */
  async people(entityId: number, reaction: string | null, cursor: KeysetCursor, limit = PEOPLE_PAGE_SIZE) {
    const query = this.reactors(entityId, reaction).select('u.id', 'u.username', 'u.display_name', 'u.photo_key', 'r.reaction', 'r.created_at');
    const page = await readKeyset<Reactor>(query, NEWEST_FIRST, cursor, limit, (r) => [Number(r.created_at), Number(r.id)]);
    return { ...page, items: page.items.map((r) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) })) };
  }

  /** How many active members reacted (with `reaction` only, when given). */
  async peopleTotal(entityId: number, reaction: string | null): Promise<number> {
    return Number(((await this.reactors(entityId, reaction).count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
  }

  private reactors(entityId: number, reaction: string | null): Knex.QueryBuilder {
    const q = this.rt.db('reactions as r').join('users as u', 'u.id', 'r.user_id').where('r.entity_id', entityId).where('u.status', 'active');
    return reaction ? q.where('r.reaction', reaction) : q;
  }

  /** Runs `fn` in a transaction until it does not lose a race (null), a few times at most. */
  private async retrying(fn: (trx: Knex.Transaction) => Promise<Outcome | null>): Promise<Outcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.rt.db.transaction(fn);
      if (result) return result;
    }
    throw refuse(409, 'busy');
  }
}

/** `n = n ± 1` on one reaction's counter, creating it at the first reaction. */
async function bump(trx: Knex, entityId: number, reaction: string, delta: 1 | -1): Promise<void> {
  if (delta > 0) {
    await trx('reaction_counts')
      .insert({ entity_id: entityId, reaction, n: 1 })
      .onConflict(['entity_id', 'reaction'])
      .merge({ n: trx.raw('?? + 1', ['reaction_counts.n']) });
  } else {
    await trx('reaction_counts')
      .where({ entity_id: entityId, reaction })
      .where('n', '>', 0)
      .update({ n: trx.raw('n - 1') });
  }
}
