/**
 * The outermost middleware: turns every error into a localised page (or a JSON body for
 * `/api/` and JSON clients) with the right status. Unexpected errors are logged with the
 * request id and answered with a 500 that names no internals. Unmatched requests are 404s.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import { HookFilterError } from '../hooks/bus';
import type { Logger } from '../logger';
import type { RucheContext } from './context';
import { renderPage } from './render';

export function errorBoundary(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new HttpError(404);
    } catch (raw) {
      const err = normalise(raw);
      if (err.status >= 500) {
        const detail = raw instanceof HookFilterError ? { err: raw.cause, hook: raw.hook, plugin: raw.pluginId } : { err: raw };
        logger.error({ ...detail, reqId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      }
      await respond(ctx as unknown as RucheContext, err, logger);
    }
  };
}

function normalise(raw: unknown): HttpError {
  if (raw instanceof HttpError) return raw;
  // A hook's refusal of the request's input (a panel reading a bad cursor of the page) is that refusal.
  if (raw instanceof HookFilterError && raw.cause instanceof HttpError && raw.cause.status < 500) return raw.cause;
  const status = (raw as { status?: number; expose?: boolean })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new HttpError(status);
  return new HttpError(500);
}

function wantsJson(ctx: Koa.Context): boolean {
  if (ctx.path.startsWith('/api/')) return true;
  return ctx.accepts('html', 'json') === 'json';
}

async function respond(ctx: RucheContext, err: HttpError, logger: Logger): Promise<void> {
  const rt = ctx.ruche;
  const locale = ctx.state.locale ?? rt.i18n.fromAcceptLanguage(ctx.get('accept-language')) ?? rt.networks.root().locale;
  ctx.state.locale = locale;
  const message = rt.i18n.t(locale, err.messageKey, err.params);
  if (err.status === 401 || err.status === 405) ctx.remove('Allow');
  // A refusal that will pass later (a pace limit: `problemError`, `apiProblems`) says when.
  if (err.status === 429 && typeof err.params.retryAfter === 'number') ctx.set('Retry-After', String(err.params.retryAfter));
  if (err.status === 401 && ctx.method === 'GET' && !wantsJson(ctx)) {
    // A page that needs a signed-in member: the login page, coming back here afterwards.
    ctx.status = 302;
    ctx.redirect(`${ctx.state.basePath ?? ''}/login?next=${encodeURIComponent(ctx.originalUrl)}`);
    return;
  }
  if (wantsJson(ctx)) {
    ctx.status = err.status;
    ctx.body = {
      error: { status: err.status, code: err.code, message, requestId: ctx.state.requestId, ...(err.fields ? { fields: err.fields } : {}) },
    };
    return;
  }
  try {
    const title = rt.i18n.t(locale, `core.error.${knownStatus(err.status)}.title`);
    await renderPage(
      ctx,
      'core/error',
      { status: err.status, heading: title, message, requestId: err.status >= 500 ? ctx.state.requestId : undefined },
      { title, status: err.status, withoutFilters: err.status >= 500 },
    );
  } catch (renderErr) {
    logger.error({ err: renderErr, reqId: ctx.state.requestId }, 'error page failed to render');
    ctx.status = err.status;
    ctx.type = 'text';
    ctx.body = `${err.status} ${message}`;
  }
}

const knownStatus = (status: number): number =>
  [400, 401, 403, 404, 405, 409, 410, 413, 415, 416, 422, 429].includes(status) ? status : status >= 500 ? 500 : 400;
