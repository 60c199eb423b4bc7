/**
 * The audit log page of the admin area (`/admin/audit`) and its CSV export: the entries of
 * the request's network, newest first, filtered by actor, action, object type and dates,
 * paged by keyset. Someone with root rights reading it through the root network sees every
 * network's entries (and the installation-wide ones), and may narrow them to one network.
 */
import type { AuditLink, AuditQuery, AuditRow } from '../audit/audit-log';
import type { RucheContext } from '../http/context';
import { csvField } from '../http/csv';
import { networkUrl } from '../network-url';
import { beforeParam, hrefWith, queryParam } from '../http/params';
import { adminPage, link, t } from '../http/request-helpers';
import type { RouteDef } from '../plugins/manifest';

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Filters {
  actor: string;
  action: string;
  type: string;
  from: string;
  to: string;
  network: string;
}

/** `YYYY-MM-DD` as the start of that day (UTC), or NaN. */
function dayStart(value: string): number {
  const m = DATE.exec(value);
  if (!m) return NaN;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(at).toISOString().slice(0, 10) === value ? at : NaN;
}

/** Whether the viewer reads every network's entries (root rights, through the root network). */
function readsAll(ctx: RucheContext): boolean {
  return ctx.state.network.id === ctx.ruche.networks.root().id && ctx.ruche.scopes.hasRootRights(ctx.state.viewer);
}

/** The query of the filters, or the i18n keys of the filters that are not valid. */
async function queryOf(ctx: RucheContext, f: Filters): Promise<{ query: AuditQuery; errors: Record<string, string>; unknownActor: boolean }> {
  const errors: Record<string, string> = {};
  const query: AuditQuery = {};
  let unknownActor = false;
  if (readsAll(ctx)) {
    if (f.network) {
      const network = ctx.ruche.networks.all().find((n) => String(n.id) === f.network);
      if (network) query.networkIds = [network.id];
      else errors.network = 'core.audit.error.network';
    }
  } else query.networkIds = [ctx.state.network.id];
  const username = f.actor.trim().replace(/^@/, '');
  if (username) {
    const user = (await ctx.ruche.db('users').whereRaw('lower(username) = ?', [username.toLowerCase()]).first('id')) as { id: number } | undefined;
    if (user) query.actorId = Number(user.id);
    else unknownActor = true;
  }
  if (f.action) query.action = f.action;
  if (f.type) query.objectType = f.type;
  if (f.from) {
    const at = dayStart(f.from);
    if (Number.isNaN(at)) errors.from = 'core.audit.error.date';
    else query.from = at;
  }
  if (f.to) {
    const at = dayStart(f.to);
    if (Number.isNaN(at)) errors.to = 'core.audit.error.date';
    else query.to = at + DAY;
  }
  if (query.from !== undefined && query.to !== undefined && query.to <= query.from) errors.to = 'core.audit.error.order';
  return { query, errors, unknownActor };
}

function filtersOf(ctx: RucheContext): Filters {
  const q = (name: string, max: number) => queryParam(ctx, name).slice(0, max);
  return { actor: q('actor', 100), action: q('action', 100), type: q('type', 50), from: q('from', 10), to: q('to', 10), network: q('network', 12) };
}

/** An action's label: `<owner>.audit.<what>` in the owner's strings, else the key itself. */
function actionLabel(ctx: RucheContext, action: string): string {
  const dot = action.indexOf('.');
  const key = dot > 0 ? `${action.slice(0, dot)}.audit.${action.slice(dot + 1)}` : action;
  return ctx.ruche.i18n.has(ctx.state.locale, key) || ctx.ruche.i18n.has('en', key) ? t(ctx, key) : action;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What changed, one line per key for records (`key`, before, after), else one line of the two values. */
export function changeLines(before: unknown, after: unknown): { key: string; before: string; after: string }[] {
  if ((isRecord(before) || before === null) && (isRecord(after) || after === null) && (before || after)) {
    const b = before ?? {};
    const a = after ?? {};
    return [...new Set([...Object.keys(b), ...Object.keys(a)])].map((key) => ({ key, before: text(b[key]), after: text(a[key]) }));
  }
  if (before === null && after === null) return [];
  return [{ key: '', before: text(before), after: text(after) }];
}

function networkName(ctx: RucheContext, id: number | null): string {
  if (id === null) return t(ctx, 'core.audit.installation');
  return ctx.ruche.networks.all().find((n) => n.id === id)?.name ?? `#${id}`;
}

function rowView(ctx: RucheContext, r: AuditRow, links: Map<number, AuditLink>) {
  return {
    id: r.id,
    at: r.createdAt,
    actor: r.actorName || t(ctx, 'core.audit.system'),
    actorId: r.actorId,
    action: actionLabel(ctx, r.action),
    actionKey: r.action,
    object: r.objectType ? `${r.objectType}${r.objectId ? ` #${r.objectId}` : ''}` : '',
    // What the owner of the action recorded of it (a moderation decision), for who may open it (`audit:links`).
    record: links.get(r.id) ?? null,
    changes: changeLines(r.before, r.after),
    ip: r.ip ?? '',
    network: networkName(ctx, r.networkId),
  };
}

async function auditPage(ctx: RucheContext) {
  const filters = filtersOf(ctx);
  const { query, errors, unknownActor } = await queryOf(ctx, filters);
  const all = readsAll(ctx);
  const failed = Object.keys(errors).length > 0;
  const page =
    failed || unknownActor ? { rows: [] as AuditRow[], next: undefined } : await ctx.ruche.audit.page({ ...query, before: beforeParam(ctx) });
  const facets = await ctx.ruche.audit.facets(all ? undefined : [ctx.state.network.id]);
  const links = await recordLinks(ctx, page.rows);
  const filtered = Object.values(filters).some(Boolean);
  return adminPage(
    ctx,
    'core/audit',
    t(ctx, 'core.audit.title'),
    'core.audit',
    {
      filters,
      errors: Object.fromEntries(Object.entries(errors).map(([k, key]) => [k, t(ctx, key)])),
      hasErrors: failed,
      unknownActor: unknownActor ? t(ctx, 'core.audit.unknownActor', { name: filters.actor }) : null,
      rows: page.rows.map((r) => rowView(ctx, r, links)),
      showNetwork: all,
      networks: all
        ? ctx.ruche.networks.all().map((n) => ({ value: String(n.id), label: n.name, selected: String(n.id) === filters.network }))
        : null,
      actions: facets.actions.map((a) => ({ value: a, label: actionLabel(ctx, a), selected: a === filters.action })),
      types: facets.objectTypes.map((v) => ({ value: v, selected: v === filters.type })),
      filtered,
      next: page.next === undefined ? null : hrefWith(ctx, { before: page.next }),
      first: beforeParam(ctx) ? hrefWith(ctx, { before: null }) : null,
      csv: `${link(ctx, 'core.audit.csv')}${ctx.querystring ? `?${new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString()}` : ''}`,
      retention: t(ctx, 'core.audit.retention', { days: ctx.ruche.config.audit.retentionDays }),
    },
    failed ? 400 : undefined,
  );
}

/** The records of `entries` the viewer may open (`audit:links`, asked only where an entry names one). */
async function recordLinks(ctx: RucheContext, entries: AuditRow[]): Promise<Map<number, AuditLink>> {
  return entries.some((r) => r.ref !== null)
    ? ctx.ruche.hooks.filter('audit:links', new Map<number, AuditLink>(), { ctx, viewer: ctx.state.viewer!, entries })
    : new Map<number, AuditLink>();
}

/** The entries the CSV asks `audit:links` about at a time. */
const CSV_BATCH = 200;

/** One entry's CSV fields; `href`: its record's address where the viewer may open it (made absolute: a file has no page to be relative to). */
function entryFields(r: AuditRow, href: string | null, ctx: RucheContext): unknown[] {
  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  const url = href === null ? '' : new URL(href, networkUrl(ctx.ruche.config.siteUrl, ctx.state.network)).toString();
  return [
    r.id,
    new Date(r.createdAt).toISOString(),
    r.networkId ?? '',
    r.actorId ?? '',
    r.actorName,
    r.action,
    r.objectType,
    r.objectId,
    json(r.before),
    json(r.after),
    r.ip ?? '',
    r.ref ?? '',
    url,
  ];
}

async function auditCsv(ctx: RucheContext): Promise<void> {
  const { query, errors, unknownActor } = await queryOf(ctx, filtersOf(ctx));
  if (Object.keys(errors).length) {
    ctx.status = 400;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = Object.values(errors)
      .map((key) => t(ctx, key))
      .join('\n');
    return;
  }
  const lines = [
    ['id', 'time', 'network', 'actor_id', 'actor', 'action', 'object_type', 'object_id', 'before', 'after', 'ip', 'ref', 'ref_url'].join(','),
  ];
  if (!unknownActor) {
    let batch: AuditRow[] = [];
    const flush = async () => {
      const links = await recordLinks(ctx, batch);
      for (const r of batch)
        lines.push(
          entryFields(r, links.get(r.id)?.href ?? null, ctx)
            .map(csvField)
            .join(','),
        );
      batch = [];
    };
    for await (const r of ctx.ruche.audit.all(query)) {
      batch.push(r);
      if (batch.length >= CSV_BATCH) await flush();
    }
    await flush();
  }
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="audit-${ctx.state.network.slug || 'root'}-${new Date().toISOString().slice(0, 10)}.csv"`);
  ctx.body = `${lines.join('\r\n')}\r\n`;
}

export const auditRoutes: RouteDef[] = [
  { name: 'core.audit', method: 'GET', path: '/admin/audit', capability: 'core.admin', handler: auditPage },
  { name: 'core.audit.csv', method: 'GET', path: '/admin/audit.csv', capability: 'core.admin', handler: auditCsv },
];
