import { notFound, type ContainerStanding, type RucheContext } from '../../core';

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
