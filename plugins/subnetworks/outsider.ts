/**
 * On the core's page for a member who does not belong to the network they opened
 * (`outsider:actions`): a "Join <name>" button when the network's policy lets them join by
 * themselves (open, or their verified address at one of its domains).
 */
import { t } from '../../core';
import type { HookFilters, OutsiderAction } from '../../core/hooks/map';
import { SubnetworkService } from './service';

export async function joinOffer(actions: OutsiderAction[], c: HookFilters['outsider:actions']['context']): Promise<OutsiderAction[]> {
  const { ctx, viewer, network } = c;
  if (!viewer) return actions;
  const svc = ctx.ruche.container.resolve(SubnetworkService);
  if (!(await svc.mayJoin(viewer, network))) return actions;
  return [
    ...actions,
    { id: 'subnetworks-join', label: t(ctx, 'subnetworks.join.offer', { name: network.name }), action: `${ctx.state.basePath}/join` },
  ];
}
