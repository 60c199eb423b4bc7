/**
 * The live side of conversations, one hub per app. Sockets subscribe to conversations
 * with the last `seq` they have seen; the hub listens to the messages channel (in this
 * process or, on PostgreSQL, from every process) and flushes the conversations with news,
 * one round at a time over all of them: it re-reads who is in each conversation *now* (one
 * query per kind of conversation for the whole round; sockets of members who are no longer
 * in it get `removed` and nothing else), then sends each socket exactly the stored messages
 * after its own last `seq`. Messages this process has just stored come from a small
 * per-conversation window (rows handed over by the service after commit, rendered once);
 * anything the window does not cover contiguously (another process's messages, a resume
 * from further back) is read from the database. Notifications only say "look": nothing is
 * lost when one is dropped, nothing is sent twice, and a socket that reconnects with its
 * last `seq` gets what it missed.
 */
import { pieceReader, standingNow, type PieceReader, type Runtime } from '../../core';
import { membersOf, MessagesService, type Author, type ConversationRow, type MessageRow } from '../messages/api';
import { CHANNEL, changePayload, herePayloads, parseChange, parseHere, type ChangeKind } from '../messages/hooks';
import { AuthorNames, frameFor, frameOf, type Frame } from './frames';
import { localStates, RoomSignals, type Signal } from './presence';
import { forgetBefore, keepRecent, windowOf, WINDOW, type Client, type Room } from './room';
import { PresenceBook, type HereState } from './presence-book';
import { Rounds } from './rounds';

const BATCH = 200;
/** What a conversation has for the next round: whether to read its messages from the database, and typing / presence. */
interface News {
  read: boolean;
  signals: RoomSignals;
}
export const MAX_SUBSCRIPTIONS = 200;
/** How long answers to "someone came online elsewhere" are gathered before they go out. */
const ANSWER_DELAY_MS = 250;

export type { Client } from './room';

export class ChatHub {
  private readonly rooms = new Map<number, Room>();
  private subscribed: Promise<() => void> | null = null;
  /** Who has a chat open in any process (the chat's list shows it). */
  readonly book: PresenceBook;
  /** This process's sockets, by member. */
  private readonly sockets = new Map<number, Set<Client>>();
  /** The authors' names behind the frames, cached. */
  private readonly names: AuthorNames;
  /** Conversations with news, handled one round at a time (rounds.ts). */
  private readonly rounds: Rounds<News>;
  /** Only the services it uses. */
  constructor(private readonly rt: Pick<Runtime, 'access' | 'container' | 'containers' | 'db' | 'logger' | 'pubsub' | 'users'>) {
    this.book = new PresenceBook(rt);
    this.names = new AuthorNames(rt.users);
    this.rounds = new Rounds<News>({
      fresh: () => ({ read: false, signals: new RoomSignals() }),
      round: (batch) => this.round(batch),
      ran: (ids) => {
        for (const id of ids) {
          const room = this.rooms.get(id);
          if (room && !room.clients.size && !this.rounds.has(id)) this.rooms.delete(id);
        }
      },
      failed: (e) => this.rt.logger.error({ err: e }, 'chat: delivery failed'),
    });
  }

  get service(): MessagesService {
    return this.rt.container.resolve(MessagesService);
  }

  /** Listens to the messages channel (once); resolves when listening. */
  listen(): Promise<unknown> {
    if (!this.subscribed) this.service.storedListeners.add((m) => this.onStored(m));
    return (this.subscribed ??= this.rt.pubsub.subscribe(CHANNEL, (payload) => this.onChange(payload)));
  }

  /** A message this process stored (committed, not yet published): kept for the flush. */
  private onStored(m: MessageRow): void {
    const room = this.rooms.get(m.conversation_id);
    if (!room) return;
    keepRecent(room, m);
    if (room.recent.size > WINDOW) forgetBefore(room, room.latest - WINDOW);
  }

  send(client: Client, event: Record<string, unknown>): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(event));
  }

  /** Subscribes a socket (the caller checked membership) and sends what it missed. */
  async subscribe(client: Client, conversation: ConversationRow, after: number): Promise<void> {
    await this.listen();
    let room = this.rooms.get(conversation.id);
    if (!room) this.rooms.set(conversation.id, (room = { clients: new Set(), conversation, latest: 0, recent: new Map() }));
    client.subs.set(conversation.id, Math.max(0, after));
    room.clients.add(client);
    // The member's name and photo, cached: their messages and presence need no further lookup.
    await this.names.of([client.viewer.id]);
    // Once `subscribed` arrives, every process's chat list shows this member here.
    await this.book.settled();
    this.send(client, { type: 'subscribed', conversation: conversation.id, lastSeq: conversation.last_seq });
    await this.flush(conversation.id, true);
    await this.broadcast(conversation.id, 'o', client.viewer.id);
  }

  /**
   * Who among `userIds` has a chat open, online or away (online when any of their sockets
   * is), in any process: this one's sockets as they are, the others' from the presence book.
   */
  async presenceOf(userIds: number[]): Promise<Map<number, HereState>> {
    const here = new Map<number, HereState>();
    const rest: number[] = [];
    for (const id of new Set(userIds)) {
      const state = this.stateHere(id);
      if (state) here.set(id, state);
      // Away here may be online elsewhere (another tab, another process).
      if (state !== 'online') rest.push(id);
    }
    for (const [id, state] of await this.book.elsewhere(rest)) if (state === 'online' || !here.has(id)) here.set(id, state);
    return here;
  }

  private stateHere(userId: number): HereState | null {
    return localStates(this.sockets.get(userId) ?? []).get(userId) ?? null;
  }

  /** A socket opened: its member is here (written to the presence book). */
  connect(client: Client): Promise<void> {
    const id = client.viewer.id;
    let mine = this.sockets.get(id);
    if (!mine) this.sockets.set(id, (mine = new Set()));
    mine.add(client);
    return this.book.set(id, this.stateHere(id));
  }

  /** A socket went away or came back (its tab hidden or shown): the book and the conversations it is in hear it. */
  async setState(client: Client, state: HereState): Promise<void> {
    if (state === client.state) return;
    client.state = state;
    await this.book.set(client.viewer.id, this.stateHere(client.viewer.id));
    for (const id of client.subs.keys()) await this.broadcast(id, state === 'away' ? 'w' : 'o', client.viewer.id);
  }

  unsubscribe(client: Client, conversationId: number): void {
    client.subs.delete(conversationId);
    const room = this.rooms.get(conversationId);
    if (!room) return;
    room.clients.delete(client);
    if (!room.clients.size && !this.rounds.has(conversationId)) this.rooms.delete(conversationId);
  }

  /**
   * A socket closed: forget it; others see the member offline when no socket of theirs is
   * left here (told once the presence book has it, so the chat lists agree by then).
   */
  async drop(client: Client): Promise<void> {
    const id = client.viewer.id;
    const mine = this.sockets.get(id);
    // Once per socket: the app's closing may have dropped it before its own close event.
    if (!mine?.delete(client)) return;
    if (!mine.size) this.sockets.delete(id);
    const gone: number[] = [];
    for (const conversation of [...client.subs.keys()]) {
      this.unsubscribe(client, conversation);
      const room = this.rooms.get(conversation);
      if (!room || ![...room.clients].some((c) => c.viewer.id === id)) gone.push(conversation);
    }
    await this.book.set(id, this.stateHere(id));
    for (const conversation of gone) await this.broadcast(conversation, 'x', id);
  }

  private closing = false;

  /**
   * The app is closing (`app:closing`, before its database): the sockets still here are cut and
   * dropped (presence written, others told), no round starts any more and the running one ends,
   * answers not yet sent are dropped, and the presence book's writes are done. Nothing of the
   * chat touches the database after this resolves.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.answering) clearTimeout(this.answering);
    this.answering = null;
    const clients = [...this.sockets.values()].flatMap((mine) => [...mine]);
    for (const c of clients) c.ws.terminate();
    await Promise.all(clients.map((c) => this.drop(c)));
    await this.rounds.idle();
    await this.book.settled();
  }

  /** Publishes an ephemeral event (typing, presence) to every process. */
  async broadcast(conversationId: number, kind: ChangeKind, userId: number): Promise<void> {
    await this.rt.pubsub
      .publish(CHANNEL, changePayload(kind, conversationId, userId))
      .catch((e) => this.rt.logger.warn({ err: e }, 'chat: publish failed'));
  }

  private onChange(payload: string): void {
    const here = payload.startsWith('h:') ? parseHere(payload) : null;
    if (here) {
      this.enqueue(here.conversationId, (news) => news.signals.addRemote(here.states)).catch((e) =>
        this.rt.logger.error({ err: e, payload }, 'chat: delivery failed'),
      );
      return;
    }
    const change = parseChange(payload);
    if (!change || !this.rooms.has(change.conversationId)) return;
    const room = this.rooms.get(change.conversationId)!;
    if (change.kind === 'm') room.latest = Math.max(room.latest, change.n);
    // An edit or deletion changes stored rows: the window is read again.
    if (change.kind === 'e') room.recent.clear();
    const run =
      change.kind === 'm' || change.kind === 'a'
        ? this.flush(change.conversationId)
        : change.kind === 'e' || change.kind === 'r'
          ? this.relay(change.kind, change.conversationId, change.n)
          : this.signal(change.conversationId, change.kind, change.n);
    run.catch((e) => this.rt.logger.error({ err: e, payload }, 'chat: delivery failed'));
  }

  /** The room's clients whose member is in the conversation now; the others are told and dropped. */
  private async audience(id: number, _room: Room): Promise<Client[]> {
    return (await this.audiences([id]))[0]?.clients ?? [];
  }

  /** For each conversation with a room here: its clients whose member is in it now (the others are told and dropped). */
  private async audiences(ids: number[]): Promise<{ id: number; room: Room; clients: Client[] }[]> {
    const rooms: { id: number; room: Room; clients: Client[] }[] = [];
    for (const id of ids) {
      const room = this.rooms.get(id);
      if (!room || !room.clients.size) continue;
      room.conversation ??= await this.service.find(id);
      rooms.push({ id, room, clients: [] });
    }
    // The sockets as they are now: those that subscribe meanwhile are checked by their own flush.
    for (const r of rooms) r.clients = [...r.room.clients];
    // Their members as they are now (core standingNow): a role or status changed anywhere counts from this round.
    const active = new Set(await standingNow(this.rt.users, [...new Set(rooms.flatMap((r) => r.clients))]));
    for (const r of rooms) r.clients = r.clients.filter((c) => active.has(c));
    const known = rooms.filter((r) => r.room.conversation).map((r) => r.room.conversation!);
    const allowed = await membersOf(
      this.rt,
      known,
      rooms.flatMap((r) => r.clients.map((c) => c.viewer.id)),
    );
    return rooms.map(({ id, room, clients }) => {
      const ok = allowed.get(id) ?? new Set<number>();
      const out: Client[] = [];
      for (const c of clients) {
        if (!c.subs.has(id)) continue;
        if (ok.has(c.viewer.id)) out.push(c);
        else {
          this.unsubscribe(c, id);
          this.send(c, { type: 'removed', conversation: id });
        }
      }
      return { id, room, clients: out };
    });
  }

  /**
   * Sends stored messages each socket has not had yet. Flushes run one round at a time
   * over every conversation with news (so a busy server checks membership once per round,
   * not once per message or per signal); resolves when a round including this
   * conversation has run.
   */
  flush(id: number, read = false): Promise<void> {
    return this.enqueue(id, (news) => (news.read ||= read));
  }

  /**
   * Typing and presence: relayed in the next round with the messages (a thousand members
   * connecting at once cost one membership check per round, not one each).
   */
  private signal(id: number, kind: Signal, userId: number): Promise<void> {
    return this.enqueue(id, (news) => news.signals.add(kind, userId));
  }

  private enqueue(id: number, add: (news: News) => void): Promise<void> {
    if (this.closing || !this.rooms.has(id)) return Promise.resolve();
    return this.rounds.add(id, add);
  }

  private async round(batch: Map<number, News>): Promise<void> {
    const live = (await this.audiences([...batch.keys()])).filter((a) => a.clients.length);
    const signalling = live.filter((a) => batch.get(a.id)!.signals.size);
    const names = signalling.length
      ? await this.names.of(signalling.flatMap((a) => batch.get(a.id)!.signals.users(a.clients)))
      : new Map<number, Author>();
    // Each room's messages come from the window of what this process just stored or, where
    // it does not hold them all, from the database: those read together, one statement.
    const plans = live.map((a) => {
      const from = this.lowest(a.id, a.clients);
      return { ...a, from, cached: batch.get(a.id)!.read ? null : windowOf(a.room, from) };
    });
    const reads = plans.filter((p) => !p.cached);
    const read = reads.length
      ? await this.service.messagesAfter(
          reads.map((p) => ({ conversationId: p.id, after: p.from })),
          BATCH,
        )
      : new Map<number, MessageRow[]>();
    for (const { id, room, clients, from, cached } of plans) {
      await this.deliver(id, room, clients, from, cached ?? this.remember(id, room, read.get(id) ?? []));
      if (batch.get(id)!.signals.deliver(id, clients, names)) this.answer(id, localStates(clients));
    }
  }

  /**
   * Tells the other processes who is connected here (taken from the sockets this round
   * allowed). Answers wait a quarter of a second and go out together, the latest per room:
   * a thousand members arriving on another process cost a few answers per room, not one
   * per round, and the rounds never wait for them.
   */
  private answer(id: number, states: Map<number, 'online' | 'away'>): void {
    this.answers.set(id, states);
    this.answering ??= setTimeout(() => {
      this.answering = null;
      const due = [...this.answers].flatMap(([room, here]) => herePayloads(room, here));
      this.answers.clear();
      for (const payload of due) this.rt.pubsub.publish(CHANNEL, payload).catch((e) => this.rt.logger.warn({ err: e }, 'chat: publish failed'));
    }, ANSWER_DELAY_MS).unref();
  }

  private readonly answers = new Map<number, Map<number, 'online' | 'away'>>();
  private answering: NodeJS.Timeout | null = null;

  /** The lowest seq the room's sockets have had. */
  private lowest(id: number, clients: Client[]): number {
    return Math.min(...clients.map((c) => c.subs.get(id) ?? 0));
  }

  /** Rows read from the database, kept in the room's window; a full page asks for another round. */
  private remember(id: number, room: Room, rows: MessageRow[]): MessageRow[] {
    if (rows.length === BATCH) this.flush(id, true).catch(() => undefined);
    for (const r of rows) {
      keepRecent(room, r);
    }
    return rows;
  }

  /**
   * Sends each socket of the room the stored messages after its own last seq (`rows`: all
   * those after `from`). A socket that went back before `from` meanwhile (it subscribed
   * again) is left to a round that reads.
   */
  private async deliver(id: number, room: Room, clients: Client[], from: number, rows: MessageRow[]): Promise<void> {
    const events = await this.render(id, room, rows);
    if (events.length) {
      for (const c of clients) {
        const last = c.subs.get(id);
        if (last === undefined) continue;
        if (last < from) {
          void this.flush(id, true).catch(() => undefined);
          continue;
        }
        let sent = last;
        for (const e of events) {
          if (e.seq <= sent) continue;
          if (c.ws.readyState === c.ws.OPEN) c.ws.send(frameFor(e, this.readerOf(c, room)));
          sent = e.seq;
        }
        c.subs.set(id, sent);
      }
    }
    forgetBefore(room, Math.min(room.latest - WINDOW, from));
  }

  /** How a socket's member reads the room's messages: the author of their own, a moderator of its network (frames.ts). */
  private readerOf(c: Client, room: Room): PieceReader {
    return pieceReader(this.rt, c.viewer, room.conversation?.network_id ?? c.networkId);
  }

  /** Each message's frames (frames.ts), rendered once per conversation. */
  private async render(id: number, room: Room, rows: MessageRow[]): Promise<Frame[]> {
    const todo = rows.filter((r) => room.recent.get(r.seq)?.row !== r || !room.recent.get(r.seq)!.frame);
    const who = todo.length ? await this.names.of(todo.map((r) => r.author_id)) : new Map<number, Author>();
    return rows.map((m) => {
      const hit = room.recent.get(m.seq);
      if (hit && hit.row === m && hit.frame) return hit.frame;
      const frame = frameOf('message', id, m, who.get(m.author_id));
      if (hit && hit.row === m) hit.frame = frame;
      return frame;
    });
  }

  /** Edits, deletions and read state: re-checked against the audience, not stored per socket. */
  private async relay(kind: 'e' | 'r', id: number, n: number): Promise<void> {
    const room = this.rooms.get(id);
    if (!room) return;
    const clients = await this.audience(id, room);
    if (kind === 'e') {
      const m = await this.service.message(n);
      if (!m || m.conversation_id !== id) return;
      const frame = frameOf('edit', id, m, (await this.names.of([m.author_id])).get(m.author_id));
      for (const c of clients)
        if ((c.subs.get(id) ?? 0) >= m.seq && c.ws.readyState === c.ws.OPEN) c.ws.send(frameFor(frame, this.readerOf(c, room)));
      return;
    }
    const row = await this.rt.db('conversation_members').where({ conversation_id: id, user_id: n }).first('last_read_seq');
    for (const c of clients) if (c.viewer.id === n) this.send(c, { type: 'read', conversation: id, seq: Number(row?.last_read_seq ?? 0) });
  }
}
