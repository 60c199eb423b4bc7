/**
 * Closing a member's open sockets when their access ends — a suspension (every network) or a
 * ban (one network) — in every process of the install (`ruche start --workers N`), through the
 * core pubsub: whoever ends the access calls `closeMemberSockets`, and each process's socket
 * server (core/realtime/sockets.ts) closes the member's sockets it holds. A closed client that
 * tries again meets the upgrade's gates, which refuse it.
 */
import type { WebSocket } from 'ws';
import type { PubSub } from './pubsub';
import type { Users } from '../auth/users';
import type { Viewer } from '../auth/viewer';

const CHANNEL = 'core_member_sockets_closed';

/** The close code a socket gets when its member's access ended (4000-4999: the application's own). */
export const ACCESS_ENDED = 4403;

/**
 * Asks every process to close the sockets `userId` opened in `networkId` (null: in every
 * network). Call it once the change is committed.
 */
export async function closeMemberSockets(pubsub: Pick<PubSub, 'publish'>, userId: number, networkId: number | null): Promise<void> {
  await pubsub.publish(CHANNEL, JSON.stringify({ userId, networkId }));
}

/** The open sockets of one process, by member, closed on `closeMemberSockets`. */
export class MemberSockets {
  private readonly open = new Map<number, Set<{ ws: WebSocket; networkId: number }>>();

  /** Keeps the socket until it closes. */
  add(ws: WebSocket, userId: number, networkId: number): void {
    const entry = { ws, networkId };
    const set = this.open.get(userId) ?? new Set();
    set.add(entry);
    this.open.set(userId, set);
    ws.once('close', () => {
      set.delete(entry);
      if (!set.size && this.open.get(userId) === set) this.open.delete(userId);
    });
  }

  /** Listens for `closeMemberSockets` in every process; answers the function that stops listening. */
  listen(pubsub: Pick<PubSub, 'subscribe'>): Promise<() => void> {
    return pubsub.subscribe(CHANNEL, (payload) => {
      const { userId, networkId } = JSON.parse(payload) as { userId: number; networkId: number | null };
      for (const { ws, networkId: at } of this.open.get(userId) ?? [])
        if (networkId === null || at === networkId) ws.close(ACCESS_ENDED, 'access ended');
    });
  }
}

/** An open socket and the member it acts for: the viewer it connected with, kept current by `standingNow`. */
export interface MemberSocket {
  ws: WebSocket;
  viewer: Viewer;
}

/** Closes a socket whose member's access ended. */
export function endAccess(c: Pick<MemberSocket, 'ws'>): void {
  if (c.ws.readyState === c.ws.OPEN || c.ws.readyState === c.ws.CONNECTING) c.ws.close(ACCESS_ENDED, 'access ended');
}

/**
 * Who the sockets' members are now. A socket keeps the viewer it connected with, but roles,
 * status and a bot's groups change meanwhile — in this process, in another, or from the CLI,
 * where no message reaches this one — so before a socket is sent anything (or acts on its own
 * event) its member's standing is read again (`Users.standings`: a few short reads for all of
 * them). Answers the sockets whose member is still active, each viewer brought up to date; the
 * others (suspended, account gone) go to `ended`, which closes them (a new socket meets the
 * upgrade's gates).
 */
export async function standingNow<C extends MemberSocket>(
  users: Pick<Users, 'standings'>,
  clients: readonly C[],
  ended: (c: C) => void = endAccess,
): Promise<C[]> {
  if (!clients.length) return [];
  const now = await users.standings(clients.map((c) => c.viewer.id));
  const out: C[] = [];
  for (const c of clients) {
    const standing = now.get(c.viewer.id);
    if (standing?.status === 'active') {
      c.viewer = { ...c.viewer, ...standing };
      out.push(c);
    } else ended(c);
  }
  return out;
}
