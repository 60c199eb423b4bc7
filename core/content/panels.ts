/**
 * The one way to gather the blocks other plugins show under pieces of content (comments,
 * reactions...): asks the `entity:panels` filter once for a whole list of entities and
 * returns their panels grouped by entity id, in order. Render each list with
 * `{{> core/partials/entity-panels panels=...}}`.
 *
 * The same call asks `entity:actions` for a signed-in, active viewer and puts each entity's
 * actions menu ("Report"...) first among its panels: every card and page showing panels has
 * the menu, with no code of the content plugin's.
 */
import type { RucheContext } from '../http/context';
import type { EntityAction, EntityContext, EntityPanel, EntityRef } from '../hooks/map';

/** The panel id and order of the actions menu: first, before reactions (40) and comments (60). */
export const ACTIONS_PANEL = 'actions';
const ACTIONS_ORDER = 0;

export async function entityPanels(ctx: RucheContext, entities: readonly EntityRef[], mode: 'feed' | 'page'): Promise<Map<number, EntityPanel[]>> {
  const out = new Map<number, EntityPanel[]>();
  if (!entities.length) return out;
  const [panels, actions] = await Promise.all([
    ctx.ruche.hooks.filter('entity:panels', [], {
      ctx,
      networkId: ctx.state.network.id,
      viewer: ctx.state.viewer,
      entities: [...entities],
      mode,
    }),
    actionPanels(ctx, entities, mode),
  ]);
  for (const p of [...panels, ...actions].sort((a, b) => (a.order ?? 50) - (b.order ?? 50))) {
    const list = out.get(p.entityId) ?? [];
    list.push(p);
    out.set(p.entityId, list);
  }
  return out;
}

/**
 * The context lines plugins give of these entities (`entity:context`), by entity id: where an
 * entity is shown away from its page (the moderation queue), what its own plugin says of it.
 * Only for an active viewer; the entities are ones they see.
 */
export async function entityContexts(ctx: RucheContext, entities: readonly EntityRef[]): Promise<Map<number, EntityContext>> {
  const viewer = ctx.state.viewer;
  if (!entities.length || !viewer || viewer.status !== 'active') return new Map();
  const lines = await ctx.ruche.hooks.filter('entity:context', [], { ctx, networkId: ctx.state.network.id, viewer, entities: [...entities] });
  return new Map(lines.map((l) => [l.entityId, l]));
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

/** One `core/partials/entity-actions` panel per entity some plugin offers actions on, for an active viewer. */
async function actionPanels(ctx: RucheContext, entities: readonly EntityRef[], mode: 'feed' | 'page'): Promise<EntityPanel[]> {
  const viewer = ctx.state.viewer;
  if (!viewer || viewer.status !== 'active') return [];
  const networkId = ctx.state.network.id;
  const actions = await ctx.ruche.hooks.filter('entity:actions', [], { ctx, networkId, viewer, entities: [...entities], mode });
  const byEntity = new Map<number, EntityAction[]>();
  for (const a of [...actions].sort((x, y) => (x.order ?? 50) - (y.order ?? 50))) byEntity.set(a.entityId, [...(byEntity.get(a.entityId) ?? []), a]);
  return [...byEntity].map(([entityId, list]) => ({
    entityId,
    id: ACTIONS_PANEL,
    template: 'core/partials/entity-actions',
    data: { entityId, actions: list },
    order: ACTIONS_ORDER,
    versioned: list.every((a) => a.versioned === true),
  }));
}
