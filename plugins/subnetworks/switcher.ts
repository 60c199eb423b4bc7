/**
 * The network switcher: in the signed-in member's menu (`menu:user`), one entry per other
 * network they belong to, and "All my networks" (the feed across them), shown once they
 * belong to more than one network. Read from the viewer's roles: no query.
 */
import { link, t, type MenuItem, type ViewContext } from '../../core';
import { SubnetworkService } from './service';

export async function networkSwitcher(items: MenuItem[], c: ViewContext): Promise<MenuItem[]> {
  const { ctx, viewer } = c;
  if (!viewer || viewer.status !== 'active') return items;
  const svc = ctx.ruche.container.resolve(SubnetworkService);
  const mine = svc.myNetworks(viewer);
  if (mine.length < 2) return items;
  const others = mine
    .filter((n) => n.id !== c.networkId)
    .map((n, i) => ({
      id: `subnetworks-${n.slug}`,
      label: t(ctx, 'subnetworks.switcher.goTo', { name: n.name }),
      href: `${svc.baseUrl(ctx, n)}/`,
      order: 60 + i / 100,
    }));
  const all = {
    id: 'subnetworks-all',
    label: t(ctx, 'subnetworks.switcher.all'),
    href: link(ctx, 'subnetworks.feed'),
    order: 59,
    active: ctx.state.routeName === 'subnetworks.feed',
  };
  return [...items, all, ...others].sort((a, b) => a.order - b.order);
}
