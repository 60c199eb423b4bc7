/** The app's logger: pino, JSON lines by default, human-readable with `log.pretty`. */
import pino, { type Logger } from 'pino';
import type { RucheConfig } from './config';

export type { Logger };

export function createLogger(config: Pick<RucheConfig, 'log'>): Logger {
  const options: pino.LoggerOptions = {
    level: config.log.level,
    base: undefined,
    redact: { paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization'], remove: true },
  };
  if (config.log.pretty) {
    return pino(options, pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } }));
  }
  return pino(options);
}
