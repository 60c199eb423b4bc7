/**
 * Reporting (the forms the "Report" entries lead to), the review queue and its decisions, a
 * member's own reports and the warnings they received. Handlers are thin: the access checks
 * and the writes are in reports.ts, queue.ts and decide.ts.
 */
import {
  back,
  field,
  forbidden,
  HttpError,
  idOf,
  idParam,
  link,
  notFound,
  personCards,
  pieceKind,
  pieceOf,
  queryParam,
  requireMember,
  safeNext,
  t,
  titledPage,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { FILED_BY_RULE, isDecision, isPiece, REASONS, reasonKey, REPORT, REVIEW, type Decision, type TargetType } from './constants';
import { decide, warningProblem, type Decided, type DecisionInput } from './decide';
import { openReports, queueItems, reviewScope, type ReviewScope } from './queue';
import { isSanction, SANCTION_REFUSED, SANCTIONS, sanctionProblem, sanctionsFor, SUSPEND_DAYS } from './sanctions';
import { checkReport, pieceTarget, ReportsService, type Target } from './reports';

const reports = (ctx: RucheContext): ReportsService => ctx.ruche.container.resolve(ReportsService);

interface ReportPage {
  target: Target;
  subject: string;
  kind: string;
}

/** The report form, with the member's input and the problems when refused. */
function reportForm(
  ctx: RucheContext,
  page: ReportPage,
  action: string,
  values: { reason: string; note: string },
  errors: Record<string, string> = {},
  status = 200,
): RouteResult {
  const translated = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(ctx, v)]));
  return {
    ...titledPage(ctx, 'moderation/report', 'moderation.report.title', {
      action,
      subject: page.subject,
      kind: page.kind,
      values,
      errors: translated,
      hasErrors: Object.keys(errors).length > 0,
      reasons: REASONS.map((r) => ({ value: r, label: t(ctx, reasonKey(r)), checked: values.reason === r })),
      next: safeNext(ctx),
    }),
    status,
  };
}

/** Files the report from the form, or shows the form again with what the member typed. */
async function submitReport(ctx: RucheContext, page: ReportPage, action: string): Promise<RouteResult> {
  const values = { reason: field(ctx, 'reason'), note: field(ctx, 'note') };
  const checked = checkReport(values);
  if (!checked.ok) return reportForm(ctx, page, action, values, checked.errors, 422);
  await reports(ctx).report(requireMember(ctx).id, page.target, checked.reason, checked.note);
  return back(ctx, link(ctx, 'moderation.mine'), 'moderation.flash.reported');
}

async function entityPage(ctx: RucheContext): Promise<{ page: ReportPage; action: string }> {
  const { target, entity } = await reports(ctx).entityTarget(requireMember(ctx), ctx.state.network.id, idParam(ctx));
  const owner = (await personCards(ctx, [target.userId])).get(target.userId);
  const kind = t(ctx, 'moderation.report.contentBy', { name: owner?.displayName ?? '?' });
  return { page: { target, subject: kind, kind: entity.type }, action: link(ctx, 'moderation.report.entity', { id: target.id }) };
}

/** The report form of a piece (`/moderation/report/piece/:kind/:id`: a comment, a reply, a message). */
async function piecePage(ctx: RucheContext): Promise<{ page: ReportPage; action: string }> {
  const kind = String(ctx.params.kind ?? '');
  const { target } = await pieceTarget(ctx.ruche, requireMember(ctx), ctx.state.network.id, kind, idParam(ctx), ctx.state.basePath);
  const owner = (await personCards(ctx, [target.userId])).get(target.userId);
  // What is reported, as its plugin names it: a comment, a reply, a message (`subject` of its kind).
  const subject = t(ctx, pieceKind(ctx.ruche, kind).subject, { name: owner?.displayName ?? '?' });
  return { page: { target, subject, kind }, action: link(ctx, 'moderation.report.piece', { kind, id: target.id }) };
}

async function memberPage(ctx: RucheContext): Promise<{ page: ReportPage; action: string }> {
  const username = String(ctx.params.username ?? '');
  const { target, member } = await reports(ctx).memberTarget(requireMember(ctx), ctx.state.network, username);
  const subject = t(ctx, 'moderation.report.member', { name: member.displayName });
  return { page: { target, subject, kind: 'member' }, action: link(ctx, 'moderation.report.member', { username: member.username }) };
}

const blank = { reason: '', note: '' };

const BUTTON_STYLES: Record<Decision, string> = {
  dismiss: 'btn-secondary',
  approve: 'btn-primary',
  hide: 'btn-primary',
  delete: 'btn-danger',
  warn: 'btn-secondary',
  suspend: 'btn-danger',
  ban: 'btn-danger',
};

/** What a refused decision shows again on its item: the problem and what the reviewer typed. */
interface Problem {
  key: string;
  error: string;
  decision: string;
  message: string;
  reason: string;
  days: string;
}

/** The group a queue is narrowed to (`?group=` or the form's `group`), or null. */
export const groupOf = (ctx: RucheContext): number | null => idOf(field(ctx, 'group') || queryParam(ctx, 'group')) || null;

/** The address of a moderation page (`route`), narrowed to `group` (`?group=`) when there is one. */
export const groupLink = (ctx: RucheContext, route: string, group: number | null): string => `${link(ctx, route)}${group ? `?group=${group}` : ''}`;

/** The viewer's scope, or a 403: a reviewer of the network, or an admin of the group(s) concerned (with open reports, or in the history with decisions). */
export async function requireScope(ctx: RucheContext, group: number | null, of: 'open' | 'decided' = 'open'): Promise<ReviewScope> {
  const scope = await reviewScope(ctx.ruche, requireMember(ctx), ctx.state.network.id, group, of);
  if (!scope) throw forbidden();
  return scope;
}

/** Where the decision on a target is posted: an entity's, a piece's (by kind) or a member's address. */
function decisionAction(ctx: RucheContext, type: TargetType, id: number, username: string): string {
  if (type === 'entity') return link(ctx, 'moderation.decide.entity', { id });
  if (isPiece(type)) return link(ctx, 'moderation.decide.piece', { kind: type, id });
  return link(ctx, 'moderation.decide.member', { username });
}

const decisionButton = (ctx: RucheContext, d: Decision) => ({ value: d, label: t(ctx, `moderation.decision.${d}`), style: BUTTON_STYLES[d] });

async function queuePage(ctx: RucheContext, scope: ReviewScope, problem?: Problem): Promise<RouteResult> {
  const items = await queueItems(ctx, scope);
  const group = scope.all ? null : groupOf(ctx);
  const viewer = requireMember(ctx);
  const sanctions = await Promise.all(items.map((i) => sanctionsFor(ctx.ruche, viewer, scope, i.authorId)));
  return {
    ...titledPage(ctx, 'moderation/queue', 'moderation.queue.title', {
      items: items.map((i, n) => ({
        ...i,
        reasons: i.reasons.map((r) => ({ ...r, label: t(ctx, reasonKey(r.reason)) })),
        buttons: i.decisions.filter((d) => d !== 'warn').map((d) => decisionButton(ctx, d)),
        mayWarn: i.decisions.includes('warn'),
        sanctions: sanctions[n].map((d) => decisionButton(ctx, d)),
        sanctionLabel: t(ctx, sanctions[n].includes('suspend') ? 'moderation.sanction.open' : 'moderation.sanction.openBan', {
          name: i.author?.displayName ?? '?',
        }),
        // The period only where a suspension is offered.
        periods: (sanctions[n].includes('suspend') ? SUSPEND_DAYS : []).map((d) => ({
          value: String(d),
          label: t(ctx, d ? 'moderation.sanction.days' : 'moderation.sanction.untilReactivated', { count: d }),
          selected: problem?.key === i.key ? problem.days === String(d) : d === 7,
        })),
        action: decisionAction(ctx, i.type, i.id, i.username),
        problem:
          problem?.key === i.key ? { ...problem, warn: problem.decision === 'warn', sanction: SANCTIONS.some((s) => s === problem.decision) } : null,
      })),
      group,
      all: scope.all,
      historyHref: groupLink(ctx, 'moderation.history', group),
    }),
    status: problem ? 422 : 200,
  };
}

/** The scope a decision on this target is taken in: the network's reviewer, else the admin of the entity's group (a piece's: its entity's). */
async function decisionScope(ctx: RucheContext, type: TargetType, id: number): Promise<ReviewScope> {
  const viewer = requireMember(ctx);
  const networkId = ctx.state.network.id;
  if (ctx.ruche.permissions.can(viewer, REVIEW, networkId)) return { networkId, all: true, containerIds: [] };
  const piece = isPiece(type) && ctx.ruche.plugins.pieceKind(type) ? await pieceOf(ctx.ruche, type, id) : undefined;
  const entityId = type === 'entity' ? id : (piece?.entityId ?? null);
  const entity = entityId ? await ctx.ruche.entities.get(entityId) : undefined;
  return requireScope(ctx, entity?.container_id ? Number(entity.container_id) : -1);
}

/** The report form of one kind of target (GET `name`) and its submission (POST `name.submit`). */
function reportRoutes(name: string, path: string, load: (ctx: RucheContext) => Promise<{ page: ReportPage; action: string }>): RouteDef[] {
  return [
    {
      name,
      method: 'GET',
      path,
      capability: REPORT,
      async handler(ctx) {
        const { page, action } = await load(ctx);
        return reportForm(ctx, page, action, blank);
      },
    },
    {
      name: `${name}.submit`,
      method: 'POST',
      path,
      capability: REPORT,
      async handler(ctx) {
        const { page, action } = await load(ctx);
        return submitReport(ctx, page, action);
      },
    },
  ];
}

/** The i18n key of what is wrong with the decision's form, or null; a sanction the viewer may not take is a 403. */
async function decisionProblem(ctx: RucheContext, scope: ReviewScope, d: DecisionInput): Promise<string | null> {
  if (d.decision === 'warn') return warningProblem(d.message);
  if (!isSanction(d.decision)) return null;
  const reported = (await openReports(ctx.ruche, scope, d).first('target_user_id')) as { target_user_id: number } | undefined;
  // Nothing open: decide() answers as for any decision (dealt with already, or a 404).
  if (!reported) return null;
  if (!(await sanctionsFor(ctx.ruche, requireMember(ctx), scope, Number(reported.target_user_id))).includes(d.decision)) {
    // A decision racing this one (a double submit) may have closed the reports and sanctioned the member
    // between the two reads: nothing open any more, decide() answers as the first did.
    if (!(await openReports(ctx.ruche, scope, d).first('target_user_id'))) return null;
    throw forbidden();
  }
  return sanctionProblem(d.decision, d.sanction!);
}

/** The decision taken (audited in its transaction), or the i18n key of a sanction refused there (nothing was kept). */
async function decided(ctx: RucheContext, scope: ReviewScope, input: DecisionInput): Promise<Decided | string> {
  try {
    return await decide(ctx, scope, input);
  } catch (e) {
    if (e instanceof HttpError && e.messageKey === SANCTION_REFUSED) return e.messageKey;
    throw e;
  }
}

/** Takes the reviewer's decision on a target from the queue's form (audited in its transaction), then tells who should know. */
async function decideOn(ctx: RucheContext, type: TargetType, id: number): Promise<RouteResult> {
  if (!id) throw notFound();
  const decision = field(ctx, 'decision');
  const scope = await decisionScope(ctx, type, id);
  const typed = { key: `${type}-${id}`, decision, message: field(ctx, 'message'), reason: field(ctx, 'reason'), days: field(ctx, 'days') };
  if (!isDecision(decision)) return queuePage(ctx, scope, { ...typed, error: t(ctx, 'moderation.errors.decision') });
  const input: DecisionInput = { type, id, decision, message: typed.message, sanction: { reason: typed.reason, days: typed.days } };
  const problem = await decisionProblem(ctx, scope, input);
  if (problem) return queuePage(ctx, scope, { ...typed, error: t(ctx, problem) });
  const done = await decided(ctx, scope, input);
  if (typeof done === 'string') return queuePage(ctx, scope, { ...typed, error: t(ctx, done) });
  const queueHref = groupLink(ctx, 'moderation.queue', groupOf(ctx));
  if (!done.done) return { redirect: queueHref, flash: { key: 'moderation.flash.already', type: 'info' } };
  const networkId = ctx.state.network.id;
  if (done.warningId)
    await ctx.ruche.hooks.emit('notifications:notify', {
      networkId,
      kind: 'moderation.warned',
      userId: done.authorId,
      actorId: null,
      objectId: done.warningId,
      groupKey: `moderation.warned:${done.warningId}`,
    });
  if (field(ctx, 'tell') === '1')
    await ctx.ruche.hooks.emit('notifications:notify', {
      networkId,
      kind: 'moderation.outcome',
      userIds: done.reporterIds,
      actorId: null,
      objectId: done.reportId,
      groupKey: `moderation.outcome:${done.reportId}`,
    });
  return { redirect: queueHref, flash: `moderation.flash.decided.${decision}` };
}

/** The form a decision on one kind of target is posted to; `target` reads the target's id from the address (0: unknown). */
function decisionRoute(name: string, path: string, type: TargetType, target: (ctx: RucheContext) => Promise<number>): RouteDef {
  return { name, method: 'POST', path, capability: REPORT, handler: async (ctx) => decideOn(ctx, type, await target(ctx)) };
}

export const moderationRoutes: RouteDef[] = [
  ...reportRoutes('moderation.report.entity', '/moderation/report/entity/:id', entityPage),
  ...reportRoutes('moderation.report.member', '/moderation/report/member/:username', memberPage),
  ...reportRoutes('moderation.report.piece', '/moderation/report/piece/:kind/:id', piecePage),
  {
    name: 'moderation.queue',
    method: 'GET',
    path: '/moderation',
    capability: REPORT,
    async handler(ctx) {
      return queuePage(ctx, await requireScope(ctx, groupOf(ctx)));
    },
  },
  decisionRoute('moderation.decide.entity', '/moderation/entities/:id/decide', 'entity', async (ctx) => idParam(ctx)),
  {
    name: 'moderation.decide.piece',
    method: 'POST',
    path: '/moderation/pieces/:kind/:id/decide',
    capability: REPORT,
    // An unknown kind is a 404, as an unknown id.
    handler: async (ctx) => {
      const kind = String(ctx.params.kind ?? '');
      return decideOn(ctx, kind, ctx.ruche.plugins.pieceKind(kind) ? idParam(ctx) : 0);
    },
  },
  decisionRoute('moderation.decide.member', '/moderation/members/:username/decide', 'member', async (ctx) => {
    const member = await ctx.ruche.users.activeMember(ctx.state.network.id, String(ctx.params.username ?? ''));
    return member?.id ?? 0;
  }),
  {
    name: 'moderation.mine',
    method: 'GET',
    path: '/moderation/mine',
    capability: REPORT,
    async handler(ctx) {
      const viewer = requireMember(ctx);
      const rows = (await ctx.ruche
        .db('moderation_reports')
        .where({ network_id: ctx.state.network.id, reporter_id: viewer.id })
        .whereNotIn('reason', FILED_BY_RULE)
        .orderBy('created_at', 'desc')
        .limit(50)
        .select('target_type', 'target_user_id', 'reason', 'created_at', 'outcome')) as {
        target_type: string;
        target_user_id: number;
        reason: string;
        created_at: number;
        outcome: string | null;
      }[];
      const people = await personCards(
        ctx,
        rows.map((r) => Number(r.target_user_id)),
      );
      const list = rows.map((r) => ({
        what: t(ctx, r.target_type === 'member' ? 'moderation.report.member' : 'moderation.report.contentBy', {
          name: people.get(Number(r.target_user_id))?.displayName ?? '?',
        }),
        reason: t(ctx, reasonKey(r.reason)),
        at: Number(r.created_at),
        status: t(ctx, r.outcome ? `moderation.outcome.${r.outcome}` : 'moderation.mine.open'),
      }));
      return titledPage(ctx, 'moderation/mine', 'moderation.mine.title', { reports: list });
    },
  },
  {
    name: 'moderation.warning',
    method: 'GET',
    path: '/moderation/warnings/:id',
    capability: REPORT,
    async handler(ctx) {
      const viewer = requireMember(ctx);
      const row = (await ctx.ruche
        .db('moderation_warnings')
        .where({ id: idParam(ctx), user_id: viewer.id, network_id: ctx.state.network.id })
        .first('message', 'created_at')) as { message: string; created_at: number } | undefined;
      if (!row) throw notFound();
      return titledPage(ctx, 'moderation/warning', 'moderation.warning.title', { message: row.message, at: Number(row.created_at) });
    },
  },
];
