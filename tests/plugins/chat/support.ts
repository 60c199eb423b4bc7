// Helpers for the chat tests: a real server on loopback and WebSocket clients that
// collect events and wait for them (bounded in time).
import WebSocket from 'ws';
import { listen, type RunningServer } from '../../../core';
import { msgApp, type MsgApp } from '../messages/support';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';

export interface ChatEvent {
  type: string;
  conversation?: number;
  message?: { seq: number; id: number; authorId: number; html: string; deleted: boolean };
  [k: string]: unknown;
}

export class Client {
  readonly events: ChatEvent[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  /** The code the socket was closed with, once it is. */
  closeCode: number | null = null;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.events.push(JSON.parse(String(d)) as ChatEvent);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', (code: number) => {
      this.closed = true;
      this.closeCode = code;
      for (const w of this.waiters.splice(0)) w();
    });
  }
  send(e: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(e));
  }
  /**
   * Waits until `count` events match (woken by each event, so it returns as soon as they
   * are there), or fails after `ms`: generous, since a loaded machine is slow, not wrong.
   */
  async waitFor(pred: (e: ChatEvent) => boolean, count = 1, ms = 60_000): Promise<ChatEvent[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.filter(pred);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} events; got ${JSON.stringify(this.events).slice(0, 500)}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.max(10, deadline - Date.now()));
        this.waiters.push(() => (clearTimeout(timer), r()));
      });
    }
  }
  /**
   * Waits for the first event matching `pred`, or for the socket to close (then null), bounded
   * as `waitFor`: for a refusal that comes either as an error event or as the socket closed.
   */
  async eventOrClose(pred: (e: ChatEvent) => boolean, ms = 60_000): Promise<ChatEvent | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (this.closed) return null;
      if (Date.now() > deadline) throw new Error(`timed out waiting for an event or the close; got ${JSON.stringify(this.events).slice(0, 500)}`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.max(10, deadline - Date.now()));
        this.waiters.push(() => (clearTimeout(timer), r()));
      });
    }
  }
  /** The last presence state this socket was told for `user` (undefined: never mentioned). */
  presence(user: number): string | undefined {
    return this.events
      .filter((e) => e.type === 'presence')
      .flatMap((e) => e.members as { user: number; state: string }[])
      .filter((m) => m.user === user)
      .pop()?.state;
  }
  messages(conversation: number): number[] {
    return this.events.filter((e) => e.type === 'message' && e.conversation === conversation).map((e) => e.message!.seq);
  }
  close(): void {
    this.ws.close();
  }
}

/** Opens a socket; resolves with the client, or rejects with the refused HTTP status. */
export function connect(url: string, cookie: string | null, origin: string | null = url, path = '/chat/socket'): Promise<Client> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (origin) headers.origin = origin;
    const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers });
    const client = new Client(ws);
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

export interface ChatServer extends MsgApp {
  server: RunningServer;
  url: string;
  client(userId: number): Promise<Client>;
}

/** A real server on loopback; `restart: true` serves an already installed database again. */
export async function chatServer(db: TestDatabase, options: { restart?: boolean } = {}): Promise<ChatServer> {
  const app = await msgApp(db, options.restart ? { install: false } : {});
  const server = await listen(app.app, 0, '127.0.0.1');
  const clients: Client[] = [];
  return {
    ...app,
    server,
    url: server.url,
    async client(userId) {
      const c = await connect(server.url, await app.cookie(userId));
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await server.stop();
    },
  };
}

/** One test per database with a fresh `chatServer`, closed afterwards. */
export const eachChatServer = eachAppOf(chatServer);
