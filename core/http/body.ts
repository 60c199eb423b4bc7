/**
 * Body parsing with limits: JSON and urlencoded forms (co-body), multipart forms with
 * files (busboy, see multipart.ts). Parsed once, on demand,
 * so the CSRF check (which runs first) and handlers share the result. A body that is too
 * large answers 413; malformed JSON answers 400.
 */
import type Koa from 'koa';
import coBody from 'co-body';
import { HttpError } from '../errors';
import { declaredLength, parseMultipart } from './multipart';
import type { RucheContext } from './context';

const PARSED = Symbol('ruche.bodyParsed');

/** A form with files refused from its declared length, before it is read (hook `upload:beforeRead`). */
export interface UploadRefusal {
  status: 413;
  /** i18n key of the message, and its parameters. */
  key: string;
  params?: Record<string, unknown>;
}

/** Asks the plugins whether a form with files may be read, from its declared length; throws their refusal. */
async function screenUpload(ctx: Koa.Context): Promise<void> {
  const declared = declaredLength(ctx);
  const rc = ctx as RucheContext;
  if (declared === undefined || !rc.ruche || !rc.state.network) return;
  const refusal = await rc.ruche.hooks.filter('upload:beforeRead', null, { ctx: rc, declared, networkId: rc.state.network.id });
  if (!refusal) return;
  ctx.req.resume(); // the rest of the body is read and dropped, as for a body over the limit
  throw new HttpError(refusal.status, refusal.key, refusal.params ?? {});
}

export interface BodyLimits {
  jsonBody: string;
  formBody: string;
  /** Largest multipart body (forms with files). */
  uploadBody: string;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024, gb: 1024 * 1024 * 1024 };

/** `1mb` → bytes (b, kb, mb, gb). */
export function parseSize(size: string): number {
  const m = /^(\d+)(b|kb|mb|gb)$/i.exec(size.trim());
  if (!m) return 1024 * 1024;
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

export async function ensureBody(ctx: Koa.Context, limits: BodyLimits): Promise<Record<string, unknown>> {
  const holder = ctx as unknown as { [PARSED]?: boolean };
  if (holder[PARSED]) return bodyOf(ctx);
  holder[PARSED] = true;
  let body: unknown = {};
  try {
    if (ctx.is('json')) body = await coBody.json(ctx, { limit: limits.jsonBody, strict: true });
    else if (ctx.is('urlencoded'))
      body = await coBody.form(ctx, { limit: limits.formBody, queryString: { allowPrototypes: false, depth: 2, arrayLimit: 100 } });
    else if (ctx.is('multipart')) {
      await screenUpload(ctx);
      body = await parseMultipart(ctx, parseSize(limits.uploadBody));
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const status = (err as { status?: number }).status;
    if (status === 413) throw new HttpError(413);
    if (status === 415) throw new HttpError(415);
    throw new HttpError(400, ctx.is('json') ? 'core.error.badJson' : 'core.error.400.message');
  }
  const value = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  (ctx.request as { body?: unknown }).body = value;
  return value;
}

export function bodyParser(limits: BodyLimits): Koa.Middleware {
  return async (ctx, next) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(ctx.method)) await ensureBody(ctx, limits);
    await next();
  };
}

/** The parsed body of a form or JSON request ({} when it has none). */
export function bodyOf(ctx: Koa.Context): Record<string, unknown> {
  return (ctx.request as { body?: Record<string, unknown> }).body ?? {};
}

/** A string field from a parsed body ('' when absent or not a string). */
export function field(ctx: Koa.Context, name: string): string {
  const v = bodyOf(ctx)[name];
  return typeof v === 'string' ? v : '';
}

/** What a field that may be sent several times (checkboxes, a multiple select) sent, as a list: none, one or several values. */
export function valuesOf(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
}
