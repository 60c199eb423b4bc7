/**
 * Polls: the only database access of the plugin. A poll is a `poll` entity with its row in
 * `polls_polls`; it stands in a network or a group (its own access level) or is attached to a
 * `pollable` entity (a status, a topic), whose access it follows: the poll's own entity row is
 * then `private` so that no list shows it apart from its parent.
 *
 * Voting is one transaction: the voter row first (the unique key makes a double submit count
 * once), then the options' counters. An anonymous poll keeps nothing else (see migrations.ts);
 * a named poll keeps each member's choices, which lets the member change them until closing.
 */
import type { Knex } from 'knex';
import {
  containerRole,
  HttpError,
  idList,
  keysetOrder,
  perDialect,
  preparedRead,
  readPage,
  type AccessLevel,
  type EntityRow,
  type KeysetCursor,
  type KeysetPage,
  type Runtime,
  type Viewer,
} from '../../core';
import type { PollInput } from './validate';

export const POLL = 'poll';
/** The trait an entity type declares to take a poll (`traits: ['pollable']`). */
export const POLLABLE = 'pollable';
export const CREATE = 'polls.create';
export const VOTE = 'polls.vote';
export const PAGE_SIZE = 20;
/** The list's order, newest first (by id), and its cursor's part. */
export const LIST_CURSOR = ['int'] as const;
const NEWEST = keysetOrder(LIST_CURSOR, [{ sql: 'e.id', desc: true }], (p: PollRow) => [p.entity_id]);

export type ResultsWhen = 'always' | 'voted' | 'closed';

export interface PollRow {
  entity_id: number;
  parent_entity_id: number | null;
  question: string;
  multiple: boolean;
  anonymous: boolean;
  results: ResultsWhen;
  closes_at: number | null;
  closed_at: number | null;
}

export interface OptionRow {
  id: number;
  poll_id: number;
  position: number;
  label: string;
  is_other: boolean;
  votes: number;
}

/** What the access checks read of a poll's entity. */
export type PollFacts = Pick<EntityRow, 'id' | 'type' | 'network_id' | 'owner_id' | 'container_id'>;

/** A poll the viewer may see: its row, its entity, and the entity it is attached to (if any). */
export interface SeenPoll {
  poll: PollRow;
  entity: EntityRow;
  parent: EntityRow | null;
}

/** A member's ballot: the options chosen and the words of "other" (when chosen). */
export interface Ballot {
  optionIds: number[];
  other: string;
  /** The poll's "other" option, whose row keeps the words. */
  otherId?: number;
}

export type VoteOutcome = 'counted' | 'changed' | 'already';

const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

function pollOf(r: Record<string, unknown>): PollRow {
  return {
    entity_id: Number(r.entity_id),
    parent_entity_id: r.parent_entity_id === null ? null : Number(r.parent_entity_id),
    question: String(r.question),
    multiple: bool(r.multiple),
    anonymous: bool(r.anonymous),
    results: String(r.results) as ResultsWhen,
    closes_at: r.closes_at === null ? null : Number(r.closes_at),
    closed_at: r.closed_at === null ? null : Number(r.closed_at),
  };
}

function optionOf(r: Record<string, unknown>): OptionRow {
  return {
    id: Number(r.id),
    poll_id: Number(r.poll_id),
    position: Number(r.position),
    label: String(r.label),
    is_other: bool(r.is_other),
    votes: Number(r.votes),
  };
}

export const isClosed = (p: PollRow, now = Date.now()): boolean => p.closed_at !== null || (p.closes_at !== null && p.closes_at <= now);

/** Live polls attached to entities (a feed's or a page's), by `parent_entity_id`; kept prepared (issue 18). */
const ATTACHED = preparedRead<Record<string, unknown>>(
  perDialect(
    (ids) => `select p.*, e.id, e.type, e.network_id, e.owner_id, e.container_id from polls_polls as p
join entities as e on e.id = p.entity_id
where ${ids('p.parent_entity_id')} and e.deleted_at is null
order by p.entity_id`,
  ),
);

export class PollsService {
  static readonly uses = ['db', 'dialect', 'access', 'entities', 'plugins'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof PollsService.uses)[number]>) {}

  isPollable(type: string): boolean {
    return this.rt.plugins.hasTrait(type, POLLABLE);
  }

  /** Creates the poll (entity, row, options) in one transaction; answers its entity id. */
  async create(
    ownerId: number,
    where: { networkId: number; access: AccessLevel; containerId: number | null; parent: EntityRow | null },
    input: PollInput,
  ): Promise<number> {
    return this.rt.db.transaction(async (trx) => {
      const id = await this.rt.entities.create(
        {
          type: POLL,
          ownerId,
          networkId: where.networkId,
          // An attached poll is seen through its parent only (its own row shows in no list).
          access: where.parent ? 'private' : where.access,
          containerId: where.parent ? (where.parent.container_id === null ? null : Number(where.parent.container_id)) : where.containerId,
        },
        trx,
      );
      await trx('polls_polls').insert({
        entity_id: id,
        parent_entity_id: where.parent ? Number(where.parent.id) : null,
        question: input.question,
        multiple: input.multiple,
        anonymous: input.anonymous,
        results: input.results,
        closes_at: input.closesAt,
        closed_at: null,
      });
      await this.insertOptions(trx, id, input);
      return id;
    });
  }

  /**
   * Rewrites a poll nobody voted in yet (question, options, how it runs; `access` for a poll
   * that stands alone). Answers false, changing nothing, once a ballot is in. On PostgreSQL the
   * poll's row is locked first and a vote holds it shared, so an edit and a first vote queue up
   * (SQLite runs one write transaction at a time).
   */
  async edit(pollId: number, input: PollInput, access: AccessLevel | null): Promise<boolean> {
    return this.rt.db.transaction(async (trx) => {
      if (this.rt.dialect === 'postgres') await trx('polls_polls').where({ entity_id: pollId }).forUpdate().first('entity_id');
      if (await trx('polls_voters').where({ poll_id: pollId }).first('poll_id')) return false;
      await trx('polls_polls').where({ entity_id: pollId }).update({
        question: input.question,
        multiple: input.multiple,
        anonymous: input.anonymous,
        results: input.results,
        closes_at: input.closesAt,
      });
      await trx('polls_options').where({ poll_id: pollId }).delete();
      await this.insertOptions(trx, pollId, input);
      if (access) await this.rt.entities.update(pollId, { access }, trx);
      return true;
    });
  }

  private async insertOptions(trx: Knex, pollId: number, input: PollInput): Promise<void> {
    const labels = input.options.map((label) => ({ label, is_other: false }));
    if (input.other) labels.push({ label: '', is_other: true });
    await trx('polls_options').insert(labels.map((o, i) => ({ poll_id: pollId, position: i, label: o.label, is_other: o.is_other, votes: 0 })));
  }

  /** The poll of `id` when the viewer may see it (through its parent when attached); else 404 / 401. */
  async seen(viewer: Viewer | null, id: number): Promise<SeenPoll> {
    const row = id > 0 ? await this.rt.db('polls_polls').where({ entity_id: id }).first() : undefined;
    const entity = row ? await this.rt.entities.get(id) : undefined;
    if (!row || !entity || entity.deleted_at !== null) return this.rt.access.requireVisible(viewer, undefined).then(() => never());
    const poll = pollOf(row as Record<string, unknown>);
    const parent = poll.parent_entity_id === null ? null : ((await this.rt.entities.get(poll.parent_entity_id)) ?? null);
    await this.rt.access.requireVisible(viewer, poll.parent_entity_id === null ? entity : (parent ?? undefined));
    return { poll, entity, parent };
  }

  /** The polls attached to these (visible) entities, with their own entity's facts, by parent id. */
  async attachedTo(parentIds: number[]): Promise<Map<number, { poll: PollRow; entity: PollFacts }[]>> {
    const out = new Map<number, { poll: PollRow; entity: PollFacts }[]>();
    if (!parentIds.length) return out;
    const rows = await ATTACHED.all(this.rt.db, [idList(parentIds)]);
    for (const r of rows as Record<string, unknown>[]) {
      const poll = pollOf(r);
      const entity = {
        id: Number(r.id),
        type: String(r.type),
        network_id: Number(r.network_id),
        owner_id: Number(r.owner_id),
        container_id: r.container_id === null ? null : Number(r.container_id),
      };
      out.set(poll.parent_entity_id!, [...(out.get(poll.parent_entity_id!) ?? []), { poll, entity }]);
    }
    return out;
  }

  /** Standalone polls the viewer may see, in a container or in the network, newest first (keyset: LIST_CURSOR). */
  async list(viewer: Viewer | null, networkId: number, containerId: number | null, cursor: KeysetCursor): Promise<KeysetPage<PollRow>> {
    const q = this.rt
      .db('polls_polls as p')
      .join('entities as e', 'e.id', 'p.entity_id')
      .whereNull('p.parent_entity_id')
      .where('e.network_id', networkId)
      .modify(this.rt.access.visibleTo(viewer, 'e'));
    if (containerId !== null) q.where('e.container_id', containerId);
    return readPage(q.select('p.*'), NEWEST, cursor, PAGE_SIZE, async (built) => ((await built) as Record<string, unknown>[]).map(pollOf));
  }

  /** These polls (a page of `list`) with their entities' rows, in order. */
  async withEntities(polls: readonly PollRow[]): Promise<{ poll: PollRow; entity: EntityRow }[]> {
    const rows = polls.length
      ? ((await this.rt.db('entities').whereIn(
          'id',
          polls.map((p) => p.entity_id),
        )) as EntityRow[])
      : [];
    const byId = new Map(rows.map((e) => [Number(e.id), e]));
    return polls.map((poll) => ({ poll, entity: byId.get(poll.entity_id)! }));
  }

  async options(pollIds: number[]): Promise<Map<number, OptionRow[]>> {
    const out = new Map<number, OptionRow[]>();
    if (!pollIds.length) return out;
    const rows = (await this.rt.db('polls_options').whereIn('poll_id', pollIds).orderBy(['poll_id', 'position'])) as Record<string, unknown>[];
    for (const r of rows) {
      const o = optionOf(r);
      out.set(o.poll_id, [...(out.get(o.poll_id) ?? []), o]);
    }
    return out;
  }

  /** The "other" words of each named poll with how many gave each, most given first (anonymous polls take none). */
  async otherAnswers(pollIds: number[]): Promise<Map<number, { answer: string; n: number }[]>> {
    const out = new Map<number, { answer: string; n: number }[]>();
    if (!pollIds.length) return out;
    const rows = (await this.rt
      .db('polls_choices')
      .whereIn('poll_id', pollIds)
      .whereNotNull('other_text')
      .groupBy('poll_id', 'other_text')
      .select('poll_id', 'other_text as answer')
      .count({ n: '*' })
      .orderBy([{ column: 'n', order: 'desc' }, 'answer'])) as { poll_id: number; answer: string; n: number | string }[];
    for (const r of rows) out.set(Number(r.poll_id), [...(out.get(Number(r.poll_id)) ?? []), { answer: r.answer, n: Number(r.n) }]);
    return out;
  }

  /** Which of these polls the member voted in. */
  async votedIn(userId: number | undefined, pollIds: number[]): Promise<Set<number>> {
    if (!userId || !pollIds.length) return new Set();
    const rows = await this.rt.db('polls_voters').where({ user_id: userId }).whereIn('poll_id', pollIds).select('poll_id');
    return new Set(rows.map((r: { poll_id: number }) => Number(r.poll_id)));
  }

  /** A member's own ballot in named polls (anonymous polls keep none), by poll. */
  async ballots(userId: number | undefined, pollIds: number[]): Promise<Map<number, Ballot>> {
    const out = new Map<number, Ballot>();
    if (!userId || !pollIds.length) return out;
    const rows = (await this.rt.db('polls_choices').where({ user_id: userId }).whereIn('poll_id', pollIds)) as {
      poll_id: number;
      option_id: number;
      other_text: string | null;
    }[];
    for (const r of rows) {
      const b = out.get(Number(r.poll_id)) ?? { optionIds: [], other: '' };
      b.optionIds.push(Number(r.option_id));
      if (r.other_text) b.other = r.other_text;
      out.set(Number(r.poll_id), b);
    }
    return out;
  }

  /**
   * Counts a ballot once: a second submit of a member who already voted answers `already`
   * (anonymous polls, or a named poll with the same choices) or changes the named ballot.
   * The ballot is checked against the poll's options by the caller (validate.ts).
   */
  async vote(userId: number, poll: PollRow, ballot: Ballot): Promise<VoteOutcome> {
    return this.rt.db.transaction(async (trx) => {
      // Holds the poll's row shared: an edit (which takes it exclusively) waits, or is seen to have won.
      if (this.rt.dialect === 'postgres') await trx('polls_polls').where({ entity_id: poll.entity_id }).forShare().first('entity_id');
      // The options the ballot was checked against are still the poll's (an edit may have replaced them).
      const still = await trx('polls_options').where({ poll_id: poll.entity_id }).whereIn('id', ballot.optionIds).count({ n: '*' }).first();
      if (Number(still?.n ?? 0) !== new Set(ballot.optionIds).size) throw new HttpError(409, 'polls.errors.editedMeanwhile');
      const inserted = await trx('polls_voters')
        .insert({ poll_id: poll.entity_id, user_id: userId })
        .onConflict(['poll_id', 'user_id'])
        .ignore()
        .returning('user_id');
      const first = inserted.length > 0;
      if (poll.anonymous) {
        if (!first) return 'already';
        await this.count(trx, poll.entity_id, ballot, 1);
        return 'counted';
      }
      // Named: lock the voter's row, then replace their choices and move the counters.
      await trx('polls_voters').where({ poll_id: poll.entity_id, user_id: userId }).update({ user_id: userId });
      const before = (await this.ballotsIn(trx, userId, poll.entity_id)) ?? { optionIds: [], other: '' };
      if (!first && sameBallot(before, ballot)) return 'already';
      if (!first) {
        await this.count(trx, poll.entity_id, before, -1);
        await trx('polls_choices').where({ poll_id: poll.entity_id, user_id: userId }).delete();
      }
      await trx('polls_choices').insert(
        ballot.optionIds.map((optionId) => ({
          poll_id: poll.entity_id,
          user_id: userId,
          option_id: optionId,
          other_text: optionId === ballot.otherId && ballot.other ? ballot.other : null,
        })),
      );
      await this.count(trx, poll.entity_id, ballot, 1);
      return first ? 'counted' : 'changed';
    });
  }

  private async ballotsIn(trx: Knex, userId: number, pollId: number): Promise<Ballot | undefined> {
    const rows = (await trx('polls_choices').where({ poll_id: pollId, user_id: userId })) as { option_id: number; other_text: string | null }[];
    if (!rows.length) return undefined;
    return { optionIds: rows.map((r) => Number(r.option_id)), other: rows.find((r) => r.other_text)?.other_text ?? '' };
  }

  /**
   * Moves the counters of a ballot's options by `by`. Every option of the poll is written, the
   * chosen ones by `by` and the others by 0, so that no row says which ones this ballot moved
   * (on PostgreSQL, each row's version then names the same, last, transaction).
   */
  private async count(trx: Knex, pollId: number, ballot: Ballot, by: 1 | -1): Promise<void> {
    const ids = ballot.optionIds.length ? ballot.optionIds : [0];
    await trx('polls_options')
      .where({ poll_id: pollId })
      .update({ votes: trx.raw(`votes + case when id in (${ids.map(() => '?').join(', ')}) then ? else 0 end`, [...ids, by]) });
  }

  /** How many members voted (a named or an anonymous poll alike). */
  async voterCount(pollIds: number[]): Promise<Map<number, number>> {
    if (!pollIds.length) return new Map();
    const rows = (await this.rt.db('polls_voters').whereIn('poll_id', pollIds).groupBy('poll_id').select('poll_id').count({ n: '*' })) as {
      poll_id: number;
      n: number | string;
    }[];
    return new Map(rows.map((r) => [Number(r.poll_id), Number(r.n)]));
  }

  /** Closes the poll now (a manager's act); closing twice keeps the first time. */
  async close(pollId: number, now = Date.now()): Promise<void> {
    await this.rt.db('polls_polls').where({ entity_id: pollId }).whereNull('closed_at').update({ closed_at: now });
  }

  /** Deletes a poll; the post it is attached to changes (its kept panels, issue 18). */
  async remove(pollId: number): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      await this.rt.entities.softDelete(pollId, trx);
      const row = (await trx('polls_polls').where({ entity_id: pollId }).first('parent_entity_id')) as
        { parent_entity_id: number | null } | undefined;
      if (row?.parent_entity_id != null) await this.rt.entities.touch([Number(row.parent_entity_id)], trx);
    });
  }

  /** Named polls only: each voter's name and choices, by name (the managers' export). */
  async namedBallots(pollId: number): Promise<{ name: string; username: string; option_id: number; other_text: string | null }[]> {
    return (await this.rt
      .db('polls_choices as c')
      .join('users as u', 'u.id', 'c.user_id')
      .where('c.poll_id', pollId)
      .orderBy(['u.display_name', 'u.id'])
      .select('u.display_name as name', 'u.username', 'c.option_id', 'c.other_text')) as {
      name: string;
      username: string;
      option_id: number;
      other_text: string | null;
    }[];
  }

  /** The network's moderators, the poll's owner and, in a group, its admins. */
  async mayManage(viewer: Viewer | null, entity: PollFacts): Promise<boolean> {
    if (this.rt.access.canEdit(viewer, entity)) return true;
    if (!viewer || entity.container_id === null) return false;
    return (await containerRole(this.rt.db, Number(entity.container_id), viewer.id)) === 'admin';
  }
}

function sameBallot(a: Ballot, b: Ballot): boolean {
  const x = [...a.optionIds].sort((m, n) => m - n).join(',');
  const y = [...b.optionIds].sort((m, n) => m - n).join(',');
  return x === y && a.other === b.other;
}

function never(): never {
  throw new HttpError(404);
}
