/**
 * The readable API reference (`/api-docs`): the OpenAPI operations of the request's network,
 * grouped by plugin, each with its method, path, scope and the fields of its parameters,
 * body and answer, read from the same declarations as `/api/v1/openapi.json`.
 */
import type { RucheContext } from '../context';
import { t } from '../request-helpers';
import { apiOperations, jsonSchemaOf, pluginName } from './openapi';
import { scopeNeeded } from './conventions';

type JsonSchema = Record<string, unknown>;

interface FieldRow {
  name: string;
  type: string;
  required: boolean;
}

/** A JSON Schema's type in a few words: `integer`, `string | null`, `array of object`, `one of a, b`. */
function typeOf(s: JsonSchema | undefined): string {
  if (!s) return 'string';
  if (Array.isArray(s.enum)) return `"${s.enum.join('" | "')}"`;
  if ('const' in s) return JSON.stringify(s.const);
  const anyOf = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (anyOf) return anyOf.map(typeOf).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : typeof s.type === 'string' ? s.type : 'any';
  if (type === 'array') return `array of ${typeOf(s.items as JsonSchema)}`;
  return type;
}

/** The top-level fields of an object schema, and their nested object fields as `parent.child`. */
function fieldRows(s: JsonSchema | undefined, prefix = '', depth = 0): FieldRow[] {
  if (!s) return [];
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).flatMap(([name, p]) => {
    const items = p.type === 'array' ? (p.items as JsonSchema | undefined) : p;
    const nested = depth < 2 && items && items.properties ? fieldRows(items, `${prefix}${name}${p.type === 'array' ? '[]' : ''}.`, depth + 1) : [];
    return [{ name: `${prefix}${name}`, type: typeOf(p), required: required.has(name) }, ...nested];
  });
}

/** The data of the reference page. */
export function referenceData(ctx: RucheContext): Record<string, unknown> {
  const rt = ctx.ruche;
  const groups = new Map<string, unknown[]>();
  for (const op of apiOperations(rt, ctx.state.network.id)) {
    const api = op.def.api;
    const query = api.query ? fieldRows(jsonSchemaOf(api.query, 'input')) : [];
    const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const list = groups.get(op.owner) ?? [];
    list.push({
      id: op.def.name,
      method: op.def.method,
      path: op.path,
      summary: api.summary,
      scope: t(ctx, `core.account.tokens.scopeNames.${scopeNeeded(op.def)}`),
      params: [
        ...pathNames.map((name) => ({ name, type: 'string', required: true, where: 'path' })),
        ...query.map((q) => ({ ...q, where: 'query' })),
      ],
      body: api.body ? fieldRows(jsonSchemaOf(api.body, 'input')) : [],
      response: api.response ? fieldRows(jsonSchemaOf(api.response, 'output')) : [],
      status: api.status ?? (op.def.method === 'POST' ? 201 : 200),
    });
    groups.set(op.owner, list);
  }
  return {
    groups: [...groups].map(([owner, operations]) => ({
      owner,
      name: t(ctx, pluginName(rt, owner)),
      operations,
    })),
  };
}
