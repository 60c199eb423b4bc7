/**
 * The OpenAPI 3.1 document of the JSON API, generated from the route declarations (their
 * `api` field and its zod schemas), never written by hand: what `/api/v1/openapi.json` serves
 * and what the reference page (`/api-docs`) shows. Only the routes of the plugins enabled in
 * the request's network appear, with that network's address as the server.
 */
import { z, type ZodType } from 'zod';
import type { Runtime } from '../../runtime';
import { CORE_ID, type RouteDef } from '../../plugins/manifest';
import { scopeNeeded } from './conventions';

type JsonSchema = Record<string, unknown>;

export interface ApiOperation {
  owner: string;
  def: RouteDef & { api: NonNullable<RouteDef['api']> };
  /** The path in OpenAPI's form: `/api/v1/entities/{id}/comments`. */
  path: string;
}

/** The i18n key (or plain name) of the plugin `owner`, the core's included. */
export const pluginName = (rt: Runtime, owner: string): string =>
  owner === CORE_ID ? 'core.plugin.name' : (rt.plugins.get(owner)?.manifest.name ?? owner);

/** The API routes of the plugins enabled in a network, in declaration order. */
export function apiOperations(rt: Runtime, networkId: number): ApiOperation[] {
  return rt.routes
    .served()
    .filter((r) => r.def.api && rt.pluginState.isEnabled(r.owner, networkId))
    .map((r) => ({ owner: r.owner, def: r.def as ApiOperation['def'], path: r.def.path.replace(/:(\w+)\??/g, '{$1}') }));
}

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), for what clients send or receive. */
export function jsonSchemaOf(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const pathParams = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** Parameters in OpenAPI's form: one per property of an object schema. */
function parametersOf(where: 'path' | 'query', schema: ZodType | undefined, names: string[] = []): JsonSchema[] {
  const json = schema ? jsonSchemaOf(schema, 'input') : { properties: {}, required: [] };
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  const all = [...new Set([...names, ...Object.keys(props)])];
  return all.map((name) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: props[name] ?? { type: 'string' },
    ...(typeof props[name]?.description === 'string' ? { description: props[name].description } : {}),
  }));
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Bad input: `code` is `invalid` and `fields` names each problem.',
  '401': 'Sign in, or send a valid token.',
  '403': 'Not allowed (or `insufficient_scope`: the token lacks the scope).',
  '404': 'Nothing here, or nothing this viewer may see.',
  '429': "Past a rate limit (the API's, or the network's posting pace): wait `Retry-After` seconds.",
};

function operationOf(op: ApiOperation, describe: (owner: string) => string): JsonSchema {
  const { def } = op;
  const api = def.api;
  const status = String(api.status ?? (def.method === 'POST' ? 201 : 200));
  const errorRef = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: def.name,
    summary: api.summary,
    tags: [op.owner],
    'x-ruche-scope': scopeNeeded(def),
    'x-ruche-plugin': describe(op.owner),
    security: [{ bearerToken: [scopeNeeded(def)] }, { session: [] }, ...(def.public ? [{}] : [])],
    parameters: [
      ...parametersOf('path', api.params, pathParams(op.path)),
      ...parametersOf('query', api.query),
      ...(def.method === 'POST' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }] : []),
    ],
    ...(api.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(api.body, 'input') } } } } : {}),
    responses: {
      [status]: {
        description: api.summary,
        ...(api.response ? { content: { 'application/json': { schema: jsonSchemaOf(api.response, 'output') } } } : {}),
      },
      ...(def.method === 'GET' ? { '304': { description: 'Unchanged since the `ETag` sent in `If-None-Match`.' } } : {}),
      ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([code, description]) => [code, { description, ...errorRef }])),
    },
  };
}

/** The whole document for a network whose pages start at `serverUrl`. */
export function openApiDocument(rt: Runtime, network: { id: number; name: string }, serverUrl: string, locale: string): JsonSchema {
  const describe = (owner: string) => rt.i18n.t(locale, pluginName(rt, owner));
  const ops = apiOperations(rt, network.id);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of ops) (paths[op.path] ??= {})[op.def.method.toLowerCase()] = operationOf(op, describe);
  return {
    openapi: '3.1.0',
    info: { title: `${network.name} API`, version: 'v1' },
    servers: [{ url: serverUrl }],
    tags: [...new Set(ops.map((o) => o.owner))].map((name) => ({ name, description: describe(name) })),
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal access token (scopes read, write, admin).' },
        session: { type: 'apiKey', in: 'cookie', name: rt.config.session.cookieName },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['status', 'code', 'message'],
              properties: {
                status: { type: 'integer' },
                code: { type: 'string' },
                message: { type: 'string' },
                requestId: { type: 'string' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
