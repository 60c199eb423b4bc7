/**
 * Who a socket's member is now. A socket keeps the viewer it connected with, but roles and
 * status change meanwhile — in this process, in another, or from the CLI, where no message
 * reaches this one — so before the hub sends anything (a round's messages, an edit or a hide,
 * an answer to the socket's own event) it reads its members' standing again from the database
 * (`rt.users.standings`: status, root rights, roles; two short reads for all of them). A
 * demoted moderator reads hidden messages as any member does from then on; a member suspended
 * (or whose account went) gets nothing more, and the socket is closed (a new one meets the
 * upgrade's gates) — after the refusal of its own last event. (A bot's groups stay those it
 * connected with: only its admin page changes them.)
 */
import { ACCESS_ENDED, type Runtime } from '../../core';
import type { Client } from './room';

/** Closes a socket whose member's access ended. */
export function endAccess(c: Client): void {
  if (c.ws.readyState === c.ws.OPEN || c.ws.readyState === c.ws.CONNECTING) c.ws.close(ACCESS_ENDED, 'access ended');
}

/** The sockets whose member is still active, each with their viewer as it is now; the others go to `ended` (closed). */
export async function standing(rt: Pick<Runtime, 'users'>, clients: readonly Client[], ended: (c: Client) => void = endAccess): Promise<Client[]> {
  if (!clients.length) return [];
  const now = await rt.users.standings(clients.map((c) => c.viewer.id));
  const out: Client[] = [];
  for (const c of clients) {
    const standing = now.get(c.viewer.id);
    if (standing?.status === 'active') {
      c.viewer = { ...c.viewer, ...standing };
      out.push(c);
    } else ended(c);
  }
  return out;
}
