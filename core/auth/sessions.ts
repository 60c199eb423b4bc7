/**
 * Sessions live in the database so several processes share them. The cookie holds a
 * random token; the table holds its SHA-256. A session ends after `idleMinutes` without
 * use or `absoluteDays` after sign-in, whichever comes first. The member's `last_active_at`
 * is written with the session's (at sign-in, then at most once a minute).
 */
import type { Knex } from 'knex';
import { randomToken, sha256 } from './tokens';
import { BOT_KIND, type Viewer } from './viewer';
import { VIEWER_COLUMNS, viewerFromRows, type ViewerRow } from './user-lookups';
import { preparedRead } from '../db/statements';
import { endAllSessions } from './sign-out';
import type { PubSub } from '../realtime/pubsub';

export interface SessionOptions {
  idleMinutes: number;
  absoluteDays: number;
}

/** The session, its member and their memberships (one row per membership), by session id. */
const RESOLVE = preparedRead<ViewerRow & { user_id: number; last_seen_at: number | string; expires_at: number | string }>(
  `select s.user_id, s.last_seen_at, s.expires_at, ${VIEWER_COLUMNS.join(', ')}
   from sessions s left join users u on u.id = s.user_id left join memberships m on m.user_id = s.user_id
   where s.id = ?`,
);

/** Last-seen times are written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 60_000;

export class Sessions {
  constructor(
    private readonly db: Knex,
    private readonly options: SessionOptions,
    private readonly pubsub: Pick<PubSub, 'publish'>,
  ) {}

  /** Starts a session; returns the cookie token. */
  async create(userId: number, meta: { ip?: string; userAgent?: string } = {}): Promise<string> {
    const user = (await this.db('users').where({ id: userId }).first('kind')) as { kind: string } | undefined;
    if (user?.kind === BOT_KIND) throw new Error('a bot never gets a session'); // core/members/bots.ts
    const token = randomToken();
    const now = Date.now();
    await this.db('sessions').insert({
      id: sha256(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.options.absoluteDays * 86_400_000,
      ip: meta.ip?.slice(0, 64) ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    });
    await this.db('users').where({ id: userId }).update({ last_active_at: now });
    return token;
  }

  /** The session's id and member, or null when unknown or expired (expired ones are deleted). */
  async resolve(token: string | undefined): Promise<{ id: string; userId: number; viewer?: Viewer } | null> {
    if (!token || token.length > 100) return null;
    const id = sha256(token);
    // The session, its member and their memberships in one statement: this runs on every request.
    const rows = await RESOLVE.all(this.db, [id]);
    const row = rows[0];
    if (!row) return null;
    const now = Date.now();
    const lastSeen = Number(row.last_seen_at);
    if (now > Number(row.expires_at) || now - lastSeen > this.options.idleMinutes * 60_000) {
      await this.db('sessions').where({ id }).delete();
      return null;
    }
    if (now - lastSeen > TOUCH_EVERY_MS) {
      await this.db('sessions').where({ id }).update({ last_seen_at: now });
      await this.db('users').where({ id: row.user_id }).update({ last_active_at: now });
    }
    return { id, userId: Number(row.user_id), viewer: row.id === null ? undefined : viewerFromRows(rows) };
  }

  /** The member's live sessions, newest use first. */
  async list(userId: number): Promise<{ id: string; createdAt: number; lastSeenAt: number; ip: string | null; userAgent: string | null }[]> {
    const rows: { id: string; created_at: number; last_seen_at: number; ip: string | null; user_agent: string | null }[] = await this.db('sessions')
      .where({ user_id: userId })
      .where('expires_at', '>', Date.now())
      .orderBy('last_seen_at', 'desc')
      .select('id', 'created_at', 'last_seen_at', 'ip', 'user_agent');
    return rows.map((r) => ({ id: r.id, createdAt: Number(r.created_at), lastSeenAt: Number(r.last_seen_at), ip: r.ip, userAgent: r.user_agent }));
  }

  /** Ends one of the member's own sessions; false when it is not theirs or not there. */
  async destroyOwn(userId: number, id: string): Promise<boolean> {
    return Number(await this.db('sessions').where({ id, user_id: userId }).delete()) > 0;
  }

  async destroy(id: string): Promise<void> {
    await this.db('sessions').where({ id }).delete();
  }

  /** Ends every session of the member and closes their open sockets (in every process). */
  async destroyAllFor(userId: number): Promise<void> {
    await endAllSessions(this.db, this.pubsub, userId);
  }
}
