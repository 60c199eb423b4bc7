/**
 * The live side of conversations, one hub per app. Sockets subscribe to conversations
 * with the last `seq` they have seen; the hub listens to the messages channel (in this
 * process or, on PostgreSQL, from every process) and, per conversation, runs one flush at
 * a time: it re-reads who is in the conversation *now* (sockets of members who are no
 * longer in it get `removed` and nothing else), reads the stored messages after the
 * lowest `seq` its sockets have, and sends each socket exactly those after its own.
 * Notifications only say "look": nothing is lost when one is dropped, nothing is sent
 * twice, and a socket that reconnects with its last `seq` gets what it missed.
 */
import type { WebSocket } from 'ws';
import type { Runtime, Viewer } from '../../core';
import { membersAmong, type ConversationRow } from '../messages/audience';
import { CHANNEL, changePayload, parseChange, type ChangeKind } from '../messages/hooks';
import { MessagesService } from '../messages/service';
import { authors, messageView, type Author } from '../messages/view';

export interface Client {
  ws: WebSocket;
  viewer: Viewer;
  networkId: number;
  locale: string;
  /** Conversation id → last seq sent to this socket. */
  subs: Map<number, number>;
  typingAt: number;
  state: 'online' | 'away';
}

interface Room {
  clients: Set<Client>;
  conversation: ConversationRow | null;
  running: boolean;
  dirty: boolean;
}

const BATCH = 200;
export const MAX_SUBSCRIPTIONS = 200;

export class ChatHub {
  private readonly rooms = new Map<number, Room>();
  private subscribed: Promise<() => void> | null = null;
  constructor(private readonly rt: Runtime) {}

  get service(): MessagesService {
    return this.rt.container.resolve(MessagesService);
  }

  /** Listens to the messages channel (once); resolves when listening. */
  listen(): Promise<unknown> {
    return (this.subscribed ??= this.rt.pubsub.subscribe(CHANNEL, (payload) => this.onChange(payload)));
  }

  send(client: Client, event: Record<string, unknown>): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(event));
  }

  /** Subscribes a socket (the caller checked membership) and sends what it missed. */
  async subscribe(client: Client, conversation: ConversationRow, after: number): Promise<void> {
    await this.listen();
    let room = this.rooms.get(conversation.id);
    if (!room) this.rooms.set(conversation.id, (room = { clients: new Set(), conversation, running: false, dirty: false }));
    client.subs.set(conversation.id, Math.max(0, after));
    room.clients.add(client);
    this.send(client, { type: 'subscribed', conversation: conversation.id, lastSeq: conversation.last_seq });
    await this.flush(conversation.id);
    await this.broadcast(conversation.id, 'o', client.viewer.id);
  }

  unsubscribe(client: Client, conversationId: number): void {
    client.subs.delete(conversationId);
    const room = this.rooms.get(conversationId);
    if (!room) return;
    room.clients.delete(client);
    if (!room.clients.size && !room.running) this.rooms.delete(conversationId);
  }

  /** A socket closed: forget it; others see the member offline when no socket of theirs is left here. */
  drop(client: Client): void {
    for (const id of [...client.subs.keys()]) {
      this.unsubscribe(client, id);
      const room = this.rooms.get(id);
      const still = room && [...room.clients].some((c) => c.viewer.id === client.viewer.id);
      if (!still) void this.broadcast(id, 'x', client.viewer.id);
    }
  }

  /** Publishes an ephemeral event (typing, presence) to every process. */
  async broadcast(conversationId: number, kind: ChangeKind, userId: number): Promise<void> {
    await this.rt.pubsub.publish(CHANNEL, changePayload(kind, conversationId, userId)).catch((e) => this.rt.logger.warn({ err: e }, 'chat: publish failed'));
  }

  private onChange(payload: string): void {
    const change = parseChange(payload);
    if (!change || !this.rooms.has(change.conversationId)) return;
    const run = change.kind === 'm' || change.kind === 'a' ? this.flush(change.conversationId) : this.relay(change.kind, change.conversationId, change.n);
    run.catch((e) => this.rt.logger.error({ err: e, payload }, 'chat: delivery failed'));
  }

  /** The room's clients whose member is in the conversation now; the others are told and dropped. */
  private async audience(id: number, room: Room): Promise<Client[]> {
    const conversation = room.conversation ?? (room.conversation = await this.service.find(id));
    const clients = [...room.clients];
    const allowed = conversation ? await membersAmong(this.rt.db, conversation, [...new Set(clients.map((c) => c.viewer.id))]) : new Set<number>();
    const out: Client[] = [];
    for (const c of clients) {
      if (allowed.has(c.viewer.id)) out.push(c);
      else {
        this.unsubscribe(c, id);
        this.send(c, { type: 'removed', conversation: id });
      }
    }
    return out;
  }

  /** Sends stored messages each socket has not had yet (one flush per conversation at a time). */
  async flush(id: number): Promise<void> {
    const room = this.rooms.get(id);
    if (!room) return;
    if (room.running) {
      room.dirty = true;
      return;
    }
    room.running = true;
    try {
      do {
        room.dirty = false;
        const clients = await this.audience(id, room);
        if (!clients.length) break;
        const from = Math.min(...clients.map((c) => c.subs.get(id) ?? 0));
        const rows = await this.service.messages(id, { after: from, limit: BATCH });
        if (!rows.length) continue;
        if (rows.length === BATCH) room.dirty = true;
        const who = await this.authors(rows.map((r) => r.author_id));
        const events = rows.map((m) => ({ seq: m.seq, text: JSON.stringify({ type: 'message', conversation: id, message: messageView(m, who.get(m.author_id), 0) }) }));
        for (const c of clients) {
          const last = c.subs.get(id);
          if (last === undefined) continue;
          let sent = last;
          for (const e of events) {
            if (e.seq <= sent) continue;
            if (c.ws.readyState === c.ws.OPEN) c.ws.send(e.text);
            sent = e.seq;
          }
          c.subs.set(id, sent);
        }
      } while (room.dirty);
    } finally {
      room.running = false;
      if (!room.clients.size) this.rooms.delete(id);
    }
  }

  /** Display names, cached for a minute (they rarely change; the messages themselves are always read). */
  private readonly names = new Map<number, { author: Author; at: number }>();
  private async authors(ids: number[]): Promise<Map<number, Author>> {
    const now = Date.now();
    const out = new Map<number, Author>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const hit = this.names.get(id);
      if (hit && now - hit.at < 60_000) out.set(id, hit.author);
      else missing.push(id);
    }
    if (missing.length) {
      if (this.names.size > 50_000) this.names.clear();
      for (const [id, a] of await authors(this.rt.db, missing)) {
        this.names.set(id, { author: a, at: now });
        out.set(id, a);
      }
    }
    return out;
  }

  /** Edits, deletions, typing, presence, read state: re-checked against the audience, not stored per socket. */
  private async relay(kind: ChangeKind, id: number, n: number): Promise<void> {
    const room = this.rooms.get(id);
    if (!room) return;
    const clients = await this.audience(id, room);
    if (kind === 'e') {
      const m = await this.service.message(n);
      if (!m || m.conversation_id !== id) return;
      const who = await authors(this.rt.db, [m.author_id]);
      const text = JSON.stringify({ type: 'edit', conversation: id, message: messageView(m, who.get(m.author_id), 0) });
      for (const c of clients) if ((c.subs.get(id) ?? 0) >= m.seq && c.ws.readyState === c.ws.OPEN) c.ws.send(text);
      return;
    }
    if (kind === 'r') {
      const row = await this.rt.db('conversation_members').where({ conversation_id: id, user_id: n }).first('last_read_seq');
      for (const c of clients) if (c.viewer.id === n) this.send(c, { type: 'read', conversation: id, seq: Number(row?.last_read_seq ?? 0) });
      return;
    }
    const name = (await this.rt.db('users').where({ id: n }).first('display_name'))?.display_name ?? '';
    const event = kind === 't' ? { type: 'typing', conversation: id, user: n, name } : { type: 'presence', conversation: id, user: n, name, state: kind === 'o' ? 'online' : kind === 'w' ? 'away' : 'offline' };
    for (const c of clients) if (c.viewer.id !== n) this.send(c, event);
  }
}
