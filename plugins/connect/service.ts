/**
 * Connect in person: each member's rotating code per network, the feature's on/off switch,
 * and what opening another member's code does — a connection request through the
 * connections plugin, which connects at once when the other already asked (they opened this
 * member's code first: a mutual scan). In-person connections are kept for "People I met".
 */
import { bothWays, HttpError, isUniqueViolation, type Runtime } from '../../core';
import { ConnectionsApi } from '../connections/api';
import { newCode } from './codes';
import { CodeGuesses } from './guesses';

/** A code lives a day; the member asks for a new one after that, or sooner (on demand). */
export const CODE_TTL = 24 * 60 * 60 * 1000;
/** The longest a printed badge's code lasts: until its event ends, but never more than this from printing. */
export const BADGE_MAX = 31 * 24 * 60 * 60 * 1000;

/** Until when a badge's code must work: the event's end (capped at `BADGE_MAX` from now). */
export const badgeNeed = (endsAt: number, now: number): number => Math.min(endsAt, now + BADGE_MAX);
/** How long an opened code counts for "People I met" when the other accepts later. */
export const SCAN_MEMORY = 30 * 24 * 60 * 60 * 1000;
export const NOTE_MAX = 120;

export interface CurrentCode {
  code: string;
  issuedAt: number;
  expiresAt: number;
}

export interface CodeOwner {
  id: number;
  username: string;
  display_name: string;
}

export interface Met {
  id: number;
  username: string;
  display_name: string;
  note: string;
  met_at: number;
}

export type ScanOutcome = 'connected' | 'requested' | 'already';

const refuse = (status: number, key: string): HttpError => new HttpError(status, `connect.error.${key}`);

export class ConnectService {
  static readonly uses = ['db', 'hooks', 'container', 'logger', 'pubsub', 'users'] as const;
  /** Failed code look-ups per member and per address (in memory, shared between processes once `app:ready`). */
  readonly guesses = new CodeGuesses();
  constructor(private readonly rt: Pick<Runtime, (typeof ConnectService.uses)[number]>) {}

  private connections(): ConnectionsApi {
    return new ConnectionsApi(this.rt);
  }

  async isOff(userId: number, networkId: number): Promise<boolean> {
    return !!(await this.rt.db('connect_off').where({ user_id: userId, network_id: networkId }).first('user_id'));
  }

  /** Which of these members turned the feature off in the network. */
  async offAmong(userIds: number[], networkId: number): Promise<Set<number>> {
    const ids: (number | string)[] = userIds.length
      ? await this.rt.db('connect_off').where({ network_id: networkId }).whereIn('user_id', userIds).pluck('user_id')
      : [];
    return new Set(ids.map(Number));
  }

  /** Turns the feature off in a network (its code stops working at once) or on again (a new code). */
  async setOff(userId: number, networkId: number, off: boolean, now = Date.now()): Promise<void> {
    if (!off) {
      await this.rt.db('connect_off').where({ user_id: userId, network_id: networkId }).del();
      await this.issue(userId, networkId, now, null);
      return;
    }
    await this.rt.db.transaction(async (trx) => {
      await trx('connect_off').insert({ user_id: userId, network_id: networkId, since: now }).onConflict(['user_id', 'network_id']).ignore();
      await trx('connect_codes').where({ user_id: userId, network_id: networkId }).del();
    });
  }

  /** The member's unexpired code in a network, or null (none yet, expired, or the feature off). Reads only. */
  async current(userId: number, networkId: number, now = Date.now()): Promise<CurrentCode | null> {
    const row = await this.rt.db('connect_codes').where({ user_id: userId, network_id: networkId }).where('expires_at', '>', now).first();
    return row ? { code: row.code, issuedAt: Number(row.issued_at), expiresAt: Number(row.expires_at) } : null;
  }

  /** The unexpired codes of these members in a network, with when each expires. Reads only. */
  private async currentCodes(userIds: number[], networkId: number, now: number): Promise<Map<number, { code: string; expiresAt: number }>> {
    const rows: { user_id: number; code: string; expires_at: number }[] = userIds.length
      ? await this.rt
          .db('connect_codes')
          .where({ network_id: networkId })
          .whereIn('user_id', userIds)
          .where('expires_at', '>', now)
          .select('user_id', 'code', 'expires_at')
      : [];
    return new Map(rows.map((r) => [Number(r.user_id), { code: r.code, expiresAt: Number(r.expires_at) }]));
  }

  /**
   * The codes of these members in a network that still work at `until` (now by default;
   * members without one left out). Reads only.
   */
  async codesOf(userIds: number[], networkId: number, now = Date.now(), until = now): Promise<Map<number, string>> {
    const current = await this.currentCodes(userIds, networkId, now);
    return new Map([...current].filter(([, c]) => c.expiresAt >= until).map(([id, c]) => [id, c.code]));
  }

  /**
   * A code lasting until `until` for each of these members who has the feature on and none
   * that lasts (an organiser printing badges for an event of several days): a member's
   * current code is kept and made to last, so phone and badge show the same; a member
   * without one gets a new one. Answers how many were issued or extended; twice is as once.
   */
  async issueMissing(userIds: number[], networkId: number, until: number, now = Date.now()): Promise<number> {
    const expiresAt = Math.max(until, now + CODE_TTL);
    const off = await this.offAmong(userIds, networkId);
    const current = await this.currentCodes(userIds, networkId, now);
    const missing = userIds.filter((id) => !off.has(id) && !((current.get(id)?.expiresAt ?? 0) >= until));
    const extend = missing.filter((id) => current.has(id));
    if (extend.length)
      await this.rt
        .db('connect_codes')
        .where({ network_id: networkId })
        .whereIn('user_id', extend)
        .where('expires_at', '>', now)
        .update({ expires_at: expiresAt });
    for (const id of missing.filter((m) => !current.has(m))) await this.issue(id, networkId, now, null, expiresAt);
    return missing.length;
  }

  /**
   * A new code now in place of `replaces`: the old one stops working (a photographed badge, a
   * code read aloud too widely); without `replaces`, the first one of the day when there is
   * none or the last expired. A double submit answers as the first: its `replaces` is gone.
   */
  async rotate(userId: number, networkId: number, replaces: string, now = Date.now()): Promise<void> {
    await this.issue(userId, networkId, now, replaces || null);
  }

  /** Writes a new code when the member has none or an expired one, or when the current one is `replaces`. */
  private async issue(userId: number, networkId: number, now: number, replaces: string | null, expiresAt = now + CODE_TTL): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const fresh = { code: newCode(), issued_at: now, expires_at: expiresAt };
      const q = this.rt
        .db('connect_codes')
        .insert({ user_id: userId, network_id: networkId, ...fresh })
        .onConflict(['user_id', 'network_id'])
        .merge(fresh);
      try {
        await (replaces ? q.where('connect_codes.code', replaces) : q.where('connect_codes.expires_at', '<=', now));
        return;
      } catch (e) {
        // Another member drew the same code (one chance in about 10^12 per member): draw again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }

  /**
   * The member a code belongs to, for `viewerId` in this network: an unexpired code of an
   * active member of the network (the core's `users`) who has the feature on and blocks
   * nobody either way with the viewer. Anything else (another network's code, an old one) is
   * the same 404.
   */
  async owner(code: string, networkId: number, viewerId: number, now = Date.now()): Promise<CodeOwner> {
    const row = code
      ? await this.rt
          .db('connect_codes as c')
          .leftJoin('connect_off as o', (j) => j.on('o.user_id', 'c.user_id').andOn('o.network_id', 'c.network_id'))
          .where({ 'c.code': code, 'c.network_id': networkId })
          .where('c.expires_at', '>', now)
          .whereNull('o.user_id')
          .first('c.user_id')
      : undefined;
    const account = row && (await this.rt.users.byId(Number(row.user_id)));
    const member = account && (await this.rt.users.activeMember(networkId, account.username));
    if (!member) throw refuse(404, 'unknownCode');
    const owner: CodeOwner = { id: Number(member.id), username: member.username, display_name: member.display_name };
    if (owner.id === viewerId) throw refuse(400, 'ownCode');
    const blocked = await this.rt.hooks.filter('people:blocks', [], { userId: viewerId, candidateIds: [owner.id], direction: 'either' });
    if (blocked.includes(owner.id)) throw refuse(404, 'unknownCode');
    return owner;
  }

  /** Counts with the other processes the failed guesses of the limit (once per process). */
  shareGuesses(): Promise<void> {
    return this.guesses.share(this.rt.pubsub, this.rt.logger);
  }

  /**
   * `owner` behind the limit on guessing (guesses.ts): refused with a 429 while `viewerId` or
   * their `address` is over it; a code that opens nothing counts against both.
   */
  async lookUp(code: string, networkId: number, viewerId: number, address: string, now = Date.now()): Promise<CodeOwner> {
    await this.shareGuesses(); // at app:ready where the plugin is on at start; here where it was turned on since
    const wait = this.guesses.wait(viewerId, address);
    if (wait > 0) throw new HttpError(429, 'connect.error.tooManyGuesses', { count: Math.ceil(wait / 60), minutes: Math.ceil(wait / 60) });
    try {
      return await this.owner(code, networkId, viewerId, now);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) this.guesses.failed(viewerId, address);
      throw e;
    }
  }

  /**
   * `scannerId` opened `code` and asked to connect, noting where they met. Connected at once
   * when the owner had asked first (they opened the scanner's code: a mutual scan); else a
   * request the owner accepts or declines as any other. Asking twice answers as the first time.
   */
  async scan(
    networkId: number,
    scannerId: number,
    code: string,
    note: string,
    address: string,
    now = Date.now(),
  ): Promise<{ owner: CodeOwner; outcome: ScanOutcome }> {
    const owner = await this.lookUp(code, networkId, scannerId, address, now);
    await this.rt.db('connect_scans').insert({ network_id: networkId, scanner_id: scannerId, owner_id: owner.id, note, created_at: now });
    if (await this.connections().connected(scannerId, owner.id)) {
      await this.recordMeeting(networkId, scannerId, owner.id, now);
      return { owner, outcome: 'already' };
    }
    // An acceptance announces `connections:accepted`, where the meeting is recorded (below).
    const answer = await this.connections().request(networkId, scannerId, owner.id);
    return { owner, outcome: answer === 'accepted' ? 'connected' : 'requested' };
  }

  /**
   * Two members connected: when one opened the other's code lately in this network (the
   * connection was made in person), each keeps the meeting with the note they typed, or the
   * other's when they typed none.
   */
  async recordMeeting(networkId: number, a: number, b: number, now = Date.now()): Promise<void> {
    const scans: { scanner_id: number; note: string }[] = await this.rt
      .db('connect_scans')
      .where({ network_id: networkId })
      .where('created_at', '>', now - SCAN_MEMORY)
      .where((w) => w.where({ scanner_id: a, owner_id: b }).orWhere({ scanner_id: b, owner_id: a }))
      .orderBy('id', 'desc')
      .select('scanner_id', 'note');
    if (!scans.length) return;
    const noteOf = (id: number): string => scans.find((s) => Number(s.scanner_id) === id && s.note)?.note ?? '';
    const rows = bothWays(a, b).map(([me, other]) => ({
      network_id: networkId,
      user_id: me,
      other_id: other,
      note: noteOf(me) || noteOf(other),
      met_at: now,
    }));
    await this.rt.db('connect_met').insert(rows).onConflict(['network_id', 'user_id', 'other_id']).ignore();
  }

  /**
   * "People I met": in-person connections still standing (the connections plugin says which),
   * with active accounts (the core's `users`), newest first.
   */
  async met(userId: number, networkId: number): Promise<Met[]> {
    const rows: { other_id: number; note: string; met_at: number }[] = await this.rt
      .db('connect_met')
      .where({ user_id: userId, network_id: networkId })
      .orderBy('met_at', 'desc')
      .limit(500)
      .select('other_id', 'note', 'met_at');
    const ids = rows.map((r) => Number(r.other_id));
    const connected = await this.connections().connectedAmong(userId, ids);
    const people = new Map((await this.rt.users.people(ids)).filter((p) => p.status === 'active').map((p) => [p.id, p]));
    return rows.flatMap((r) => {
      const p = people.get(Number(r.other_id));
      return p && connected.has(p.id)
        ? [{ id: p.id, username: p.username, display_name: p.display_name, note: r.note, met_at: Number(r.met_at) }]
        : [];
    });
  }

  /** A block forgets what the two did in person, both ways. */
  async forget(a: number, b: number): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      for (const [x, y] of bothWays(a, b)) {
        await trx('connect_scans').where({ scanner_id: x, owner_id: y }).del();
        await trx('connect_met').where({ user_id: x, other_id: y }).del();
      }
    });
  }
}
