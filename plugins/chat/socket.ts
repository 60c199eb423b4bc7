/**
 * `/chat/socket`: the WebSocket of the chat. Declared in the manifest (`sockets`), so the core
 * has already run every gate a page goes through (host, network, session, suspension,
 * usage charter, outsiders) and checked that the plugin is enabled in the network and the
 * member holds `chat.use` before the upgrade. Client → server events are small JSON objects:
 *   {type:'sub', conversation, after}  {type:'unsub', conversation}  {type:'history', conversation, before, ref}
 *   {type:'send', conversation, body, ref}  {type:'edit', id, body, ref}  {type:'delete', id, ref}
 *   {type:'source', id, ref} (one's own message as written, for the inline editor)
 *   {type:'typing', conversation}  {type:'read', conversation, seq}  {type:'presence', state}
 * Refusals come back as {type:'error', code, message, ref} (message localised).
 */
import type { WebSocket } from 'ws';
import { endAccess, HttpError, pieceReader, standingNow, type SocketDef, type SocketRequest, type Runtime } from '../../core';

import { messageViews, PAGE } from '../messages/api';
import { ChatHub, MAX_SUBSCRIPTIONS, type Client } from './hub';

export const USE = 'chat.use';
const TYPING_EVERY_MS = 2_000;

const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : -1);

/** The manifest's socket: the core's target gate checks `chat.use` as for a route. */
export const chatSocket: SocketDef = {
  path: '/chat/socket',
  capability: USE,
  handler: (ws, req, rt) => serve(ws, req, rt, rt.container.resolve(ChatHub)),
};

function serve(ws: WebSocket, req: SocketRequest, rt: Runtime, hub: ChatHub): void {
  const client: Client = { ws, viewer: req.viewer, networkId: req.network.id, locale: req.locale, subs: new Map(), typingAt: 0, state: 'online' };
  const fail = (code: string, key: string, ref: unknown, params: Record<string, unknown> = {}): void =>
    hub.send(client, { type: 'error', code, message: rt.i18n.t(client.locale, key, params), ref: ref ?? null });
  // Events of one socket are handled in order; the app's closing waits for them (`rt.background`).
  let queue: Promise<void> = Promise.resolve();
  ws.on('message', (data) => {
    queue = rt.background.track(
      queue
        .then(() => handle(String(data)))
        .catch((e) => {
          if (e instanceof HttpError && e.status < 500) {
            const code = e.status === 429 ? 'rate_limited' : e.status === 404 ? 'not_found' : e.status === 403 ? 'forbidden' : 'invalid';
            return fail(code, e.messageKey ?? 'chat.error.invalid', refOf(data), e.params ?? {});
          }
          rt.logger.error({ err: e }, 'chat: socket event failed');
          fail('server', 'chat.error.server', refOf(data));
        }),
    );
  });
  void rt.background.track(hub.connect(client));
  // Dropped after the events it sent (a `sub` still running would subscribe it again).
  ws.on('close', () => void rt.background.track(queue.then(() => hub.drop(client))));
  ws.on('error', () => ws.terminate());

  async function handle(raw: string): Promise<void> {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail('invalid', 'chat.error.invalid', null);
    }
    if (!e || typeof e !== 'object') return fail('invalid', 'chat.error.invalid', null);
    // The member as they are now (core standingNow): demoted, they read as a member; suspended, refused and closed.
    if (!(await standingNow(rt.users, [client], () => undefined)).length) {
      fail('not_found', 'core.error.404.message', e.ref);
      return endAccess(client);
    }
    const conversationId = num(e.conversation);
    switch (e.type) {
      case 'sub': {
        if (client.subs.size >= MAX_SUBSCRIPTIONS) return fail('invalid', 'chat.error.tooMany', e.ref, { max: MAX_SUBSCRIPTIONS });
        const c = await hub.service.conversation(client.viewer, conversationId);
        return hub.subscribe(client, c, Math.max(0, num(e.after)));
      }
      case 'history': {
        // Earlier messages, newest `PAGE` before `before` (keyset on seq), for scrolling back in place.
        const c = await hub.service.conversation(client.viewer, conversationId);
        const before = num(e.before);
        const rows = await hub.service.messages(c.id, { before: before > 0 ? before : undefined, limit: PAGE });
        const messages = await messageViews(rt.users, rows, pieceReader(rt, client.viewer, c.network_id));
        return hub.send(client, {
          type: 'history',
          conversation: c.id,
          ref: e.ref ?? null,
          messages,
          more: rows.length === PAGE && rows[0].seq > 1,
        });
      }
      case 'unsub':
        return hub.unsubscribe(client, conversationId);
      case 'send': {
        const seq = await hub.service.send(client.viewer, client.networkId, conversationId, String(e.body ?? ''));
        return hub.send(client, { type: 'ack', ref: e.ref ?? null, conversation: conversationId, seq });
      }
      case 'edit':
      case 'delete': {
        const m =
          e.type === 'edit'
            ? await hub.service.edit(client.viewer, num(e.id), String(e.body ?? ''))
            : await hub.service.remove(client.viewer, num(e.id));
        return hub.send(client, { type: 'ack', ref: e.ref ?? null, conversation: m.conversation_id, id: m.id });
      }
      case 'source': {
        // Only one's own message, in a conversation one is still in; others answer as missing.
        const m = await hub.service.message(num(e.id));
        if (!m || m.author_id !== client.viewer.id || m.deleted_at) throw new HttpError(404);
        await hub.service.conversation(client.viewer, m.conversation_id);
        return hub.send(client, { type: 'source', ref: e.ref ?? null, id: m.id, body: m.body });
      }
      case 'typing': {
        if (!client.subs.has(conversationId) || Date.now() - client.typingAt < TYPING_EVERY_MS) return;
        client.typingAt = Date.now();
        return hub.broadcast(conversationId, 't', client.viewer.id);
      }
      case 'read': {
        const c = await hub.service.conversation(client.viewer, conversationId);
        return hub.service.markRead(client.viewer.id, c, Math.max(0, num(e.seq)));
      }
      case 'presence':
        return hub.setState(client, e.state === 'away' ? 'away' : 'online');
      default:
        return fail('invalid', 'chat.error.invalid', e.ref);
    }
  }
}

function refOf(data: unknown): unknown {
  try {
    return (JSON.parse(String(data)) as { ref?: unknown }).ref ?? null;
  } catch {
    return null;
  }
}
