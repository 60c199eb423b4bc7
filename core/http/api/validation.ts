/**
 * Validation of an API route's input against the schemas it declares (`api.params`, `query`,
 * `body`): a 400 `invalid` naming each wrong field with a localised message, before the
 * handler runs. The handler reads the parsed values with `apiQuery` / `apiBody` / `apiParams`.
 */
import type { z, ZodType } from 'zod';
import { HttpError } from '../../errors';
import type { FieldProblem, FieldProblems } from '../../content/article';
import type { ApiDef } from '../../plugins/manifest';
import type { RucheContext } from '../context';

const PARSED = Symbol('ruche.apiInput');

interface ParsedInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

type Holder = { [PARSED]?: ParsedInput };

type Issue = z.core.$ZodIssue;

/** The i18n key and params of one problem (zod's codes, in the reader's language). */
function problemOf(issue: Issue): { key: string; params: Record<string, unknown> } {
  switch (issue.code) {
    case 'invalid_type':
      return { key: issue.input === undefined ? 'core.api.invalid.required' : 'core.api.invalid.type', params: { expected: issue.expected } };
    case 'too_small':
      return { key: issue.origin === 'string' ? 'core.api.invalid.tooShort' : 'core.api.invalid.tooSmall', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { key: issue.origin === 'string' ? 'core.api.invalid.tooLong' : 'core.api.invalid.tooBig', params: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'core.api.invalid.oneOf', params: { values: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { key: 'core.api.invalid.unknown', params: {} };
    default:
      return { key: 'core.api.invalid.format', params: {} };
  }
}

function parsePart(ctx: RucheContext, part: keyof ParsedInput, schema: ZodType, input: unknown, fields: Record<string, string>): unknown {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    const { key, params } = problemOf(issue);
    for (const path of keys) {
      const name = [part, ...path.map(String)].join('.');
      fields[name] ??= ctx.ruche.i18n.t(ctx.state.locale, key, params);
    }
  }
  return undefined;
}

/** Parses the declared parts of the request, or throws the 400 listing every problem. */
export function validateApiInput(ctx: RucheContext, api: ApiDef): void {
  const fields: Record<string, string> = {};
  const parsed: ParsedInput = {};
  if (api.params) parsed.params = parsePart(ctx, 'params', api.params, { ...ctx.params }, fields);
  if (api.query) parsed.query = parsePart(ctx, 'query', api.query, { ...ctx.query }, fields);
  if (api.body) parsed.body = parsePart(ctx, 'body', api.body, (ctx.request as { body?: unknown }).body ?? {}, fields);
  if (Object.keys(fields).length) throw new HttpError(400, 'core.api.invalid.message', {}, 'invalid', fields);
  (ctx as unknown as Holder)[PARSED] = parsed;
}

function parsedPart<S extends ZodType>(ctx: RucheContext, part: keyof ParsedInput): z.output<S> {
  const parsed = (ctx as unknown as Holder)[PARSED];
  if (!parsed || !(part in parsed)) throw new Error(`the route declares no api.${part} schema`);
  return parsed[part] as z.output<S>;
}

/** The query string parsed by the route's `api.query` (pass that schema, for its type). */
export const apiQuery = <S extends ZodType>(ctx: RucheContext, _schema: S): z.output<S> => parsedPart<S>(ctx, 'query');
/** The body parsed by the route's `api.body`. */
export const apiBody = <S extends ZodType>(ctx: RucheContext, _schema: S): z.output<S> => parsedPart<S>(ctx, 'body');
/** The path parameters parsed by the route's `api.params`. */
export const apiParams = <S extends ZodType>(ctx: RucheContext, _schema: S): z.output<S> => parsedPart<S>(ctx, 'params');

/** The longest wait the problems ask for (a pace limit's `retryAfter`), in whole seconds; 0 for none. */
const waitOf = (problems: FieldProblem[]): number => Math.ceil(Math.max(0, ...problems.map((p) => p.retryAfter ?? 0)));

/**
 * The 400 `invalid` of an API route for the problems its service found in the input (the
 * checks the page's form makes), each localised under its field's name, as `validateApiInput`
 * answers for the declared schemas. A problem with a `retryAfter` (a pace limit) makes it a
 * `429 rate_limited` with `Retry-After`: the same input will be accepted later.
 */
export function apiProblems(ctx: RucheContext, problems: FieldProblems): HttpError {
  const fields = Object.fromEntries(Object.entries(problems).map(([name, p]) => [name, ctx.ruche.i18n.t(ctx.state.locale, p.key, p.params ?? {})]));
  const wait = waitOf(Object.values(problems));
  if (wait) return new HttpError(429, 'core.api.paced', { seconds: wait, retryAfter: wait }, 'rate_limited', fields);
  return new HttpError(400, 'core.api.invalid.message', {}, 'invalid', fields);
}

/**
 * The error for one problem a service refuses outright (no form to show it on): `status`,
 * or a `429 rate_limited` with `Retry-After` for a pace limit's problem (its `retryAfter`).
 */
export function problemError(problem: FieldProblem, status: number): HttpError {
  const wait = waitOf([problem]);
  if (wait) return new HttpError(429, problem.key, { ...problem.params, retryAfter: wait }, 'rate_limited');
  return new HttpError(status, problem.key, problem.params ?? {});
}
