/**
 * The queue's history page (`/moderation/history`): the decisions of the viewer's scope, newest
 * first, filtered by decision and kind, keyset paged. Thin: the reads are in history.ts.
 */
import { cursorParams, cursorPager, HttpError, idParam, link, queryParam, t, titledPage, type RouteDef, type RucheContext } from '../../core';
import { DECISIONS, isDecision, reasonKey, REPORT } from './constants';
import { decidedKinds, HISTORY_CURSOR, historyPage, type HistoryItem } from './history';
import { restore } from './restore';
import { groupLink, groupOf, requireScope } from './routes';

/** A kind's label (`status`, `comment`, `member`…), or the kind itself when no translation names it. */
const kindLabel = (ctx: RucheContext, kind: string): string =>
  ctx.ruche.i18n.has(ctx.state.locale, `moderation.kind.${kind}`) ? t(ctx, `moderation.kind.${kind}`) : kind;

/** Where the hide a restore undid is listed: the history's hides of that kind (the group's, for a group's admin), at its item. */
function hideHref(ctx: RucheContext, i: HistoryItem, group: number | null): string {
  const query = new URLSearchParams({ ...(group ? { group: String(group) } : {}), decision: 'hide', kind: i.kind });
  return `${link(ctx, 'moderation.history')}?${query.toString()}#decision-${i.restores}`;
}

/** An item ready for the template. */
function shown(ctx: RucheContext, i: HistoryItem, group: number | null) {
  return {
    ...i,
    // A restore is shown as one (who showed again what, and which hide it undid), not as a report item.
    decisionLabel: t(ctx, i.restores ? 'moderation.history.restoreLabel' : `moderation.outcome.${i.decision}`),
    restoresHref: i.restores ? hideHref(ctx, i, group) : null,
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

export const historyRoutes: RouteDef[] = [
  {
    name: 'moderation.history',
    method: 'GET',
    path: '/moderation/history',
    capability: REPORT,
    async handler(ctx) {
      const group = groupOf(ctx);
      const scope = await requireScope(ctx, group, 'decided');
      const decision = queryParam(ctx, 'decision');
      const kind = queryParam(ctx, 'kind');
      if (decision && !isDecision(decision)) throw new HttpError(400, 'moderation.errors.decision');
      if (kind.length > 40) throw new HttpError(400, 'moderation.errors.kind');
      const cursor = cursorParams(ctx, ...HISTORY_CURSOR);
      const [page, kinds] = await Promise.all([
        historyPage(ctx, scope, { decision: decision || undefined, kind: kind || undefined }, cursor),
        decidedKinds(ctx, scope),
      ]);
      const groupParam = scope.all ? null : group;
      return titledPage(ctx, 'moderation/history', 'moderation.history.title', {
        items: page.items.map((i) => shown(ctx, i, groupParam)),
        pager: cursorPager(ctx, page, cursor),
        all: scope.all,
        group: groupParam,
        filtered: !!(decision || kind),
        decisions: DECISIONS.map((d) => ({ value: d, label: t(ctx, `moderation.outcome.${d}`), selected: d === decision })),
        kinds: kinds.map((k) => ({ value: k, label: kindLabel(ctx, k), selected: k === kind })),
        action: link(ctx, 'moderation.history'),
        clearHref: groupLink(ctx, 'moderation.history', groupParam),
        queueHref: groupLink(ctx, 'moderation.queue', groupParam),
      });
    },
  },
  {
    name: 'moderation.restore',
    method: 'POST',
    path: '/moderation/history/:id/restore',
    capability: REPORT,
    async handler(ctx) {
      const group = groupOf(ctx);
      const scope = await requireScope(ctx, group, 'decided');
      const done = await restore(ctx, scope, idParam(ctx));
      const back = groupLink(ctx, 'moderation.history', scope.all ? null : group);
      return { redirect: back, flash: done ? 'moderation.flash.restored' : { key: 'moderation.flash.already', type: 'info' } };
    },
  },
];
