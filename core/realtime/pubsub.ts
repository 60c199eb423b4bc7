/**
 * Publish/subscribe between the processes of one install. Payloads are small strings
 * (ids, never content): receivers read the rows from the database, so a dropped
 * notification loses nothing (clients resume from their last seen id).
 *
 *  - `MemoryPubSub`: in this process only (the default on SQLite with one process).
 *  - `ClusterPubSub` (cluster-pubsub.ts): between the workers of `ruche start --workers N`
 *    through the cluster's IPC channel (SQLite).
 *  - `PostgresPubSub`: LISTEN/NOTIFY on a dedicated connection, so every `ruche start`
 *    process on the same PostgreSQL database hears every other's publications.
 */
import pg from 'pg';
import type { Logger } from '../logger';

export type PubSubHandler = (payload: string) => void;

export interface PubSub {
  /** Delivers `payload` to every subscriber of `channel`, in every process. */
  publish(channel: string, payload: string): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(channel: string, handler: PubSubHandler): Promise<() => void>;
  close(): Promise<void>;
}

/** Channels are plain identifiers (they become PostgreSQL channel names). */
export function checkChannel(channel: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid pubsub channel "${channel}"`);
  return channel;
}

/** Handlers per channel; shared by both implementations. */
export class Subscribers {
  private readonly map = new Map<string, Set<PubSubHandler>>();
  add(channel: string, handler: PubSubHandler): { first: boolean; remove: () => boolean } {
    let set = this.map.get(channel);
    const first = !set;
    if (!set) this.map.set(channel, (set = new Set()));
    set.add(handler);
    return {
      first,
      remove: () => {
        set!.delete(handler);
        if (set!.size === 0 && this.map.get(channel) === set) {
          this.map.delete(channel);
          return true;
        }
        return false;
      },
    };
  }
  dispatch(channel: string, payload: string, logger?: Logger): void {
    for (const h of [...(this.map.get(channel) ?? [])]) {
      try {
        h(payload);
      } catch (e) {
        logger?.error({ err: e, channel }, 'pubsub handler failed');
      }
    }
  }
  clear(): void {
    this.map.clear();
  }
}

export class MemoryPubSub implements PubSub {
  private readonly subs = new Subscribers();
  constructor(private readonly logger?: Logger) {}

  async publish(channel: string, payload: string): Promise<void> {
    checkChannel(channel);
    // Asynchronous like the PostgreSQL one: a publisher never runs subscribers inline.
    queueMicrotask(() => this.subs.dispatch(channel, payload, this.logger));
  }

  async subscribe(channel: string, handler: PubSubHandler): Promise<() => void> {
    const { remove } = this.subs.add(checkChannel(channel), handler);
    return () => void remove();
  }

  async close(): Promise<void> {
    this.subs.clear();
  }
}

/** NOTIFY payloads must stay under 8000 bytes; ours are ids. */
const MAX_PAYLOAD = 7_900;

export class PostgresPubSub implements PubSub {
  private readonly subs = new Subscribers();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  private readonly channels = new Set<string>();

  /**
   * `publishVia(channel, payloads)` notifies them in order, in one statement. Publications
   * made while one is on its way go together in the next (one statement for many under
   * load, none added when idle); each publish resolves once its own is sent.
   */
  constructor(
    private readonly url: string,
    private readonly publishVia: (channel: string, payloads: string[]) => Promise<unknown>,
    private readonly logger?: Logger,
  ) {}

  private readonly outbox: { channel: string; payload: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private sending = false;

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.outbox.length) {
        const batch = this.outbox.splice(0, 500);
        // One statement per channel, in order of first publication.
        const channels = [...new Set(batch.map((b) => b.channel))];
        for (const channel of channels) {
          const mine = batch.filter((b) => b.channel === channel);
          await this.publishVia(
            channel,
            mine.map((b) => b.payload),
          ).then(
            () => mine.forEach((b) => b.resolve()),
            (e) => mine.forEach((b) => b.reject(e)),
          );
        }
      }
    } finally {
      this.sending = false;
    }
  }

  /** The dedicated LISTEN connection, reconnected (and re-LISTENed) when it drops. */
  private listener(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    return (this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (n) => this.subs.dispatch(n.channel, n.payload ?? '', this.logger));
      client.on('error', (e) => {
        this.logger?.warn({ err: e }, 'pubsub: LISTEN connection lost; reconnecting');
        if (this.client === client) this.client = null;
        void client.end().catch(() => undefined);
        if (!this.closed && this.channels.size) setTimeout(() => void this.listener().catch(() => undefined), 500).unref();
      });
      try {
        await client.connect();
        for (const c of this.channels) await client.query(`LISTEN ${c}`);
        this.client = client;
        return client;
      } finally {
        this.connecting = null;
      }
    })());
  }

  async publish(channel: string, payload: string): Promise<void> {
    checkChannel(channel);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) throw new Error('pubsub payload too large');
    await new Promise<void>((resolve, reject) => {
      this.outbox.push({ channel, payload, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  async subscribe(channel: string, handler: PubSubHandler): Promise<() => void> {
    checkChannel(channel);
    const { first, remove } = this.subs.add(channel, handler);
    if (first) {
      this.channels.add(channel);
      const client = await this.listener();
      if (this.connecting === null && client === this.client) await client.query(`LISTEN ${channel}`);
    }
    return () => {
      if (remove()) {
        this.channels.delete(channel);
        void this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    const c = this.client ?? (this.connecting ? await this.connecting.catch(() => null) : null);
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }
}
