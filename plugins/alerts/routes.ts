/**
 * Alert pages and forms. Senders (network admins, holders of `alerts.send`) list the network's
 * alerts, send one, and follow it on its dashboard (live figures, who has not answered, a
 * reminder, an update, closing, the CSV); recipients see it as a banner on every page and on its
 * own page, and answer. An alert of another network answers 404, as a missing one.
 */
import {
  auditAction,
  csvLine,
  field,
  HttpError,
  idParam,
  isSafeNext,
  link,
  notFound,
  personCards,
  queryParam,
  requireMember,
  safeNext,
  scopeOf,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { audienceFields, audienceGroups, audienceIds } from './audience';
import { ANSWER_SETS, PARTICIPATE, SEND, SEVERITIES } from './constants';
import { AlertsService } from './service';
import type { AlertRow } from './types';
import { blankForm, checkAlert, formValues, type AlertFormValues, type Problems } from './validate';
import { answerButtons, banners, countsView, waitingView } from './view';

const service = (ctx: RucheContext): AlertsService => ctx.ruche.container.resolve(AlertsService);
const tr = (ctx: RucheContext) => (key: string, params?: Record<string, unknown>) => t(ctx, key, params);
/** How many of those who have not answered the dashboard lists (the CSV has everyone). */
const WAITING_SHOWN = 200;

const maySend = (ctx: RucheContext, alert: AlertRow): boolean => ctx.ruche.scopes.mayAct(ctx.state.viewer ?? null, SEND, scopeOf(alert));

/** The alert of this network named by `:id`, else 404. */
async function alertParam(ctx: RucheContext): Promise<AlertRow> {
  const alert = await service(ctx).alert(idParam(ctx), ctx.state.network.id);
  if (!alert) throw notFound();
  return alert;
}

/** The alert for its sender's forms: 404 for anyone else (they may not even know it exists). */
async function sentAlert(ctx: RucheContext): Promise<AlertRow> {
  const alert = await alertParam(ctx);
  if (!maySend(ctx, alert)) throw notFound();
  return alert;
}

async function listPage(ctx: RucheContext): Promise<RouteResult> {
  const alerts = await service(ctx).list(ctx.state.network.id);
  return {
    view: 'alerts/list',
    title: t(ctx, 'alerts.list.title'),
    data: {
      alerts: alerts.map((a) => ({
        ...a,
        severityLabel: t(ctx, `alerts.severity.${a.severity}`),
        href: link(ctx, 'alerts.view', { id: a.id }),
        closed: a.closed_at !== null,
      })),
      newHref: link(ctx, 'alerts.new'),
    },
  };
}

async function formPage(ctx: RucheContext, values: AlertFormValues, problems: Problems = {}, status = 200): Promise<RouteResult> {
  const viewer = ctx.state.viewer!;
  const networkId = ctx.state.network.id;
  const [groups, fields] = await Promise.all([
    audienceGroups(ctx.ruche, viewer, networkId),
    audienceFields(ctx.ruche, viewer, networkId, ctx.state.locale),
  ]);
  const errors = Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, t(ctx, v)]));
  return {
    view: 'alerts/new',
    title: t(ctx, 'alerts.new.title'),
    status,
    data: {
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      severities: SEVERITIES.map((s) => ({
        value: s,
        label: t(ctx, `alerts.severity.${s}`),
        hint: t(ctx, `alerts.severityHint.${s}`),
        checked: values.severity === s,
      })),
      answerSets: Object.keys(ANSWER_SETS).map((a) => ({ value: a, label: t(ctx, `alerts.answers.${a}`), checked: values.answers === a })),
      audiences: {
        network: values.audience === 'network',
        group: values.audience === 'group',
        field: values.audience === 'field',
      },
      groups: groups.map((g) => ({ ...g, selected: String(g.id) === values.group })),
      fields: fields.map((f) => ({ ...f, selected: f.key === values.field })),
      backHref: link(ctx, 'alerts.list'),
    },
  };
}

async function create(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const values = formValues(ctx);
  const checked = checkAlert(values);
  if ('problems' in checked) return formPage(ctx, values, checked.problems, 422);
  const networkId = ctx.state.network.id;
  const ids = await audienceIds(ctx.ruche, viewer, networkId, checked.input);
  // A group or field this sender cannot pick here (another network's, unknown): said beside the choice of audience.
  if (ids === null)
    return formPage(ctx, values, { audience: checked.input.audience === 'group' ? 'alerts.errors.group' : 'alerts.errors.field' }, 422);
  if (!ids.length) return formPage(ctx, values, { audience: 'alerts.errors.nobody' }, 422);
  const sent = await service(ctx).send(viewer.id, networkId, checked.input, ids);
  if (sent.created)
    await auditAction(ctx, {
      action: 'alerts.send',
      objectType: 'alert',
      objectId: sent.id,
      after: { title: checked.input.title, severity: checked.input.severity, audience: checked.input.audience, recipients: ids.length },
    });
  return { redirect: link(ctx, 'alerts.view', { id: sent.id }), flash: { key: 'alerts.flash.sent', params: { count: ids.length } } };
}

/** The alert's page: its dashboard for those who may send alerts here, the alert itself for its recipients. */
async function viewPage(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const alert = await alertParam(ctx);
  if (maySend(ctx, alert)) return dashboardPage(ctx, alert);
  const s = service(ctx);
  const mine = await s.recipient(alert.id, viewer.id);
  if (!mine) throw notFound();
  await s.markSeen(viewer.id, [alert.id]);
  return {
    view: 'alerts/alert',
    title: alert.title,
    data: {
      alert: { ...alert, severityLabel: t(ctx, `alerts.severity.${alert.severity}`), closed: alert.closed_at !== null },
      updates: await s.updates(alert.id),
      buttons: answerButtons(alert, tr(ctx), mine.answer),
      answered: mine.answer ? t(ctx, `alerts.answer.${mine.answer}`) : null,
      acked: mine.acked_at !== null,
      action: link(ctx, 'alerts.answer', { id: alert.id }),
      here: link(ctx, 'alerts.view', { id: alert.id }),
    },
  };
}

/** The figures, the waiting list and the sender's actions: the dashboard's live part. */
async function dashboardData(ctx: RucheContext, alert: AlertRow): Promise<Record<string, unknown>> {
  const s = service(ctx);
  const [counts, waiting, updates] = await Promise.all([
    s.counts(alert.id),
    s.lines(alert, { waiting: true, limit: WAITING_SHOWN }),
    s.updates(alert.id),
  ]);
  const cards = await personCards(
    ctx,
    waiting.map((w) => w.userId),
  );
  const showEmail = ctx.ruche.permissions.can(ctx.state.viewer ?? null, 'core.admin', alert.network_id);
  const view = countsView(alert, counts, tr(ctx));
  return {
    alert: { ...alert, severityLabel: t(ctx, `alerts.severity.${alert.severity}`), closed: alert.closed_at !== null },
    counts: view,
    waiting: waitingView(waiting, tr(ctx), showEmail, (userId) => cards.get(userId)?.href ?? null),
    waitingMore: Math.max(0, view.waiting - waiting.length),
    updates,
    asks: ANSWER_SETS[alert.answers].length > 0,
    liveHref: link(ctx, 'alerts.live', { id: alert.id }),
    exportHref: link(ctx, 'alerts.export', { id: alert.id }),
    remindAction: link(ctx, 'alerts.remind', { id: alert.id }),
    updateAction: link(ctx, 'alerts.update', { id: alert.id }),
    closeAction: link(ctx, 'alerts.close', { id: alert.id }),
  };
}

async function dashboardPage(ctx: RucheContext, alert: AlertRow, extra: Record<string, unknown> = {}, status = 200): Promise<RouteResult> {
  return {
    view: 'alerts/dashboard',
    title: alert.title,
    status,
    data: { ...(await dashboardData(ctx, alert)), backHref: link(ctx, 'alerts.list'), ...extra },
  };
}

async function live(ctx: RucheContext): Promise<RouteResult> {
  const alert = await sentAlert(ctx);
  return { view: 'alerts/partials/live', layout: false, data: await dashboardData(ctx, alert) };
}

async function answer(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const alert = await alertParam(ctx);
  const s = service(ctx);
  if (!(await s.recipient(alert.id, viewer.id))) throw notFound();
  if (alert.closed_at !== null)
    return { redirect: safeNext(ctx, link(ctx, 'alerts.view', { id: alert.id })), flash: { key: 'alerts.flash.closed', type: 'info' } };
  if (!(await s.answer(alert, viewer.id, field(ctx, 'answer')))) throw new HttpError(422, 'alerts.errors.answer');
  return { redirect: safeNext(ctx, link(ctx, 'alerts.view', { id: alert.id })), flash: 'alerts.flash.answered' };
}

async function remind(ctx: RucheContext): Promise<RouteResult> {
  const alert = await sentAlert(ctx);
  if (alert.closed_at !== null) throw new HttpError(409, 'alerts.errors.closed');
  const n = await service(ctx).remind(alert);
  await auditAction(ctx, { action: 'alerts.remind', objectType: 'alert', objectId: alert.id, after: { reminded: n } });
  return { redirect: link(ctx, 'alerts.view', { id: alert.id }), flash: { key: 'alerts.flash.reminded', params: { count: n } } };
}

async function addUpdate(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const alert = await sentAlert(ctx);
  if (alert.closed_at !== null) throw new HttpError(409, 'alerts.errors.closed');
  const message = field(ctx, 'message').replace(/\r\n?/g, '\n').trim();
  const problem = !message ? 'alerts.errors.messageRequired' : message.length > 4000 ? 'alerts.errors.messageTooLong' : null;
  if (problem) return dashboardPage(ctx, alert, { updateValue: message, updateError: t(ctx, problem) }, 422);
  await service(ctx).addUpdate(alert, viewer.id, message);
  await auditAction(ctx, { action: 'alerts.update', objectType: 'alert', objectId: alert.id, after: { message } });
  return { redirect: link(ctx, 'alerts.view', { id: alert.id }), flash: 'alerts.flash.updated' };
}

async function close(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const alert = await sentAlert(ctx);
  if (await service(ctx).close(alert, viewer.id))
    await auditAction(ctx, { action: 'alerts.close', objectType: 'alert', objectId: alert.id, before: { closed: false }, after: { closed: true } });
  return { redirect: link(ctx, 'alerts.view', { id: alert.id }), flash: 'alerts.flash.closedNow' };
}

async function exportCsv(ctx: RucheContext): Promise<void> {
  const alert = await sentAlert(ctx);
  const showEmail = ctx.ruche.permissions.can(ctx.state.viewer ?? null, 'core.admin', alert.network_id);
  const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
  let out = '\ufeff';
  out += csvLine([
    'member',
    'username',
    ...(showEmail ? ['email'] : []),
    'mail',
    'mail_error',
    'seen_at',
    'acknowledged_at',
    'answer',
    'answered_at',
  ]);
  for (const l of await service(ctx).lines(alert))
    out += csvLine([
      l.displayName,
      l.username,
      ...(showEmail ? [l.email] : []),
      l.mailState,
      l.mailError ?? '',
      iso(l.seenAt),
      iso(l.ackedAt),
      l.answer ?? '',
      iso(l.answeredAt),
    ]);
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="alert-${alert.id}.csv"`);
  ctx.body = out;
}

/** The banners of the member's pending alerts alone (the page script swaps them in live). */
async function bannersFragment(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const base = ctx.state.basePath ?? '';
  const next = queryParam(ctx, 'next');
  const pending = await service(ctx).pending(viewer.id, ctx.state.network.id);
  await service(ctx).markSeen(
    viewer.id,
    pending.filter((p) => p.seen_at === null).map((p) => p.id),
  );
  return {
    view: 'alerts/partials/banners',
    layout: false,
    data: { banners: banners(ctx.ruche, tr(ctx), pending, base, isSafeNext(next, base) ? next : `${base}/`) },
  };
}

const GET = 'GET' as const;
const POST = 'POST' as const;
const ID = ':id';

export const alertsRoutes: RouteDef[] = [
  { name: 'alerts.list', method: GET, path: '/alerts', capability: SEND, handler: listPage },
  { name: 'alerts.new', method: GET, path: '/alerts/new', capability: SEND, handler: (ctx) => formPage(ctx, blankForm()) },
  { name: 'alerts.create', method: POST, path: '/alerts', capability: SEND, handler: create },
  { name: 'alerts.banners', method: GET, path: '/alerts/banners', capability: PARTICIPATE, handler: bannersFragment },
  { name: 'alerts.view', method: GET, path: `/alerts/${ID}`, capability: PARTICIPATE, handler: viewPage },
  { name: 'alerts.live', method: GET, path: `/alerts/${ID}/live`, capability: SEND, handler: live },
  { name: 'alerts.export', method: GET, path: `/alerts/${ID}/export.csv`, capability: SEND, handler: exportCsv },
  { name: 'alerts.answer', method: POST, path: `/alerts/${ID}/answer`, capability: PARTICIPATE, handler: answer },
  { name: 'alerts.remind', method: POST, path: `/alerts/${ID}/remind`, capability: SEND, handler: remind },
  { name: 'alerts.update', method: POST, path: `/alerts/${ID}/updates`, capability: SEND, handler: addUpdate },
  { name: 'alerts.close', method: POST, path: `/alerts/${ID}/close`, capability: SEND, handler: close },
];
