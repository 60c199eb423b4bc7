/**
 * An entity's own page kept by version (issue 18): like a feed card (plugins/activity/kept-cards.ts),
 * a part of the page that is a function of the entity's row and version (`entities.version`, bumped by
 * every write of what the part shows: core/content/card-versions.ts) is taken from the fragment cache
 * before what it shows is read. `keptPageFacts` gives what such a key holds besides the entity:
 *  - `shared`: the in-memory caches' stamp (networks, plugins' settings, grants), the members' card
 *    version (names, avatars, statuses) and the network — for a part every viewer sees alike;
 *  - `viewer`: those, the page's address and the viewer (who, status, roles, time zone) — for a part
 *    holding the viewer's own (my reaction, may I edit, the comment form): never another viewer's.
 * The theme, the locale and the base path are always part of a fragment's key (core/cache/fragments.ts).
 */
import type { RucheContext } from '../http/context';
import { renderEnv } from '../http/render';
import type { KeptFragment } from '../cache/fragments';
import { membersCardVersion } from './card-versions';

export interface KeptPageFacts {
  shared: unknown[];
  viewer: unknown[];
}

/** The facts of this request a kept part's key holds; null while a cache reloads (the data read may be either side of it). */
export async function keptPageFacts(ctx: RucheContext): Promise<KeptPageFacts | null> {
  const rt = ctx.ruche;
  if (!rt.views.fragments.enabled) return null;
  const stamp = rt.caches.stamp();
  if (stamp === null) return null;
  const shared = [stamp, await membersCardVersion(rt.db), ctx.state.network.id];
  const v = ctx.state.viewer;
  const viewer = v ? [v.id, v.status, v.isRootAdmin, v.roles, v.timeZone ?? null, v.isBot ?? false, v.containers ?? null] : null;
  return { shared, viewer: [...shared, ctx.originalUrl, viewer] };
}

/** The fragment kept for partial `name` under `key` in this request's theme, locale and base path; undefined when none. */
export function takeKept(ctx: RucheContext, name: string, key: unknown): KeptFragment | undefined {
  return ctx.ruche.views.fragments.take(ctx.state.network.theme, name, renderEnv(ctx), key);
}
