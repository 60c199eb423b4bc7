/**
 * Follows and connections: every change is checked here (self, duplicates, whose request
 * it is), written in a transaction, then announced with a `connections:*` event whose
 * `fromId` is the member who acted and `toId` the other member.
 */
import type { Knex } from 'knex';
import {
  bothWays,
  HttpError,
  isUniqueViolation,
  preparedRead,
  readKeyset,
  type KeyColumn,
  type KeysetCursor,
  type KeysetPage,
  type PersonRow,
  type Runtime,
  type SortKey,
  type Viewer,
} from '../../core';
import type {} from '../messages/hooks';
import { connectionCounts } from './counts';
import './hooks';
import { searchDirectory, type DirectoryPage, type DirectoryQuery } from './directory';
import type { FilterReader } from './filters';

export const FRIEND = 'friend';
export const PAGE_SIZE = 20;

export interface Member {
  id: number;
  username: string;
  display_name: string;
  created_at: number;
  /** The columns of the person's card, where the list's statement read them (the directory's): no second read. */
  card?: PersonRow;
}

export interface Relation {
  self: boolean;
  following: boolean;
  followedBy: boolean;
  connected: boolean;
  /** My pending request to them. */
  sentRequestId: number | null;
  /** Their pending request to me. */
  receivedRequestId: number | null;
}

/** The order of the people lists: by name, the id breaking ties; their cursor's parts. */
const BY_NAME: readonly KeyColumn[] = [{ sql: 'u.display_name' }, { sql: 'u.id' }];
export const LIST_CURSOR = ['text', 'int'] as const;
/** The order of the new members: who joined the network last first; their cursor's parts. */
const NEWEST: readonly KeyColumn[] = [
  { sql: 'm.created_at', desc: true },
  { sql: 'u.id', desc: true },
];
export const NEWEST_CURSOR = ['int', 'int'] as const;

/** A member's columns of a row of `users` (the people lists' and the directory's). */
export const memberRow = (r: Record<string, unknown>): Member => ({
  id: Number(r.id),
  username: String(r.username),
  display_name: String(r.display_name),
  created_at: Number(r.created_at),
});
const memberOf = (r: Record<string, unknown>): Member & { joined_at: number } => ({ ...memberRow(r), joined_at: Number(r.joined_at) });

const refuse = (status: number, key: string): HttpError => new HttpError(status, `connections.error.${key}`);

/** Where a viewer stands with another member (every profile page asks): five lookups in one statement, kept prepared. */
const RELATION = preparedRead<Record<'following' | 'followed_by' | 'connected' | 'sent' | 'received', number | string | null>>(
  `select (select follower_id from follows where follower_id = ? and followee_id = ? limit 1) as "following",
  (select follower_id from follows where follower_id = ? and followee_id = ? limit 1) as "followed_by",
  (select user_id from user_relations where user_id = ? and other_id = ? and kind = ? limit 1) as "connected",
  (select id from connection_requests where from_id = ? and to_id = ? and status = 'pending' limit 1) as "sent",
  (select id from connection_requests where from_id = ? and to_id = ? and status = 'pending' limit 1) as "received"`,
);

export class ConnectionsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'hooks', 'access', 'containers'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof ConnectionsService.uses)[number]>) {}

  /** A page of the directory: members of the network matching the query and filters (directory.ts). */
  directory(query: DirectoryQuery): Promise<DirectoryPage> {
    return searchDirectory(this.rt.db, query);
  }

  /** What the directory's filter clauses read with: this app's database and access model, for `viewer`. */
  filterReader(viewer: Viewer | null): FilterReader {
    return { db: this.rt.db, access: this.rt.access, viewer };
  }

  /** An active member of the network, by username (case-insensitive), or a localised 404. */
  async member(username: string, networkId: number): Promise<Member> {
    const row = await this.rt
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('u.username_lower', String(username).toLowerCase())
      .where('m.network_id', networkId)
      .where('u.status', 'active')
      .first('u.id', 'u.username', 'u.display_name', 'u.created_at');
    if (!row) throw refuse(404, 'unknownMember');
    return { ...row, id: Number(row.id), created_at: Number(row.created_at) };
  }

  /** Where the viewer stands with another member: one statement of five lookups. */
  async relation(viewerId: number, otherId: number): Promise<Relation> {
    const row = (await RELATION.first(this.rt.db, [
      viewerId,
      otherId,
      otherId,
      viewerId,
      viewerId,
      otherId,
      FRIEND,
      viewerId,
      otherId,
      otherId,
      viewerId,
    ]))!;
    const present = (v: unknown): boolean => v !== null && v !== undefined;
    return {
      self: viewerId === otherId,
      following: present(row.following),
      followedBy: present(row.followed_by),
      connected: present(row.connected),
      sentRequestId: present(row.sent) ? Number(row.sent) : null,
      receivedRequestId: present(row.received) ? Number(row.received) : null,
    };
  }

  /** Which of `otherIds` are connected with `userId`. */
  async connectedAmong(userId: number, otherIds: readonly number[]): Promise<Set<number>> {
    if (!otherIds.length) return new Set();
    const ids: (number | string)[] = await this.rt
      .db('user_relations')
      .where({ user_id: userId, kind: FRIEND })
      .whereIn('other_id', otherIds)
      .pluck('other_id');
    return new Set(ids.map(Number));
  }

  /** A member blocking the other (either way, the messages plugin's `people:blocks`): no follow, no request. */
  private async refuseBlocked(fromId: number, toId: number): Promise<void> {
    const blocked = await this.rt.hooks.filter('people:blocks', [], { userId: fromId, candidateIds: [toId], direction: 'either' });
    if (blocked.includes(toId)) throw refuse(403, 'blocked');
  }

  /** Follows `toId`. Following again is a success that changes nothing (simultaneous submits included): one row, one event. */
  async follow(networkId: number, fromId: number, toId: number): Promise<void> {
    if (fromId === toId) throw refuse(400, 'followSelf');
    await this.refuseBlocked(fromId, toId);
    const added = await this.rt
      .db('follows')
      .insert({ follower_id: fromId, followee_id: toId, created_at: Date.now() })
      .onConflict(['follower_id', 'followee_id'])
      .ignore()
      .returning('follower_id');
    if (added.length) await this.rt.hooks.emit('connections:followed', { networkId, fromId, toId });
  }

  async unfollow(networkId: number, fromId: number, toId: number): Promise<void> {
    const n = await this.rt.db('follows').where({ follower_id: fromId, followee_id: toId }).del();
    if (!n) throw refuse(409, 'notFollowing');
    await this.rt.hooks.emit('connections:unfollowed', { networkId, fromId, toId });
  }

  /**
   * Asks `toId` to connect. When they already asked me, this accepts their request. Asking
   * again while my request waits answers as the first time did, changing nothing: the
   * unique key on pending requests makes simultaneous submits converge on one row, and
   * the event fires once. The key holds one pending request per pair whichever asked: when
   * A asks B while B asks A, a loser's insert that still meets it fails, and its retry
   * accepts the winner's request.
   */
  async request(networkId: number, fromId: number, toId: number): Promise<'requested' | 'accepted'> {
    if (fromId === toId) throw refuse(400, 'connectSelf');
    await this.refuseBlocked(fromId, toId);
    const attempt = () =>
      this.rt.db.transaction(async (trx): Promise<{ answer: 'requested' | 'accepted'; wrote: boolean }> => {
        // The pair's rows locked in id order (PostgreSQL; SQLite runs one transaction at a
        // time): requests between the same two members run one after the other, so none reads
        // "not connected" while another connects them.
        if (this.rt.db.client.config.client !== 'sqlite3') {
          for (const id of [Math.min(fromId, toId), Math.max(fromId, toId)]) await trx('users').where({ id }).forNoKeyUpdate().first('id');
        }
        if (await trx('user_relations').where({ user_id: fromId, other_id: toId, kind: FRIEND }).first('user_id'))
          throw refuse(409, 'alreadyConnected');
        const theirs = await trx('connection_requests').where({ from_id: toId, to_id: fromId, status: 'pending' }).first('id');
        if (theirs) return { answer: 'accepted', wrote: await this.acceptIn(trx, Number(theirs.id), toId, fromId) };
        const asked = await trx('connection_requests')
          .insert({ from_id: fromId, to_id: toId, status: 'pending', created_at: Date.now() })
          .onConflict(this.rt.db.raw("(from_id, to_id) where status = 'pending'"))
          .ignore()
          .returning('id');
        return { answer: 'requested', wrote: asked.length > 0 };
      });
    let outcome: { answer: 'requested' | 'accepted'; wrote: boolean };
    try {
      outcome = await attempt();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      outcome = await attempt();
    }
    if (outcome.wrote)
      await this.rt.hooks.emit(outcome.answer === 'accepted' ? 'connections:accepted' : 'connections:requested', { networkId, fromId, toId });
    return outcome.answer;
  }

  /** The pending request `id` addressed to (or, for cancel, sent by) `viewerId`, or a 404. */
  private async pending(trx: Knex, id: number, column: 'to_id' | 'from_id', viewerId: number): Promise<{ from_id: number; to_id: number }> {
    if (!Number.isSafeInteger(id) || id <= 0) throw refuse(404, 'unknownRequest');
    const row = await trx('connection_requests').where({ id, status: 'pending' }).where(column, viewerId).first('from_id', 'to_id');
    if (!row) throw refuse(404, 'unknownRequest');
    return { from_id: Number(row.from_id), to_id: Number(row.to_id) };
  }

  /** Accepts the pending request `id` (a conditional update: whether this call accepted it). */
  private async acceptIn(trx: Knex, id: number, fromId: number, toId: number): Promise<boolean> {
    const now = Date.now();
    const n = await trx('connection_requests').where({ id, status: 'pending' }).update({ status: 'accepted', decided_at: now });
    if (!Number(n)) return false;
    for (const [a, b] of bothWays(fromId, toId)) {
      await trx('user_relations')
        .insert({ user_id: a, other_id: b, kind: FRIEND, created_at: now })
        .onConflict(['user_id', 'other_id', 'kind'])
        .ignore();
    }
    return true;
  }

  /** Accepts a request addressed to the viewer; accepting it again (or at the same moment) is a success that changes nothing. */
  async accept(networkId: number, viewerId: number, id: number): Promise<void> {
    const req = await this.rt.db.transaction(async (trx) => {
      // One read: pending (accept it) or already accepted (by a simultaneous submit: nothing to do).
      const r =
        Number.isSafeInteger(id) && id > 0
          ? await trx('connection_requests')
              .where({ id, to_id: viewerId })
              .whereIn('status', ['pending', 'accepted'])
              .first('from_id', 'to_id', 'status')
          : undefined;
      if (!r) throw refuse(404, 'unknownRequest');
      const fromId = Number(r.from_id);
      return { from_id: fromId, accepted: r.status === 'pending' && (await this.acceptIn(trx, id, fromId, viewerId)) };
    });
    if (req.accepted) await this.rt.hooks.emit('connections:accepted', { networkId, fromId: viewerId, toId: req.from_id });
  }

  async decline(networkId: number, viewerId: number, id: number): Promise<void> {
    const req = await this.rt.db.transaction(async (trx) => {
      const r = await this.pending(trx, id, 'to_id', viewerId);
      await trx('connection_requests').where({ id }).update({ status: 'declined', decided_at: Date.now() });
      return r;
    });
    await this.rt.hooks.emit('connections:declined', { networkId, fromId: viewerId, toId: req.from_id });
  }

  async cancel(viewerId: number, id: number): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      await this.pending(trx, id, 'from_id', viewerId);
      await trx('connection_requests').where({ id }).update({ status: 'cancelled', decided_at: Date.now() });
    });
  }

  async remove(networkId: number, fromId: number, toId: number): Promise<void> {
    const n = await this.rt
      .db('user_relations')
      .where({ kind: FRIEND })
      .where((w) => w.where({ user_id: fromId, other_id: toId }).orWhere({ user_id: toId, other_id: fromId }))
      .del();
    if (!n) throw refuse(409, 'notConnected');
    await this.rt.hooks.emit('connections:removed', { networkId, fromId, toId });
  }

  /**
   * Ends every tie between two members, both ways (`people:blocked`: a block): follows, the
   * connection, and pending requests (cancelled). Nothing is announced; the counts follow
   * (database triggers).
   */
  async sever(a: number, b: number): Promise<void> {
    // One direction per statement: SQLite's planner fails ("internal query planner error")
    // on an `or` of both directions against the partial index of pending requests.
    await this.rt.db.transaction(async (trx) => {
      for (const [x, y] of bothWays(a, b)) {
        await trx('follows').where({ follower_id: x, followee_id: y }).del();
        await trx('user_relations').where({ user_id: x, other_id: y, kind: FRIEND }).del();
        await trx('connection_requests').where({ from_id: x, to_id: y, status: 'pending' }).update({ status: 'cancelled', decided_at: Date.now() });
      }
    });
  }

  /** Counts shown on a profile (kept by the database: see counts.ts). */
  async counts(userId: number, networkId: number): Promise<{ followers: number; following: number; connections: number }> {
    return connectionCounts(this.rt.db, userId, networkId);
  }

  /** Active members of the network who follow / are followed by / are connected to `userId`. */
  listQuery(kind: 'followers' | 'following' | 'connections', userId: number, networkId: number): Knex.QueryBuilder {
    const q = this.activeMembers(networkId);
    if (kind === 'followers') q.join('follows as f', 'f.follower_id', 'u.id').where('f.followee_id', userId);
    else if (kind === 'following') q.join('follows as f', 'f.followee_id', 'u.id').where('f.follower_id', userId);
    else q.join('user_relations as r', 'r.other_id', 'u.id').where('r.user_id', userId).where('r.kind', FRIEND);
    return q;
  }

  /** One page of a member's followers, following or connections, by name (keyset: LIST_CURSOR). */
  async list(
    kind: 'followers' | 'following' | 'connections',
    userId: number,
    networkId: number,
    cursor: KeysetCursor,
    limit = PAGE_SIZE,
  ): Promise<KeysetPage<Member>> {
    return this.readPage(this.listQuery(kind, userId, networkId), BY_NAME, cursor, limit, (m) => [m.display_name, m.id]);
  }

  /** How many people a list holds (the API's `total`). */
  async total(kind: 'followers' | 'following' | 'connections', userId: number, networkId: number): Promise<number> {
    return this.countOf(this.listQuery(kind, userId, networkId));
  }

  /** Pending requests I received and sent. */
  async requests(
    viewerId: number,
    networkId: number,
  ): Promise<{ received: (Member & { requestId: number })[]; sent: (Member & { requestId: number })[] }> {
    const q = (mine: 'to_id' | 'from_id', theirs: 'from_id' | 'to_id') =>
      this.activeMembers(networkId)
        .join('connection_requests as cr', `cr.${theirs}`, 'u.id')
        .where(`cr.${mine}`, viewerId)
        .where('cr.status', 'pending')
        .orderBy('cr.created_at', 'desc')
        .limit(100)
        .select('u.id', 'u.username', 'u.display_name', 'u.created_at', 'cr.id as requestId');
    const [received, sent] = await Promise.all([q('to_id', 'from_id'), q('from_id', 'to_id')]);
    const norm = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({ ...(r as unknown as Member), id: Number(r.id), requestId: Number(r.requestId) }));
    return { received: norm(received), sent: norm(sent) };
  }

  /**
   * People my connections know (not me, not already connected), ranked by how many of my
   * connections know them; then people of my networks I don't follow yet.
   */
  async suggestions(
    viewerId: number,
    viewerNetworks: number[],
    networkId: number,
    limit = 10,
  ): Promise<{ friendsOfFriends: (Member & { mutual: number })[]; sameGroups: Member[]; sameNetworks: Member[] }> {
    const fof = await this.activeMembers(networkId)
      .join('user_relations as r2', 'r2.other_id', 'u.id')
      .join('user_relations as r1', 'r1.other_id', 'r2.user_id')
      .where('r1.user_id', viewerId)
      .where('r1.kind', FRIEND)
      .where('r2.kind', FRIEND)
      .whereNot('u.id', viewerId)
      .whereNotExists((s) =>
        s
          .select(this.rt.db.raw('1'))
          .from('user_relations as r3')
          .where('r3.user_id', viewerId)
          .where('r3.other_id', this.rt.db.ref('u.id'))
          .where('r3.kind', FRIEND),
      )
      .groupBy('u.id', 'u.username', 'u.display_name', 'u.created_at')
      .select('u.id', 'u.username', 'u.display_name', 'u.created_at')
      .count({ mutual: '*' })
      .orderBy('mutual', 'desc')
      .orderBy('u.id')
      .limit(limit);
    const same = await this.activeMembers(networkId)
      .whereExists((s) =>
        s
          .select(this.rt.db.raw('1'))
          .from('memberships as m2')
          .where('m2.user_id', this.rt.db.ref('u.id'))
          .whereIn('m2.network_id', viewerNetworks.length ? viewerNetworks : [networkId]),
      )
      .whereNot('u.id', viewerId)
      .whereNotExists((s) =>
        s.select(this.rt.db.raw('1')).from('follows as f').where('f.follower_id', viewerId).where('f.followee_id', this.rt.db.ref('u.id')),
      )
      .orderBy('u.created_at', 'desc')
      .orderBy('u.id', 'desc')
      .limit(limit)
      .select('u.id', 'u.username', 'u.display_name', 'u.created_at');
    // Groups (containers) I belong to: their other members I don't follow yet.
    const groups = await this.activeMembers(networkId)
      .whereIn('u.id', this.rt.containers.matesOf(viewerId))
      .whereNot('u.id', viewerId)
      .whereNotExists((s) =>
        s.select(this.rt.db.raw('1')).from('follows as f').where('f.follower_id', viewerId).where('f.followee_id', this.rt.db.ref('u.id')),
      )
      .orderBy('u.display_name')
      .orderBy('u.id')
      .limit(limit)
      .select('u.id', 'u.username', 'u.display_name', 'u.created_at');
    return {
      sameGroups: groups.map((r: Record<string, unknown>) => ({ ...(r as unknown as Member), id: Number(r.id) })),
      friendsOfFriends: fof.map((r: Record<string, unknown>) => ({ ...(r as unknown as Member), id: Number(r.id), mutual: Number(r.mutual) })),
      sameNetworks: same.map((r: Record<string, unknown>) => ({ ...(r as unknown as Member), id: Number(r.id) })),
    };
  }

  /** The newest members of the network (to welcome them), newest first, the viewer left out. */
  async newMembers(networkId: number, viewerId: number, cursor: KeysetCursor, limit = PAGE_SIZE): Promise<KeysetPage<Member>> {
    return this.readPage(this.activeMembers(networkId).whereNot('u.id', viewerId), NEWEST, cursor, limit, (m) => [m.joined_at, m.id]);
  }

  /** Active members of a network, as `u` (users) joined to `m` (memberships). */
  activeMembers(networkId: number): Knex.QueryBuilder {
    return this.rt.db('users as u').join('memberships as m', 'm.user_id', 'u.id').where('m.network_id', networkId).where('u.status', 'active');
  }

  private async countOf(q: Knex.QueryBuilder): Promise<number> {
    const row = await q.clone().clearSelect().clearOrder().count({ n: '*' }).first();
    return Number((row as { n?: unknown } | undefined)?.n ?? 0);
  }

  /** One keyset page of members of `q` in `order`, keyed by `keyOf`. */
  private async readPage(
    q: Knex.QueryBuilder,
    order: readonly KeyColumn[],
    cursor: KeysetCursor,
    limit: number,
    keyOf: (m: Member & { joined_at: number }) => SortKey,
  ): Promise<KeysetPage<Member>> {
    const columns = q.clone().select('u.id', 'u.username', 'u.display_name', 'u.created_at', 'm.created_at as joined_at');
    const page = await readKeyset<Record<string, unknown>>(columns, order, cursor, limit, (r) => keyOf(memberOf(r)));
    return { ...page, items: page.items.map((r) => memberOf(r)) };
  }
}
