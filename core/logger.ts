/** The app's logger: pino, JSON lines by default, human-readable with `log.pretty`. */
import cluster from 'node:cluster';
import pino, { type Logger } from 'pino';
import type { RucheConfig } from './config';

export type { Logger };

export function createLogger(config: Pick<RucheConfig, 'log'>): Logger {
  const options: pino.LoggerOptions = {
    level: config.log.level,
    // A worker of `ruche start --workers N` names itself in every line.
    base: cluster.isWorker ? { pid: process.pid } : undefined,
    redact: { paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization'], remove: true },
  };
  if (config.log.pretty) {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } }));
  }
  return pino(options);
}
