/**
 * The URL of any entity, built by the core from the `viewRoute` its type declares in its
 * plugin's manifest (`entities: [{ type, viewRoute: 'blogs.view' }]`, a route taking `:id`).
 * Notifications, tag pages, search... link to any kind of content without knowing the
 * plugins that define them.
 */
import type { Viewer } from '../auth/viewer';
import type { Runtime } from '../runtime';

export type EntityLinkRuntime = Pick<Runtime, 'plugins' | 'pluginState' | 'routes'>;

/**
 * Path of the entity's page under `basePath`, or null when its type declares no view route
 * or the plugin that owns it is disabled in the entity's network (when known).
 */
export function entityHref(rt: EntityLinkRuntime, entity: { id: number; type: string; network_id?: number }, basePath = ''): string | null {
  const def = rt.plugins.entityType(entity.type);
  if (!def?.viewRoute) return null;
  if (entity.network_id !== undefined && !rt.pluginState.isEnabled(def.pluginId, Number(entity.network_id))) return null;
  try {
    return rt.routes.build(def.viewRoute, { id: entity.id }, basePath);
  } catch {
    return null; // the route belongs to a plugin absent from this app
  }
}

/** The entity's path when `viewer` may see it now (not deleted, access checked), else null. */
export async function visibleEntityHref(
  rt: EntityLinkRuntime & Pick<Runtime, 'entities' | 'access'>,
  entityId: number | null | undefined,
  viewer: Viewer | null,
  basePath = '',
): Promise<string | null> {
  if (!entityId) return null;
  const e = await rt.entities.get(entityId);
  if (!e || !(await rt.access.canSee(viewer, e))) return null;
  return entityHref(rt, { id: Number(e.id), type: String(e.type), network_id: Number(e.network_id) }, basePath);
}
