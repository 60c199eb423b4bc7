/**
 * The one way to gather the blocks other plugins show under pieces of content (comments,
 * reactions...): asks the `entity:panels` filter once for a whole list of entities and
 * returns their panels grouped by entity id, in order. Render each list with
 * `{{> core/partials/entity-panels panels=...}}`.
 */
import type { RucheContext } from '../http/context';
import type { EntityPanel, EntityRef } from '../hooks/map';

export async function entityPanels(ctx: RucheContext, entities: readonly EntityRef[], mode: 'feed' | 'page'): Promise<Map<number, EntityPanel[]>> {
  const out = new Map<number, EntityPanel[]>();
  if (!entities.length) return out;
  const panels = await ctx.ruche.hooks.filter('entity:panels', [], {
    ctx,
    networkId: ctx.state.network.id,
    viewer: ctx.state.viewer,
    entities: [...entities],
    mode,
  });
  for (const p of [...panels].sort((a, b) => (a.order ?? 50) - (b.order ?? 50))) {
    const list = out.get(p.entityId) ?? [];
    list.push(p);
    out.set(p.entityId, list);
  }
  return out;
}

/** An entity row (snake_case, as read from `entities`) as the panels hook wants it. */
export function entityRef(e: {
  id: number;
  type: string;
  owner_id: number;
  network_id: number;
  container_id: number | null;
  access: string;
}): EntityRef {
  return {
    id: Number(e.id),
    type: e.type,
    ownerId: Number(e.owner_id),
    networkId: Number(e.network_id),
    containerId: e.container_id === null ? null : Number(e.container_id),
    access: e.access,
  };
}
