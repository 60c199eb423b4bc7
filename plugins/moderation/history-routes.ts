/**
 * The queue's history page (`/moderation/history`): the decisions of the viewer's scope, newest
 * first, filtered by decision and kind, keyset paged. Thin: the reads are in history.ts.
 */
import {
  back,
  cursorParams,
  cursorPager,
  HttpError,
  idParam,
  link,
  notFound,
  queryParam,
  t,
  titledPage,
  type RouteDef,
  type RucheContext,
} from '../../core';
import { DECISIONS, isDecision, reasonKey, REPORT } from './constants';
import { decisions, HISTORY_CURSOR, historyDecision, historyPage, type HistoryItem } from './history';
import { restore } from './restore';
import type { ReviewScope } from './queue';
import { groupLink, groupOf, requireScope } from './routes';

/** A kind's label (`status`, `comment`, `member`…), or the kind itself when no translation names it. */
const kindLabel = (ctx: RucheContext, kind: string): string =>
  ctx.ruche.i18n.has(ctx.state.locale, `moderation.kind.${kind}`) ? t(ctx, `moderation.kind.${kind}`) : kind;

/** A decision's permalink (`/moderation/history/:id`, the group's for a group's admin): the same page on every page of the history. */
const decisionHref = (ctx: RucheContext, id: number, group: number | null): string =>
  `${link(ctx, 'moderation.decision', { id })}${group ? `?group=${group}` : ''}`;

/** An item ready for the template (`moderation/partials/decision`). */
function shown(ctx: RucheContext, i: HistoryItem, group: number | null) {
  return {
    ...i,
    group,
    href: decisionHref(ctx, i.id, group),
    // A restore is shown as one (who showed again what, and which hide it undid), not as a report item.
    decisionLabel: t(ctx, i.restores ? 'moderation.history.restoreLabel' : `moderation.outcome.${i.decision}`),
    restoresHref: i.restores ? decisionHref(ctx, i.restores, group) : null,
    // A hide shown again: its restore's permalink (none for a restore taken before restores were recorded).
    restoredHref: i.restored?.id ? decisionHref(ctx, i.restored.id, group) : null,
    kindLabel: kindLabel(ctx, i.kind),
    reasons: i.reasons.map((r) => ({ ...r, label: t(ctx, reasonKey(r.reason)) })),
    // Where it still exists: deleted content is not quoted again.
    content: i.now.deleted ? null : i.now.content,
    member: i.type === 'member',
    restoreAction: i.restorable ? link(ctx, 'moderation.restore', { id: i.id }) : null,
    // A hide whose content was deleted since: say it cannot be shown again.
    lost: i.decision === 'hide' && i.restored === null && i.now.deleted && i.type !== 'member',
  };
}

/** The viewer's scope in the history (a 403 when none), and the group its links carry: the one named, for who does not review the whole network. */
async function historyScope(ctx: RucheContext): Promise<{ scope: ReviewScope; group: number | null }> {
  const group = groupOf(ctx);
  const scope = await requireScope(ctx, group, 'decided');
  return { scope, group: scope.all ? null : group };
}

export const historyRoutes: RouteDef[] = [
  {
    name: 'moderation.history',
    method: 'GET',
    path: '/moderation/history',
    capability: REPORT,
    async handler(ctx) {
      const { scope, group } = await historyScope(ctx);
      const decision = queryParam(ctx, 'decision');
      const kind = queryParam(ctx, 'kind');
      if (decision && !isDecision(decision)) throw new HttpError(400, 'moderation.errors.decision');
      if (kind.length > 40) throw new HttpError(400, 'moderation.errors.kind');
      const cursor = cursorParams(ctx, ...HISTORY_CURSOR);
      const [page, kinds] = await Promise.all([
        historyPage(ctx, scope, { decision: decision || undefined, kind: kind || undefined }, cursor),
        decisions(ctx).kinds(scope),
      ]);
      return titledPage(ctx, 'moderation/history', 'moderation.history.title', {
        items: page.items.map((i) => shown(ctx, i, group)),
        pager: cursorPager(ctx, page, cursor),
        all: scope.all,
        group,
        filtered: !!(decision || kind),
        decisions: DECISIONS.map((d) => ({ value: d, label: t(ctx, `moderation.outcome.${d}`), selected: d === decision })),
        kinds: kinds.map((k) => ({ value: k, label: kindLabel(ctx, k), selected: k === kind })),
        action: link(ctx, 'moderation.history'),
        clearHref: groupLink(ctx, 'moderation.history', group),
        queueHref: groupLink(ctx, 'moderation.queue', group),
      });
    },
  },
  {
    // One decision, at its permalink: what a restore links to, whatever page of the history it is on now. The history's access.
    name: 'moderation.decision',
    method: 'GET',
    path: '/moderation/history/:id',
    capability: REPORT,
    async handler(ctx) {
      const { scope, group } = await historyScope(ctx);
      const item = await historyDecision(ctx, scope, idParam(ctx));
      // Of another network, of a group the viewer does not run, or unknown: the same 404.
      if (!item) throw notFound();
      const one = shown(ctx, item, group);
      return titledPage(ctx, 'moderation/decision', 'moderation.history.one', {
        // Shown again from here, the reviewer comes back here.
        item: { ...one, next: one.href },
        historyHref: groupLink(ctx, 'moderation.history', group),
      });
    },
  },
  {
    name: 'moderation.restore',
    method: 'POST',
    path: '/moderation/history/:id/restore',
    capability: REPORT,
    async handler(ctx) {
      const { scope, group } = await historyScope(ctx);
      const done = await restore(ctx, scope, idParam(ctx));
      // Back to the history, or to the decision's page the form was on (its `next`).
      return back(
        ctx,
        groupLink(ctx, 'moderation.history', group),
        done ? 'moderation.flash.restored' : { key: 'moderation.flash.already', type: 'info' },
      );
    },
  },
];
