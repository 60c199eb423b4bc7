/**
 * The audit page's links to decisions (the core's `audit:links`): a decision's audit entry
 * records its row of the history (`ref`: decide.ts, restore.ts), and the entry links to that
 * decision's page (`/moderation/history/:id`, history-routes.ts) for the viewers that page lets
 * in, checked as it checks them: the plugin enabled in the entry's network, `moderation.report`
 * there, and the decision in the viewer's scope — the network's reviewers, or a group's admins
 * for their group's decisions (the page's `?group=`). Anyone else reads the entry without a link.
 */
import { link, networkUrl, t, type FilterHandler, type RucheContext } from '../../core';
import { REPORT, REVIEW } from './constants';
import { reviewScope } from './queue';

const ACTION = /^moderation\.(?!words\.)/;

/** The decision's page in its network: the request's own base path there, the network's address elsewhere. */
function decisionHref(ctx: RucheContext, networkId: number, id: number, group: number | null): string | null {
  const query = group === null ? '' : `?group=${group}`;
  if (networkId === ctx.state.network.id) return `${link(ctx, 'moderation.decision', { id })}${query}`;
  const network = ctx.ruche.networks.get(networkId);
  if (!network) return null;
  return `${networkUrl(ctx.ruche.config.siteUrl, network)}${ctx.ruche.routes.build('moderation.decision', { id }, '')}${query}`;
}

export const auditLinks: FilterHandler<'audit:links'> = async (links, { ctx, viewer, entries }, rt) => {
  const mine = entries.filter((e) => ACTION.test(e.action) && e.networkId !== null && e.ref !== null && /^\d{1,15}$/.test(e.ref));
  if (!mine.length) return links;
  const rows = (await rt
    .db('moderation_decisions')
    .whereIn(
      'id',
      mine.map((e) => Number(e.ref)),
    )
    .select('id', 'network_id', 'container_id')) as { id: number; network_id: number; container_id: number | null }[];
  const decisions = new Map(rows.map((r) => [Number(r.id), r]));
  const out = new Map(links);
  for (const e of mine) {
    const d = decisions.get(Number(e.ref));
    const networkId = e.networkId!;
    if (!d || Number(d.network_id) !== networkId) continue;
    if (!rt.pluginState.isEnabled('moderation', networkId) || !rt.permissions.can(viewer, REPORT, networkId)) continue;
    // The page's scope: every decision of the network for its reviewers, else their group's for a group's admins.
    const group = rt.permissions.can(viewer, REVIEW, networkId) ? null : d.container_id === null ? undefined : Number(d.container_id);
    if (group === undefined || (group !== null && !(await reviewScope(rt, viewer, networkId, group, 'decided')))) continue;
    const href = decisionHref(ctx, networkId, Number(d.id), group);
    if (href) out.set(e.id, { href, label: t(ctx, 'moderation.audit.decisionLink') });
  }
  return out;
};
