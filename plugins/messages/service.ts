/**
 * Conversations and messages. Every refusal is a localised HttpError thrown before
 * anything changes; a conversation one is not in answers 404, exactly like one that does
 * not exist. A message is stored (its `seq` assigned in the insert's transaction, from the
 * conversation's `last_seq`) and only then published, so subscribers read it back.
 */
import type { Knex } from 'knex';
import {
  attachmentsDeleted,
  HttpError,
  likeContains,
  preparedBuilder,
  problemError,
  readerSeesPiece,
  screenContent,
  type PieceReader,
  type PluginHandle,
  type Runtime,
  type Viewer,
} from '../../core';
import { Blocks } from './blocks';
import { isIn, isRoom, toConversation, unsavedRoom, type ConversationKind, type ConversationRow } from './audience';
import { CHANNEL, changePayload } from './hooks';
import { directKey, roomKey } from './keys';
import { RateLimiter } from './rate';
import { inboxItems, stillIn, type InboxItem } from './inbox';
import { awayGroupKey } from './away';

export const MAX_BODY = 4000;
export const PAGE = 30;
export const MAX_RECIPIENTS = 50;

export interface MessageRow {
  id: number;
  conversation_id: number;
  seq: number;
  author_id: number;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  /** Hidden by a moderator: its author alone still reads it (pieces.ts). */
  withheld: boolean;
}

/** A conversation to start: who starts it, with whom, where, of which kind and about what. */
interface NewConversation {
  creator: number;
  others: number[];
  networkId: number;
  kind: ConversationKind;
  subject: string;
}

const refuse = (status: number, key: string, params: Record<string, unknown> = {}): HttpError =>
  new HttpError(status, `messages.error.${key}`, params);

export const toMessage = (r: Record<string, unknown>): MessageRow => ({
  id: Number(r.id),
  conversation_id: Number(r.conversation_id),
  seq: Number(r.seq),
  author_id: Number(r.author_id),
  body: r.deleted_at ? '' : String(r.body),
  created_at: Number(r.created_at),
  edited_at: r.edited_at === null ? null : Number(r.edited_at),
  deleted_at: r.deleted_at === null ? null : Number(r.deleted_at),
  withheld: r.withheld === true || Number(r.withheld) === 1,
});

/**
 * Whether the message is kept from `reader` (core `pieceReader` of the conversation's network):
 * hidden by a moderator, and neither theirs nor the reader a moderator of that network (issue
 * 22). Only participants ever read a conversation: moderating never opens one.
 */
export const withheldFrom = (m: Pick<MessageRow, 'withheld' | 'author_id'>, reader: PieceReader): boolean =>
  !readerSeesPiece(reader, { withheld: m.withheld, authorId: m.author_id });

/**
 * Requests made while one batch is running form the next one: the first caller runs at
 * once (no added delay when idle), and under load a single call answers many callers.
 */
export class Batcher<K, V> {
  private queue: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  constructor(
    private readonly run: (keys: K[]) => Promise<V[]>,
    private readonly max = 500,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.max);
        try {
          const out = await this.run(batch.map((b) => b.key));
          batch.forEach((b, k) => b.resolve(out[k]));
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.busy = false;
    }
  }
}

export class MessagesService {
  readonly blocks: Blocks;
  readonly limiter: RateLimiter;
  private readonly plugin: PluginHandle;
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'containers', 'dialect', 'hooks', 'logger', 'pubsub', 'pluginHandles'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof MessagesService.uses)[number]>) {
    this.plugin = rt.pluginHandles.for('messages');
    this.blocks = new Blocks(rt.db);
    this.limiter = new RateLimiter();
  }

  /** Messages a member may send per minute (setting), counted per process. */
  ratePerMinute(networkId: number): number {
    return Number(this.plugin.settings(networkId).ratePerMinute ?? 60);
  }

  async find(id: number): Promise<ConversationRow | null> {
    const row = await this.rt.db('conversations').where({ id }).first();
    return row ? toConversation(row) : null;
  }

  /**
   * `blockerId` blocks `blockedId`: they can no longer message, mention, follow or connect
   * with each other, and every tie between them ends (`people:blocked`: connections removes
   * follows, the connection and pending requests, both ways). Blocking again changes nothing.
   */
  async block(networkId: number, blockerId: number, blockedId: number): Promise<void> {
    if (await this.blocks.block(blockerId, blockedId)) await this.rt.hooks.emit('people:blocked', { networkId, blockerId, blockedId });
  }

  /** The conversation when the viewer is in it; otherwise the same 404 as a missing one. */
  async conversation(viewer: Viewer, id: number): Promise<ConversationRow> {
    const c = Number.isSafeInteger(id) && id > 0 ? await this.find(id) : null;
    if (!c || !(await isIn(this.rt, c, viewer.id))) throw new HttpError(404);
    return c;
  }

  /** Members of the network the viewer may write to: active, not blocking either way. */
  async recipients(
    viewer: Viewer,
    networkId: number,
    q: string,
    limit = 20,
    usernames?: string[],
  ): Promise<{ id: number; username: string; display_name: string }[]> {
    const term = q.trim();
    const pattern = likeContains(term);
    const rows = await this.rt
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('m.network_id', networkId)
      .where('u.status', 'active')
      .whereNot('u.id', viewer.id)
      .modify((qb) => {
        if (usernames)
          qb.whereIn(
            'u.username_lower',
            usernames.map((u) => u.toLowerCase()),
          );
        if (term)
          qb.where((w) =>
            w.whereRaw("lower(u.display_name) like ? escape '\\'", [pattern]).orWhereRaw("u.username_lower like ? escape '\\'", [pattern]),
          );
      })
      .whereNotExists((s) =>
        s
          .select(this.rt.db.raw('1'))
          .from('member_blocks as b')
          .where((w) => w.where('b.blocker_id', this.rt.db.ref('u.id')).where('b.blocked_id', viewer.id))
          .orWhere((w) => w.where('b.blocked_id', this.rt.db.ref('u.id')).where('b.blocker_id', viewer.id)),
      )
      .orderBy('u.display_name')
      .limit(limit)
      .select('u.id', 'u.username', 'u.display_name');
    return rows.map((r: { id: number; username: string; display_name: string }) => ({ ...r, id: Number(r.id) }));
  }

  /** Starts a conversation (or reuses the direct one with a single recipient) and sends the first message. */
  async start(
    viewer: Viewer,
    networkId: number,
    usernames: string[],
    subject: string,
    body: string,
  ): Promise<{ conversationId: number; seq: number }> {
    await this.checkBody(body, networkId, viewer.id);
    const ids = await this.recipientIds(viewer, networkId, usernames);
    const conversationId =
      ids.length === 1
        ? await this.direct(viewer.id, ids[0], networkId, subject)
        : await this.create({ creator: viewer.id, others: ids, networkId, kind: 'group', subject });
    const seq = await this.send(viewer, networkId, conversationId, body);
    return { conversationId, seq };
  }

  /**
   * The ids of the members named (user names, any case): all of them active members of the
   * network other than the viewer, none blocking the viewer or blocked by them; otherwise a
   * localised 4xx naming what is wrong (the unknown names, or the block).
   */
  async recipientIds(viewer: Viewer, networkId: number, usernames: string[]): Promise<number[]> {
    const names = [...new Set(usernames.map((u) => u.trim().replace(/^@/, '').toLowerCase()).filter(Boolean))];
    if (!names.length) throw refuse(400, 'noRecipient');
    if (names.length > MAX_RECIPIENTS) throw refuse(400, 'tooManyRecipients', { max: MAX_RECIPIENTS });
    const rows: { id: number; username_lower: string }[] = await this.rt
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('m.network_id', networkId)
      .where('u.status', 'active')
      .whereIn('u.username_lower', names)
      .select('u.id', 'u.username_lower');
    const found = new Set(rows.map((r) => r.username_lower));
    const unknown = names.filter((n) => !found.has(n));
    if (unknown.length) throw refuse(400, 'unknownRecipients', { names: unknown.slice(0, 10).join(', '), count: unknown.length });
    const ids = rows.map((r) => Number(r.id)).filter((id) => id !== viewer.id);
    if (!ids.length) throw refuse(400, 'noRecipient');
    if ((await this.blocks.among(viewer.id, ids, 'either')).length) throw refuse(403, 'blocked');
    return ids;
  }

  /**
   * Adds members to a group conversation (the viewer is in it): new rows, or back in for
   * those who had left. A direct conversation stays between its two: adding people starts
   * a group conversation instead (the page offers it).
   */
  async addMembers(viewer: Viewer, c: ConversationRow, usernames: string[]): Promise<number[]> {
    if (c.kind !== 'group') throw refuse(400, 'cannotAdd');
    const ids = await this.recipientIds(viewer, c.network_id, usernames);
    const now = Date.now();
    await this.rt.db.transaction(async (trx) => {
      await trx('conversation_members').where({ conversation_id: c.id }).whereIn('user_id', ids).update({ left_at: null, joined_at: now });
      await trx('conversation_members')
        .insert(ids.map((user_id) => ({ conversation_id: c.id, user_id, joined_at: now, last_read_seq: 0, archived: false })))
        .onConflict(['conversation_id', 'user_id'])
        .ignore();
    });
    for (const id of ids) await this.rt.pubsub.publish(CHANNEL, changePayload('a', c.id, id));
    return ids;
  }

  /**
   * The one direct conversation of a pair in a network (its `unique_key`): found, or
   * created with both member rows. Concurrent creators converge: the losers' insert is
   * ignored and they read the winner's row. Either member who had left is back in it.
   */
  private async direct(a: number, b: number, networkId: number, subject: string): Promise<number> {
    const key = directKey(networkId, a, b);
    const found = await this.rt.db('conversations').where({ unique_key: key }).first('id');
    const id = found
      ? Number(found.id)
      : ((await this.create({ creator: a, others: [b], networkId, kind: 'direct', subject, key })) ??
        Number((await this.rt.db('conversations').where({ unique_key: key }).first('id')).id));
    await this.rt
      .db('conversation_members')
      .where({ conversation_id: id })
      .whereIn('user_id', [a, b])
      .whereNotNull('left_at')
      .update({ left_at: null });
    return id;
  }

  /** Inserts a conversation and its member rows in one transaction; with a key already taken, nothing (null). */
  private async create(c: NewConversation): Promise<number>;
  private async create(c: NewConversation & { key: string }): Promise<number | null>;
  private async create({ creator, others, networkId, kind, subject, key }: NewConversation & { key?: string }): Promise<number | null> {
    const now = Date.now();
    return this.rt.db.transaction(async (trx) => {
      const insert = trx('conversations').insert({
        network_id: networkId,
        kind,
        subject: subject.trim().slice(0, 200),
        created_by: creator,
        created_at: now,
        last_seq: 0,
        last_message_at: now,
        unique_key: key ?? null,
      });
      const rows = await (key ? insert.onConflict('unique_key').ignore() : insert).returning('id');
      if (!rows.length) return null;
      const id = Number(typeof rows[0] === 'object' ? rows[0].id : rows[0]);
      await trx('conversation_members').insert(
        [creator, ...others].map((user_id) => ({ conversation_id: id, user_id, joined_at: now, last_read_seq: 0, archived: false })),
      );
      return id;
    });
  }

  /**
   * The room of a group (`room`, container id) or of a network (`network`) for a member in
   * it: its row, or null while nobody has written in it (reading creates nothing). Anyone
   * not in it gets the same 404 whether the room, or the group, exists or not.
   */
  async findRoom(
    viewer: Viewer,
    kind: Extract<ConversationKind, 'room' | 'network'>,
    networkId: number,
    containerId: number | null,
  ): Promise<ConversationRow | null> {
    const probe = unsavedRoom(kind, networkId, containerId);
    if (viewer.status !== 'active' || !(await isIn(this.rt, probe, viewer.id))) throw new HttpError(404);
    const row = await this.rt
      .db('conversations')
      .where({ unique_key: roomKey(kind, networkId, containerId) })
      .first();
    return row ? toConversation(row) : null;
  }

  /** The room, created on first use (a POST: its first message) — once, however many race. */
  async room(
    viewer: Viewer,
    kind: Extract<ConversationKind, 'room' | 'network'>,
    networkId: number,
    containerId: number | null,
  ): Promise<ConversationRow> {
    let c = await this.findRoom(viewer, kind, networkId, containerId);
    if (!c) {
      const now = Date.now();
      const key = roomKey(kind, networkId, containerId);
      await this.rt
        .db('conversations')
        .insert({
          network_id: networkId,
          kind,
          container_id: containerId,
          subject: '',
          created_by: viewer.id,
          created_at: now,
          last_seq: 0,
          last_message_at: now,
          unique_key: key,
        })
        .onConflict('unique_key')
        .ignore();
      c = toConversation(await this.rt.db('conversations').where({ unique_key: key }).first());
    }
    await this.ensureRow(c.id, viewer.id);
    return c;
  }

  /** Member rows known to exist (they go only with their conversation): rooms skip the check on every send. */
  private readonly rows = new Set<string>();

  private async ensureRow(conversationId: number, userId: number): Promise<void> {
    const key = `${conversationId}:${userId}`;
    if (this.rows.has(key)) return;
    await this.ensureRowNow(conversationId, userId);
    if (this.rows.size > 100_000) this.rows.clear();
    this.rows.add(key);
  }

  private async ensureRowNow(conversationId: number, userId: number): Promise<void> {
    const has = await this.rt.db('conversation_members').where({ conversation_id: conversationId, user_id: userId }).first('user_id');
    if (!has)
      await this.rt
        .db('conversation_members')
        .insert({ conversation_id: conversationId, user_id: userId, joined_at: Date.now(), last_read_seq: 0, archived: false })
        .onConflict(['conversation_id', 'user_id'])
        .ignore();
  }

  /**
   * The message to store: trimmed, checked, and screened by the core (`content:saving`: a refused
   * word answers 400 with its message; replaced words are replaced). A private message is never
   * held or queued: moderators read a conversation only when a participant reports it.
   */
  async checkBody(body: string, networkId: number, authorId: number): Promise<string> {
    const text = String(body ?? '').trim();
    if (!text) throw refuse(400, 'empty');
    if (text.length > MAX_BODY) throw refuse(400, 'tooLong', { max: MAX_BODY });
    const screened = await screenContent(this.rt, { networkId, authorId, kind: 'message', texts: { body: text } });
    const problem = screened.problems.body;
    if (problem) throw problemError(problem, 400);
    return screened.texts.body;
  }

  /** Stores a message, then publishes it; returns its sequence number. */
  /** Kind, network and container of a conversation never change: kept for the send path. */
  private readonly facts = new Map<number, ConversationRow>();

  private async factsOf(id: number): Promise<ConversationRow | null> {
    const known = this.facts.get(id);
    if (known) return known;
    const c = Number.isSafeInteger(id) && id > 0 ? await this.find(id) : null;
    if (c) {
      if (this.facts.size > 10_000) this.facts.clear();
      this.facts.set(id, c);
    }
    return c;
  }

  /**
   * In-process listeners told of each message this process stored, after it is committed
   * and before it is published (the chat hub delivers it without reading it back).
   */
  readonly storedListeners = new Set<(m: MessageRow) => void>();

  /**
   * Who may send to a direct or group conversation, for all concurrent senders at once
   * (one query per batch): the members now with their status (a member suspended while
   * connected cannot send), and which of the senders each of them blocks.
   */
  private readonly checks = new Batcher<{ conversationId: number; userId: number }, { member: boolean; blocked: boolean; others: number[] }>(
    async (keys) => {
      const ids = [...new Set(keys.map((k) => k.conversationId))];
      const senders = [...new Set(keys.map((k) => k.userId))];
      const rows: { conversation_id: number; user_id: number; status: string; blocks: number | null }[] = await this.rt
        .db('conversation_members as p')
        .join('users as u', 'u.id', 'p.user_id')
        .leftJoin('member_blocks as b', (j) => j.on('b.blocker_id', '=', 'p.user_id').onIn('b.blocked_id', senders))
        .whereIn('p.conversation_id', ids)
        .whereNull('p.left_at')
        .select('p.conversation_id', 'p.user_id', 'u.status', 'b.blocked_id as blocks');
      const members = new Map<number, Map<number, boolean>>(ids.map((id) => [id, new Map()]));
      const blocked = new Set<string>();
      for (const r of rows) {
        members.get(Number(r.conversation_id))!.set(Number(r.user_id), r.status === 'active');
        if (r.blocks !== null) blocked.add(`${Number(r.user_id)}:${Number(r.blocks)}`);
      }
      return keys.map(({ conversationId, userId }) => {
        const list = members.get(conversationId) ?? new Map<number, boolean>();
        const others = [...list.keys()].filter((id) => id !== userId);
        return { member: list.get(userId) === true, blocked: others.some((o) => blocked.has(`${o}:${userId}`)), others };
      });
    },
  );

  /**
   * The sending limit per member and minute. SQLite is served by one process, whose own
   * count is exact. On PostgreSQL several processes may serve: the count is the member's
   * messages of the last minute in the table (one grouped query for concurrent senders,
   * on `(author_id, created_at)`) plus this process's sends not stored yet.
   */
  private async withinRate(userId: number, perMinute: number, recent: Promise<number> | null): Promise<boolean> {
    if (!recent) return this.limiter.take(userId, perMinute);
    const stored = await recent;
    const flying = this.flying.get(userId) ?? 0;
    if (stored + flying >= perMinute) return false;
    this.flying.set(userId, flying + 1);
    return true;
  }

  private landed(userId: number): void {
    if (this.rt.dialect !== 'postgres') return;
    const flying = (this.flying.get(userId) ?? 0) - 1;
    if (flying > 0) this.flying.set(userId, flying);
    else this.flying.delete(userId);
  }

  /** PostgreSQL: sends that passed the limit and are not stored yet, per member. */
  private readonly flying = new Map<number, number>();

  private readonly recent = new Batcher<number, number>(async (users) => {
    const rows: { author_id: number; n: number | string }[] = await this.rt
      .db('messages')
      .whereIn('author_id', [...new Set(users)])
      .where('created_at', '>', Date.now() - 60_000)
      .groupBy('author_id')
      .select('author_id')
      .count({ n: '*' });
    const counts = new Map(rows.map((r) => [Number(r.author_id), Number(r.n)]));
    return users.map((u) => counts.get(u) ?? 0);
  });

  /** Stores a message, then publishes it; returns its sequence number. */
  async send(viewer: Viewer, networkId: number, conversationId: number, body: string): Promise<number> {
    const text = await this.checkBody(body, networkId, viewer.id);
    const c = viewer.status === 'active' ? await this.factsOf(conversationId) : null;
    if (!c) throw new HttpError(404);
    // PostgreSQL: the member's count for the rate limit is read alongside the checks.
    const recent = this.rt.dialect === 'postgres' ? this.recent.load(viewer.id) : null;
    recent?.catch(() => undefined);
    let recipientIds: number[] = [];
    if (isRoom(c)) {
      if (!(await isIn(this.rt, c, viewer.id))) throw new HttpError(404);
    } else {
      const check = await this.checks.load({ conversationId: c.id, userId: viewer.id });
      if (!check.member) throw new HttpError(404);
      if (check.blocked) throw refuse(403, 'blocked');
      recipientIds = check.others;
    }
    if (!(await this.withinRate(viewer.id, this.ratePerMinute(networkId), recent))) throw refuse(429, 'rateLimited');
    const now = Date.now();
    let stored: MessageRow;
    try {
      if (isRoom(c)) await this.ensureRow(c.id, viewer.id);
      stored = this.rt.dialect === 'postgres' ? await this.insertPg(c.id, viewer.id, text, now) : await this.insertSqlite(c.id, viewer.id, text, now);
    } finally {
      this.landed(viewer.id);
    }
    const seq = stored.seq;
    for (const listener of this.storedListeners) {
      try {
        listener(stored);
      } catch (e) {
        this.rt.logger.error({ err: e }, 'messages: stored listener failed');
      }
    }
    await this.rt.pubsub.publish(CHANNEL, changePayload('m', c.id, seq));
    await this.rt.hooks.emit('messages:posted', { networkId: c.network_id, conversationId: c.id, seq, authorId: viewer.id, recipientIds });
    return seq;
  }

  /**
   * PostgreSQL: one statement. The update's row lock serialises concurrent senders of a
   * conversation; the seq follows `last_seq`, or the messages should they be ahead of it;
   * `unique(conversation_id, seq)` is the last wall.
   */
  private async insertPg(conversationId: number, userId: number, body: string, now: number): Promise<MessageRow> {
    const { rows } = (await this.rt.db.raw(
      `with c as (update conversations set last_seq = greatest(last_seq, coalesce((select max(seq) from messages where conversation_id = conversations.id), 0)) + 1, last_message_at = ? where id = ? returning last_seq),
        m as (insert into messages (conversation_id, seq, author_id, body, created_at) select ?, c.last_seq, ?, ?, ? from c returning id, seq),
        p as (update conversation_members set archived = false, last_read_seq = case when user_id = ? then (select seq from m) else last_read_seq end
              where conversation_id = ? and (archived or user_id = ?))
      select id, seq from m`,
      [now, conversationId, conversationId, userId, body, now, userId, conversationId, userId],
    )) as { rows: { id: number; seq: number }[] };
    return {
      id: Number(rows[0].id),
      conversation_id: conversationId,
      seq: Number(rows[0].seq),
      author_id: userId,
      body,
      created_at: now,
      edited_at: null,
      deleted_at: null,
      withheld: false,
    };
  }

  /**
   * SQLite has one connection, so every statement waits for the one before it: at a few
   * hundred messages a second, three statements per message saturate it and senders
   * queue. Concurrent senders are therefore committed together (group commit): the first
   * one starts a transaction at once, the ones that arrive meanwhile form the next batch,
   * stored in one transaction of three statements whatever its size. The `seq` is taken
   * inside that transaction from the conversation's highest (its `last_seq`, or its
   * messages' should they be ahead), and the unique index is the last wall should another
   * process write the same file.
   */
  private readonly pending: {
    conversationId: number;
    userId: number;
    body: string;
    now: number;
    resolve: (m: MessageRow) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private writing = false;

  private insertSqlite(conversationId: number, userId: number, body: string, now: number): Promise<MessageRow> {
    return new Promise((resolve, reject) => {
      this.pending.push({ conversationId, userId, body, now, resolve, reject });
      if (!this.writing) void this.drainSqlite();
    });
  }

  private async drainSqlite(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, 200);
        try {
          const rows = await this.rt.db.transaction((trx) => this.storeSqlite(trx, batch));
          batch.forEach((b, k) => b.resolve(rows[k]));
        } catch (e) {
          if (batch.length === 1) batch[0].reject(e);
          // One bad message must not fail the others: each alone, in order.
          else for (const b of batch) await this.rt.db.transaction((trx) => this.storeSqlite(trx, [b])).then(([row]) => b.resolve(row), b.reject);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async storeSqlite(
    trx: import('knex').Knex.Transaction,
    batch: { conversationId: number; userId: number; body: string; now: number }[],
  ): Promise<MessageRow[]> {
    const ids = [...new Set(batch.map((b) => b.conversationId))];
    const marks = (n: number, m: string): string => Array.from({ length: n }, () => m).join(', ');
    const count = new Map<number, number>();
    for (const b of batch) count.set(b.conversationId, (count.get(b.conversationId) ?? 0) + 1);
    // The new highest seq per conversation, in one statement: from `last_seq`, or from the
    // messages themselves should they be ahead of it (the unique index is the last wall).
    const now = Math.max(...batch.map((b) => b.now));
    const bumped = (await trx.raw(
      `update conversations
         set last_seq = max(last_seq, coalesce((select max(seq) from messages m where m.conversation_id = conversations.id), 0)) + case id ${ids.map(() => 'when ? then ?').join(' ')} else 0 end,
             last_message_at = ?
       where id in (${marks(ids.length, '?')}) returning id, last_seq`,
      [...ids.flatMap((id) => [id, count.get(id)!]), now, ...ids],
    )) as { id: number; last_seq: number }[];
    const next = new Map<number, number>(ids.map((id) => [id, 0]));
    for (const b of bumped) next.set(Number(b.id), Number(b.last_seq) - count.get(Number(b.id))!);
    const rows: MessageRow[] = batch.map((b) => {
      const seq = next.get(b.conversationId)! + 1;
      next.set(b.conversationId, seq);
      return {
        id: 0,
        conversation_id: b.conversationId,
        seq,
        author_id: b.userId,
        body: b.body,
        created_at: b.now,
        edited_at: null,
        deleted_at: null,
        withheld: false,
      };
    });
    const inserted = (await trx.raw(
      `insert into messages (conversation_id, seq, author_id, body, created_at) values ${marks(rows.length, '(?, ?, ?, ?, ?)')} returning id, conversation_id, seq`,
      rows.flatMap((r) => [r.conversation_id, r.seq, r.author_id, r.body, r.created_at]),
    )) as { id: number; conversation_id: number; seq: number }[];
    const idOf = new Map(inserted.map((r) => [`${r.conversation_id}:${r.seq}`, Number(r.id)]));
    for (const r of rows) r.id = idOf.get(`${r.conversation_id}:${r.seq}`)!;
    // Back in everyone's inbox; read up to their own message for each sender.
    const senders = rows.map((r) => [r.conversation_id, r.author_id, r.seq]);
    await trx.raw(
      `with v(c, u, s) as (values ${marks(senders.length, '(?, ?, ?)')})
       update conversation_members set archived = ?,
         last_read_seq = max(last_read_seq, coalesce((select max(v.s) from v where v.c = conversation_members.conversation_id and v.u = conversation_members.user_id), 0))
       where conversation_id in (${marks(ids.length, '?')})
         and (archived or exists (select 1 from v where v.c = conversation_members.conversation_id and v.u = conversation_members.user_id))`,
      [...senders.flat(), false, ...ids],
    );
    return rows;
  }

  /** Keyset pages: the newest `limit` before `before`, or everything after `after` (oldest first). */
  async messages(conversationId: number, opts: { before?: number; after?: number; limit?: number } = {}): Promise<MessageRow[]> {
    const limit = Math.min(Math.max(opts.limit ?? PAGE, 1), 500);
    const q = this.rt.db('messages').where({ conversation_id: conversationId });
    if (opts.after !== undefined) return (await q.where('seq', '>', opts.after).orderBy('seq', 'asc').limit(limit)).map(toMessage);
    if (opts.before !== undefined) q.where('seq', '<', opts.before);
    return (await q.orderBy('seq', 'desc').limit(limit)).map(toMessage).reverse();
  }

  /**
   * For several conversations at once, the messages after each one's own `after` (oldest
   * first, at most `limit` each): one statement per hundred conversations, each branch on
   * the (conversation_id, seq) index. The chat delivers a round of rooms with it.
   */
  async messagesAfter(from: { conversationId: number; after: number }[], limit = PAGE): Promise<Map<number, MessageRow[]>> {
    const out = new Map<number, MessageRow[]>(from.map((f) => [f.conversationId, []]));
    const n = Math.min(Math.max(limit, 1), 500);
    for (let i = 0; i < from.length; i += 100) {
      const part = from.slice(i, i + 100);
      const sql = part
        .map((_, k) => `select * from (select * from messages where conversation_id = ? and seq > ? order by seq limit ${n}) as a${k}`)
        .join(' union all ');
      const result = await this.rt.db.raw(
        sql,
        part.flatMap((f) => [f.conversationId, f.after]),
      );
      const rows = (this.rt.dialect === 'postgres' ? (result as { rows: Record<string, unknown>[] }).rows : result) as Record<string, unknown>[];
      for (const r of rows) out.get(Number(r.conversation_id))?.push(toMessage(r));
    }
    for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
    return out;
  }

  /** The message of a conversation at `seq` (the one `send` just stored). */
  async messageAt(conversationId: number, seq: number): Promise<MessageRow | null> {
    const row = await this.rt.db('messages').where({ conversation_id: conversationId, seq }).first();
    return row ? toMessage(row) : null;
  }

  async message(id: number): Promise<MessageRow | null> {
    const row = await this.rt.db('messages').where({ id }).first();
    return row ? toMessage(row) : null;
  }

  async edit(viewer: Viewer, messageId: number, body: string): Promise<MessageRow> {
    if (!String(body ?? '').trim()) throw refuse(400, 'empty');
    const m = await this.ownMessage(viewer, messageId);
    const conversation = (await this.rt.db('conversations').where({ id: m.conversation_id }).first('network_id')) as { network_id: number };
    const text = await this.checkBody(body, Number(conversation.network_id), viewer.id);
    await this.rt.db('messages').where({ id: m.id }).update({ body: text, edited_at: Date.now() });
    await this.rt.pubsub.publish(CHANNEL, changePayload('e', m.conversation_id, m.id));
    return (await this.message(m.id))!;
  }

  async remove(viewer: Viewer, messageId: number): Promise<MessageRow> {
    const m = await this.ownMessage(viewer, messageId);
    await this.rt.db('messages').where({ id: m.id }).update({ body: '', deleted_at: Date.now() });
    await this.rt.pubsub.publish(CHANNEL, changePayload('e', m.conversation_id, m.id));
    const c = await this.find(m.conversation_id);
    // Its attached files go with it (core/content/attachments.ts).
    if (c) await attachmentsDeleted(this.rt, c.network_id, { parents: [{ kind: 'message', id: m.id }] });
    return (await this.message(m.id))!;
  }

  private async ownMessage(viewer: Viewer, messageId: number): Promise<MessageRow> {
    const m = Number.isSafeInteger(messageId) ? await this.message(messageId) : null;
    if (!m) throw new HttpError(404);
    await this.conversation(viewer, m.conversation_id);
    if (m.author_id !== viewer.id) throw refuse(403, 'notYours');
    if (m.deleted_at) throw new HttpError(404);
    return m;
  }

  /** The member's place in a conversation: the last message read, and whether they archived it. */
  async memberState(userId: number, conversationId: number): Promise<{ lastReadSeq: number; archived: boolean }> {
    const row = await this.rt
      .db('conversation_members')
      .where({ conversation_id: conversationId, user_id: userId })
      .first('last_read_seq', 'archived');
    return { lastReadSeq: Number(row?.last_read_seq ?? 0), archived: !!row?.archived };
  }

  /**
   * Reads the conversation up to `seq`. When that reads something new in a direct or group
   * conversation, its "wrote to you" notifications are read too (`notifications:seen`).
   */
  async markRead(userId: number, c: ConversationRow, seq = c.last_seq): Promise<void> {
    await this.ensureRow(c.id, userId);
    const changed = await this.rt
      .db('conversation_members')
      .where({ conversation_id: c.id, user_id: userId })
      .where('last_read_seq', '<', seq)
      .update({ last_read_seq: Math.min(seq, c.last_seq) });
    await this.rt.pubsub.publish(CHANNEL, changePayload('r', c.id, userId));
    if (Number(changed) > 0 && !isRoom(c))
      await this.rt.hooks.emit('notifications:seen', { networkId: c.network_id, userId, groupKey: awayGroupKey(c.id) });
  }

  async markUnread(userId: number, c: ConversationRow): Promise<void> {
    await this.rt
      .db('conversation_members')
      .where({ conversation_id: c.id, user_id: userId })
      .update({ last_read_seq: Math.max(0, c.last_seq - 1) });
  }

  async archive(userId: number, c: ConversationRow, archived: boolean): Promise<void> {
    await this.rt.db('conversation_members').where({ conversation_id: c.id, user_id: userId }).update({ archived });
  }

  async leave(userId: number, c: ConversationRow): Promise<void> {
    if (isRoom(c)) throw refuse(400, 'cannotLeaveRoom');
    await this.rt.db('conversation_members').where({ conversation_id: c.id, user_id: userId }).update({ left_at: Date.now() });
    await this.rt.pubsub.publish(CHANNEL, changePayload('a', c.id, userId));
  }

  /** The names of a conversation's other members (not left), in order: its title when it has no subject. */
  async otherNames(conversationId: number, viewerId: number): Promise<string[]> {
    const rows = (await this.rt
      .db('conversation_members as p')
      .join('users as u', 'u.id', 'p.user_id')
      .where('p.conversation_id', conversationId)
      .whereNot('p.user_id', viewerId)
      .whereNull('p.left_at')
      .orderBy('u.display_name')
      .select('u.display_name')) as { display_name: string }[];
    return rows.map((r) => r.display_name);
  }

  /** Conversations the member is in (not left, and still in the group or network for rooms), newest first; `after` as `inboxItems`. */
  inbox(userId: number, networkId: number, archived: boolean, limit = 50, after?: readonly [number, number]): Promise<InboxItem[]> {
    return inboxItems(this.rt, userId, networkId, { archived, limit, after });
  }

  /** Conversations with unread messages (the header badge, on every page): one statement, built once and kept prepared. */
  async unreadCount(userId: number): Promise<number> {
    const row = await this.unread.first(this.rt.db, userId);
    return Number(row?.n ?? 0);
  }

  private readonly unread = preparedBuilder<{ n: number | string }>((db, userId) => this.unreadQuery(db, userId));

  /** The badge's query for `userId` (built once per dialect by `unread`). */
  private unreadQuery(db: Knex, userId: number): Knex.QueryBuilder {
    return db('conversation_members as p')
      .join('conversations as c', 'c.id', 'p.conversation_id')
      .where('p.user_id', userId)
      .whereNull('p.left_at')
      .whereRaw('c.last_seq > p.last_read_seq')
      .modify((q) => stillIn(this.rt, q, userId))
      .count({ n: '*' });
  }
}
