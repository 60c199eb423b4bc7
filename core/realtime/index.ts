/** The realtime layer: PubSub between processes and authenticated WebSocket upgrades. */
import cluster from 'node:cluster';
import type { RucheConfig } from '../config';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { MemoryPubSub, PostgresPubSub, type PubSub } from './pubsub';
import { ClusterPubSub } from './cluster-pubsub';

export { MemoryPubSub, PostgresPubSub, type PubSub, type PubSubHandler } from './pubsub';
export { ClusterPubSub, relayPubSub } from './cluster-pubsub';
export { SocketRoutes, attachWebSockets, type SocketHandler, type SocketRequest } from './sockets';
export { ACCESS_ENDED, closeMemberSockets } from './member-sockets';

/**
 * `postgres` (LISTEN/NOTIFY) by default on PostgreSQL; on SQLite `memory` in a lone process
 * and `cluster` (the IPC channel, relayed by the primary) in a worker of `--workers N`.
 */
export function pubsubKind(config: RucheConfig, inWorker = cluster.isWorker): 'memory' | 'cluster' | 'postgres' {
  const set = config.realtime.pubsub;
  const kind = set !== 'auto' ? set : config.databaseUrl.startsWith('sqlite:') ? 'memory' : 'postgres';
  return kind === 'memory' && inWorker ? 'cluster' : kind;
}

export function createPubSub(config: RucheConfig, db: Db, logger: Logger): PubSub {
  const kind = pubsubKind(config);
  if (kind === 'cluster') return new ClusterPubSub(process, logger);
  if (kind === 'postgres') {
    if (config.databaseUrl.startsWith('sqlite:')) throw new Error('realtime.pubsub "postgres" needs a PostgreSQL database');
    return new PostgresPubSub(
      config.databaseUrl,
      (channel, payloads) => db.raw('select pg_notify(?, p) from unnest(?::text[]) with ordinality as u(p, n) order by n', [channel, payloads]),
      logger,
    );
  }
  return new MemoryPubSub(logger);
}
