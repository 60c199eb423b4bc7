/**
 * Closing a member's open sockets when their access ends — a suspension (every network) or a
 * ban (one network) — in every process of the install (`ruche start --workers N`), through the
 * core pubsub: whoever ends the access calls `closeMemberSockets`, and each process's socket
 * server (core/realtime/sockets.ts) closes the member's sockets it holds. A closed client that
 * tries again meets the upgrade's gates, which refuse it.
 */
import type { WebSocket } from 'ws';
import type { PubSub } from './pubsub';

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
