/**
 * Connect in person: each member's rotating code per network, the feature's on/off switch,
 * and what opening another member's code does — a connection request through the
 * connections plugin, which connects at once when the other already asked (they opened this
 * member's code first: a mutual scan). In-person connections are kept for "People I met".
 */
import { HttpError, isUniqueViolation, type Runtime } from '../../core';
import { ConnectionsApi, FRIEND } from '../connections/api';
import { newCode } from './codes';

/** A code lives a day; a new one is issued on the first visit after that, or on demand. */
export const CODE_TTL = 24 * 60 * 60 * 1000;
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
  static readonly uses = ['db', 'hooks', 'container'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof ConnectService.uses)[number]>) {}

  private connections(): ConnectionsApi {
    return new ConnectionsApi(this.rt);
  }

  async isOff(userId: number): Promise<boolean> {
    return !!(await this.rt.db('connect_off').where({ user_id: userId }).first('user_id'));
  }

  /** Turns the feature off (codes stop working at once) or on again (a new code). */
  async setOff(userId: number, off: boolean, now = Date.now()): Promise<void> {
    if (!off) {
      await this.rt.db('connect_off').where({ user_id: userId }).del();
      return;
    }
    await this.rt.db.transaction(async (trx) => {
      await trx('connect_off').insert({ user_id: userId, since: now }).onConflict('user_id').ignore();
      await trx('connect_codes').where({ user_id: userId }).del();
    });
  }

  /**
   * The member's code in a network: the current one, or a new one when there is none or it
   * expired. Two pages asking at once agree (the replacement only applies to an expired row).
   */
  async current(userId: number, networkId: number, now = Date.now()): Promise<CurrentCode> {
    const row = await this.rt.db('connect_codes').where({ user_id: userId, network_id: networkId }).first();
    if (row && Number(row.expires_at) > now) return { code: row.code, issuedAt: Number(row.issued_at), expiresAt: Number(row.expires_at) };
    await this.issue(userId, networkId, now, true);
    return this.current(userId, networkId, now);
  }

  /** The current codes of these members (a new one where needed), leaving out those who turned the feature off. */
  async codesOf(userIds: number[], networkId: number, now = Date.now()): Promise<Map<number, string>> {
    const off = new Set((await this.rt.db('connect_off').whereIn('user_id', userIds).pluck('user_id')).map(Number));
    const codes = new Map<number, string>();
    for (const id of userIds) if (!off.has(id)) codes.set(id, (await this.current(id, networkId, now)).code);
    return codes;
  }

  /** A new code now: the old one stops working (a photographed badge, a code read aloud too widely). */
  async rotate(userId: number, networkId: number, now = Date.now()): Promise<void> {
    await this.issue(userId, networkId, now, false);
  }

  private async issue(userId: number, networkId: number, now: number, onlyExpired: boolean): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const fresh = { code: newCode(), issued_at: now, expires_at: now + CODE_TTL };
      const q = this.rt
        .db('connect_codes')
        .insert({ user_id: userId, network_id: networkId, ...fresh })
        .onConflict(['user_id', 'network_id'])
        .merge(fresh);
      try {
        await (onlyExpired ? q.where('connect_codes.expires_at', '<=', now) : q);
        return;
      } catch (e) {
        // Another member drew the same code (one chance in about 10^12 per member): draw again.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }

  /**
   * The member a code belongs to, for `viewerId` in this network: an unexpired code of an
   * active member of the network who has the feature on and blocks nobody either way with the
   * viewer. Anything else (another network's code, an old one) is the same 404.
   */
  async owner(code: string, networkId: number, viewerId: number, now = Date.now()): Promise<CodeOwner> {
    const row = code
      ? await this.rt
          .db('connect_codes as c')
          .join('users as u', 'u.id', 'c.user_id')
          .join('memberships as m', (j) => j.on('m.user_id', 'c.user_id').andOn('m.network_id', 'c.network_id'))
          .leftJoin('connect_off as o', 'o.user_id', 'c.user_id')
          .where({ 'c.code': code, 'c.network_id': networkId, 'u.status': 'active' })
          .where('c.expires_at', '>', now)
          .whereNull('o.user_id')
          .first('u.id', 'u.username', 'u.display_name')
      : undefined;
    if (!row) throw refuse(404, 'unknownCode');
    const owner = { ...row, id: Number(row.id) } as CodeOwner;
    if (owner.id === viewerId) throw refuse(400, 'ownCode');
    const blocked = await this.rt.hooks.filter('people:blocks', [], { userId: viewerId, candidateIds: [owner.id], direction: 'either' });
    if (blocked.includes(owner.id)) throw refuse(404, 'unknownCode');
    return owner;
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
    now = Date.now(),
  ): Promise<{ owner: CodeOwner; outcome: ScanOutcome }> {
    const owner = await this.owner(code, networkId, scannerId, now);
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
    const rows = [
      [a, b],
      [b, a],
    ].map(([me, other]) => ({ network_id: networkId, user_id: me, other_id: other, note: noteOf(me) || noteOf(other), met_at: now }));
    await this.rt.db('connect_met').insert(rows).onConflict(['network_id', 'user_id', 'other_id']).ignore();
  }

  /** "People I met": in-person connections still standing, newest first. */
  async met(userId: number, networkId: number): Promise<Met[]> {
    const rows = await this.rt
      .db('connect_met as x')
      .join('users as u', 'u.id', 'x.other_id')
      .join('user_relations as r', (j) => j.on('r.user_id', 'x.user_id').andOn('r.other_id', 'x.other_id'))
      .where({ 'x.user_id': userId, 'x.network_id': networkId, 'u.status': 'active', 'r.kind': FRIEND })
      .orderBy('x.met_at', 'desc')
      .limit(500)
      .select('u.id', 'u.username', 'u.display_name', 'x.note', 'x.met_at');
    return rows.map((r: Record<string, unknown>) => ({ ...(r as unknown as Met), id: Number(r.id), met_at: Number(r.met_at) }));
  }

  /** A block forgets what the two did in person, both ways. */
  async forget(a: number, b: number): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ]) {
        await trx('connect_scans').where({ scanner_id: x, owner_id: y }).del();
        await trx('connect_met').where({ user_id: x, other_id: y }).del();
      }
    });
  }
}
