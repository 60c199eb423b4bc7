/**
 * The two pages of a list of the plugin (polls, the idea box): the network's at `path`, and a
 * group's at `<path>/in/:containerId`. An id that is not one (`/in/abc`) lists container -1,
 * which no one may see: the list's own check answers it as any unknown container.
 */
import { idParam, notFound, type ContainerStanding, type RouteDef, type RouteResult, type RucheContext } from '../../core';

export function listRoutes(
  names: { network: string; container: string },
  path: string,
  list: (ctx: RucheContext, containerId: number | null) => Promise<RouteResult>,
): RouteDef[] {
  return [
    { name: names.network, method: 'GET', path, public: true, handler: (ctx) => list(ctx, null) },
    {
      name: names.container,
      method: 'GET',
      path: `${path}/in/:containerId`,
      public: true,
      handler: (ctx) => list(ctx, idParam(ctx, 'containerId') || -1),
    },
  ];
}

/**
 * The group a list is narrowed to: a 404 unless it is a live container of this network the
 * viewer may see; its name and address, and the viewer's policy in it (null for a guest).
 */
export async function listedGroup(ctx: RucheContext, containerId: number): Promise<{ name: string; href: string; policy: ContainerStanding | null }> {
  const c = await ctx.ruche.entities.get(containerId);
  if (!c || Number(c.network_id) !== ctx.state.network.id || c.deleted_at !== null) throw notFound();
  const viewer = ctx.state.viewer;
  await ctx.ruche.access.requireVisible(viewer, c);
  const policy = viewer ? await ctx.ruche.containers.policy(viewer, containerId, ctx.state.network.id) : null;
  return { name: policy?.name ?? '', href: policy?.href ?? '', policy };
}
