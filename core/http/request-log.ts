/** Gives each request an id (or keeps a sane X-Request-Id from the proxy) and logs it, with the client's address, when done. */
import type Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { RucheContext } from './context';
import { clientAddress } from './client-address';

export function requestLog(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info(
        {
          reqId: id,
          method: ctx.method,
          path: ctx.path,
          ip: clientAddress(ctx as unknown as RucheContext),
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    }
  };
}
