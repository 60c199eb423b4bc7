/** The realtime layer: PubSub between processes and authenticated WebSocket upgrades. */
import type { RucheConfig } from '../config';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { MemoryPubSub, PostgresPubSub, type PubSub } from './pubsub';

export { MemoryPubSub, PostgresPubSub, type PubSub, type PubSubHandler } from './pubsub';
export { SocketRoutes, attachWebSockets, type SocketHandler, type SocketRequest } from './sockets';

/** `memory` by default on SQLite, `postgres` (LISTEN/NOTIFY) on PostgreSQL, unless set. */
export function pubsubKind(config: RucheConfig): 'memory' | 'postgres' {
  const set = config.realtime.pubsub;
  if (set !== 'auto') return set;
  return config.databaseUrl.startsWith('sqlite:') ? 'memory' : 'postgres';
}

export function createPubSub(config: RucheConfig, db: Db, logger: Logger): PubSub {
  if (pubsubKind(config) === 'postgres') {
    if (config.databaseUrl.startsWith('sqlite:')) throw new Error('realtime.pubsub "postgres" needs a PostgreSQL database');
    return new PostgresPubSub(config.databaseUrl, (channel, payloads) => db.raw('select pg_notify(?, p) from unnest(?::text[]) with ordinality as u(p, n) order by n', [channel, payloads]), logger);
  }
  return new MemoryPubSub(logger);
}
