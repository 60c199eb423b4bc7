/**
 * Publish/subscribe between the workers of one `ruche start --workers N` through the
 * cluster's own IPC channel (used on SQLite, where there is no LISTEN/NOTIFY): a worker
 * sends each publication to the primary, which relays it to every worker, the sender
 * included (like NOTIFY, a process hears its own publications, in order).
 */
import type { Cluster, Worker } from 'node:cluster';
import type { Logger } from '../logger';
import { checkChannel, Subscribers, type PubSub, type PubSubHandler } from './pubsub';

/** The IPC message a publication travels in. */
export interface PubSubMessage {
  ruche: 'pubsub';
  channel: string;
  payload: string;
}

const isPubSubMessage = (m: unknown): m is PubSubMessage =>
  !!m &&
  typeof m === 'object' &&
  (m as PubSubMessage).ruche === 'pubsub' &&
  typeof (m as PubSubMessage).channel === 'string' &&
  typeof (m as PubSubMessage).payload === 'string';

/** The process side of a cluster worker: `channel` is the worker's `process`. */
export class ClusterPubSub implements PubSub {
  private readonly subs = new Subscribers();
  private readonly onMessage = (m: unknown): void => {
    if (isPubSubMessage(m)) this.subs.dispatch(m.channel, m.payload, this.logger);
  };

  constructor(
    private readonly channel: NodeJS.Process,
    private readonly logger?: Logger,
  ) {
    channel.on('message', this.onMessage);
  }

  async publish(channel: string, payload: string): Promise<void> {
    checkChannel(channel);
    const message: PubSubMessage = { ruche: 'pubsub', channel, payload };
    await new Promise<void>((resolve, reject) => {
      if (!this.channel.send || !this.channel.connected) return reject(new Error('pubsub: the cluster channel is closed'));
      this.channel.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
    });
  }

  async subscribe(channel: string, handler: PubSubHandler): Promise<() => void> {
    const { remove } = this.subs.add(checkChannel(channel), handler);
    return () => void remove();
  }

  async close(): Promise<void> {
    this.channel.off('message', this.onMessage);
    this.subs.clear();
  }
}

/** In the primary: relays every worker's publications to all workers (call once per forked worker). */
export function relayPubSub(cluster: Cluster, worker: Worker): void {
  worker.on('message', (m: unknown) => {
    if (!isPubSubMessage(m)) return;
    for (const w of Object.values(cluster.workers ?? {})) {
      if (w && w.isConnected()) w.send(m, undefined, () => undefined);
    }
  });
}
