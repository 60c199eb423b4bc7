/**
 * The dashboard of a network (its admins: `analytics.view`) and of a group (its admins, and
 * whoever holds `analytics.view` in the network), each table also as CSV; and the page
 * telling members what is measured. Handlers read the request, ask the service through the
 * report, and return the page.
 */
import {
  adminPage,
  containerRole,
  entityHref,
  forbidden,
  hrefWith,
  HttpError,
  idParam,
  link,
  notFound,
  queryParam,
  requireMember,
  t,
  titledPage,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import type {} from '../groups/hooks';
import type { AudienceField } from '../profiles/hooks';
import { dayBars, funnelRows } from './charts';
import { choiceField, choiceFields } from './fields';
import { dateOfDay, parsePeriod, PRESETS, type Period } from './period';
import { buildReport, buildTable, isTableId, reportFormat, tableCsv, type Report, type ReportEnv } from './report';
import { AnalyticsService, type Scope } from './service';

export const VIEW = 'analytics.view';
export const PLUGIN_ID = 'analytics';

const service = (ctx: RucheContext): AnalyticsService => ctx.ruche.container.resolve(AnalyticsService);

/** Whether this network lets its admins see members by name (top contributors). */
export const memberLevelAllowed = (ctx: RucheContext): boolean =>
  ctx.ruche.pluginState.settings(PLUGIN_ID, ctx.state.network.id).memberLevel === true;

async function groupNames(ctx: RucheContext, ids: number[]): Promise<Record<number, string>> {
  if (!ids.length) return {};
  return ctx.ruche.hooks.filter('groups:names', {}, { rt: ctx.ruche, networkId: ctx.state.network.id, ids });
}

const pageFields = (ctx: RucheContext): Promise<AudienceField[]> =>
  choiceFields(ctx.ruche, ctx.state.network.id, ctx.state.viewer!, ctx.state.locale);

/** What the report needs from the page; the members of the profile field's values only when `fields` are given (the adoption table). */
async function reportEnv(ctx: RucheContext, fields?: AudienceField[]): Promise<ReportEnv> {
  const profileRoute = await ctx.ruche.hooks.filter('people:profileRoute', null, { networkId: ctx.state.network.id });
  return {
    choiceField: fields ? await choiceField(ctx.ruche, ctx.state.network.id, ctx.state.viewer!, fields, queryParam(ctx, 'field')) : undefined,
    t: (key, params) => t(ctx, key, params),
    locale: ctx.state.locale,
    groupNames: (ids) => groupNames(ctx, ids),
    groupHref: (id) => link(ctx, 'groups.view', { id }),
    contentHref: (c) => entityHref(ctx.ruche, { id: c.id, type: c.type, network_id: ctx.state.network.id }, ctx.state.basePath),
    profileHref: (username) => (profileRoute ? link(ctx, profileRoute, { username }) : null),
    showMembers: memberLevelAllowed(ctx),
  };
}

/** The group of `:id` in this network and its name, when the viewer administers it (or holds `analytics.view`). */
async function groupScope(ctx: RucheContext): Promise<{ scope: Scope; name: string }> {
  const viewer = requireMember(ctx);
  const id = idParam(ctx);
  const entity = id ? await ctx.ruche.entities.get(id) : undefined;
  if (!entity || Number(entity.network_id) !== ctx.state.network.id || entity.deleted_at) throw notFound();
  const name = (await groupNames(ctx, [id]))[id];
  if (name === undefined) throw notFound();
  const mayView = ctx.ruche.permissions.can(viewer, VIEW, ctx.state.network.id) || (await containerRole(ctx.ruche.db, id, viewer.id)) === 'admin';
  if (!mayView) throw forbidden();
  return { scope: { networkId: ctx.state.network.id, containerId: id }, name };
}

function periodOf(ctx: RucheContext): { period: Period; error?: string; input: { from: string; to: string } } {
  const input = { period: queryParam(ctx, 'period'), from: queryParam(ctx, 'from'), to: queryParam(ctx, 'to') };
  return { ...parsePeriod(input, Date.now()), input: { from: input.from, to: input.to } };
}

/** Everything the dashboard template shows. */
async function dashboardData(ctx: RucheContext, scope: Scope, exportRoute: string, routeParams: Record<string, unknown>) {
  const { period, error, input } = periodOf(ctx);
  const fields = await pageFields(ctx);
  const env = await reportEnv(ctx, fields);
  const report: Report = await buildReport(service(ctx), ctx.state.viewer!, scope, period, env);
  const format = reportFormat(ctx.state.locale).number;
  const query = period.key === 'custom' ? `?period=custom&from=${dateOfDay(period.from)}&to=${dateOfDay(period.to)}` : `?period=${period.key}`;
  const labels = {
    members: t(ctx, 'analytics.funnel.members'),
    active: t(ctx, 'analytics.funnel.active'),
    participating: t(ctx, 'analytics.funnel.participating'),
    contributing: t(ctx, 'analytics.funnel.contributing'),
  };
  return {
    period: {
      presets: PRESETS.map((p) => ({
        key: p,
        label: t(ctx, 'analytics.period.preset', { days: p }),
        href: hrefWith(ctx, { period: p, from: null, to: null }),
        current: p === period.key,
      })),
      custom: period.key === 'custom',
      from: error ? input.from : dateOfDay(period.from),
      to: error ? input.to : dateOfDay(period.to),
      error: error ? t(ctx, error) : null,
      summary: t(ctx, 'analytics.period.summary', {
        from: dateOfDay(period.from),
        to: dateOfDay(period.to),
        previousFrom: dateOfDay(period.previous.from),
        previousTo: dateOfDay(period.previous.to),
      }),
    },
    charts: {
      funnel: funnelRows(report.funnel, labels, (n) => format(n).text),
      active: dayBars(report.days, ['dau']),
      acts: dayBars(report.days, ['contributions', 'comments', 'reactions']),
    },
    tables: report.tables.map((table) => {
      const adoption = table.id === 'adoption' && env.choiceField;
      return {
        ...table,
        caption: adoption ? t(ctx, 'analytics.table.adoption', { field: adoption.label }) : t(ctx, `analytics.table.${table.id}`),
        csvHref: `${link(ctx, exportRoute, { ...routeParams, table: table.id })}${query}${adoption ? `&field=${encodeURIComponent(adoption.key)}` : ''}`,
        picker: adoption
          ? {
              fields: fields.map((f) => ({ key: f.key, label: f.label, selected: f.key === adoption.key })),
              period: period.key,
              from: period.key === 'custom' ? dateOfDay(period.from) : undefined,
              to: period.key === 'custom' ? dateOfDay(period.to) : undefined,
            }
          : undefined,
      };
    }),
    memberLevel: env.showMembers,
    privacyHref: link(ctx, 'analytics.privacy'),
  };
}

async function exportCsv(ctx: RucheContext, scope: Scope, name: string): Promise<RouteResult> {
  const table = String(ctx.params.table ?? '');
  if (!isTableId(table) || (table === 'contributors' && !memberLevelAllowed(ctx)) || (table === 'groups' && scope.containerId)) throw notFound();
  const { period, error } = periodOf(ctx);
  if (error) throw new HttpError(400, error);
  const env = await reportEnv(ctx, table === 'adoption' ? await pageFields(ctx) : undefined);
  const found = await buildTable(service(ctx), ctx.state.viewer!, scope, period, env, table);
  if (!found) throw notFound();
  ctx.set('Content-Disposition', `attachment; filename="${name}-${table}-${dateOfDay(period.from)}-${dateOfDay(period.to)}.csv"`);
  ctx.type = 'text/csv; charset=utf-8';
  ctx.body = tableCsv(found);
  return;
}

const networkScope = (ctx: RucheContext): Scope => ({ networkId: ctx.state.network.id, containerId: 0 });

export const analyticsRoutes: RouteDef[] = [
  {
    name: 'analytics.dashboard',
    method: 'GET',
    path: '/admin/analytics',
    capability: VIEW,
    async handler(ctx) {
      const data = await dashboardData(ctx, networkScope(ctx), 'analytics.export', {});
      const title = t(ctx, 'analytics.dashboard.title');
      return adminPage(
        ctx,
        'analytics/dashboard',
        title,
        'analytics.dashboard',
        { ...data, scopeName: ctx.state.network.name },
        data.period.error ? 400 : undefined,
      );
    },
  },
  {
    name: 'analytics.export',
    method: 'GET',
    path: '/admin/analytics/export/:table',
    capability: VIEW,
    handler: (ctx) => exportCsv(ctx, networkScope(ctx), ctx.state.network.slug),
  },
  {
    name: 'analytics.group',
    method: 'GET',
    path: '/groups/:id/analytics',
    capability: 'core.participate',
    async handler(ctx) {
      const { scope, name } = await groupScope(ctx);
      const data = await dashboardData(ctx, scope, 'analytics.group.export', { id: scope.containerId });
      const page = titledPage(
        ctx,
        'analytics/group',
        'analytics.group.title',
        { ...data, scopeName: name, groupHref: link(ctx, 'groups.view', { id: scope.containerId }) },
        { name },
      );
      return { ...page, status: data.period.error ? 400 : undefined };
    },
  },
  {
    name: 'analytics.group.export',
    method: 'GET',
    path: '/groups/:id/analytics/export/:table',
    capability: 'core.participate',
    async handler(ctx) {
      const { scope } = await groupScope(ctx);
      return exportCsv(ctx, scope, `group-${scope.containerId}`);
    },
  },
  {
    name: 'analytics.privacy',
    method: 'GET',
    path: '/analytics/privacy',
    capability: 'core.participate',
    handler: (ctx) => titledPage(ctx, 'analytics/privacy', 'analytics.privacy.title', { memberLevel: memberLevelAllowed(ctx) }),
  },
];
