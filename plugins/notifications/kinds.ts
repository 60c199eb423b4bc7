/**
 * The built-in notification kinds, registered through `notifications:kinds` like any other
 * plugin's: each links to its item for the recipient and re-checks, at display and email
 * time, that the recipient may still see it. A kind is offered only where the plugin it
 * belongs to is enabled.
 */
import type { Runtime, Viewer } from '../../core';
import type { NotificationKind, NotificationRef } from './hooks';

type Resolved = Promise<{ href: string } | null>;

/** Entity type → route taking `:id`, for the types the built-in plugins define. */
export const ENTITY_ROUTES: Record<string, string> = {
  status: 'activity.status.view',
  blog_post: 'blogs.view',
  group: 'groups.view',
  topic: 'discussions.view',
};

function build(rt: Runtime, route: string, params: Record<string, unknown>, basePath: string): string | null {
  try {
    return rt.routes.build(route, params, basePath);
  } catch {
    return null;
  }
}

/** The entity when the recipient may see it now (not deleted, access re-checked). */
async function seen(rt: Runtime, id: number | null, recipient: Viewer): Promise<{ id: number; type: string; network_id: number } | null> {
  if (!id) return null;
  const e = await rt.entities.get(id);
  if (!e || !(await rt.access.canSee(recipient, e))) return null;
  return { id: Number(e.id), type: String(e.type), network_id: Number(e.network_id) };
}

/** Link to any visible entity, through the entity-routes map (other plugins add theirs). */
async function entityLink(rt: Runtime, n: NotificationRef, recipient: Viewer, basePath: string, anchor = ''): Resolved {
  const e = await seen(rt, n.entityId, recipient);
  if (!e) return null;
  const routes = await rt.hooks.filter('notifications:entityRoutes', { ...ENTITY_ROUTES }, { networkId: n.networkId });
  const route = routes[e.type];
  const href = route ? build(rt, route, { id: e.id }, basePath) : null;
  return href ? { href: href + anchor } : null;
}

/** The actor still exists and is active (their profile or request makes sense). */
async function activeActor(rt: Runtime, n: NotificationRef): Promise<{ username: string } | null> {
  if (!n.actorId) return null;
  const u = (await rt.db('users').where({ id: n.actorId, status: 'active' }).first('username')) as { username: string } | undefined;
  return u ?? null;
}

const comment = async (rt: Runtime, n: NotificationRef, recipient: Viewer, basePath: string): Resolved => {
  const c = n.objectId
    ? ((await rt.db('comments').where({ id: n.objectId }).whereNull('deleted_at').first('id')) as { id: number } | undefined)
    : undefined;
  return c ? entityLink(rt, n, recipient, basePath, `#comment-${n.objectId}`) : null;
};

const reply = async (rt: Runtime, n: NotificationRef, recipient: Viewer, basePath: string): Resolved => {
  if (!(await seen(rt, n.entityId, recipient))) return null;
  const r = n.objectId
    ? ((await rt.db('discussion_replies').where({ id: n.objectId, topic_id: n.entityId }).whereNull('deleted_at').first('id')) as
        { id: number } | undefined)
    : undefined;
  const href = r ? build(rt, 'discussions.reply.view', { id: n.objectId }, basePath) : null;
  return href ? { href } : null;
};

const kind = (id: string, defaultFrequency: NotificationKind['defaultFrequency'], resolve: NotificationKind['resolve']): NotificationKind => {
  const key = id.replace('.', '_');
  return {
    id,
    plugin: id.split('.')[0],
    label: `notifications.kinds.${key}.label`,
    sentence: `notifications.kinds.${key}.sentence`,
    defaultFrequency,
    resolve,
  };
};

export const BUILTIN_KINDS: NotificationKind[] = [
  kind('activity.mentioned', 'immediately', entityLink),
  kind('activity.announced', 'daily', entityLink),
  kind('comments.created', 'immediately', comment),
  kind('comments.replied', 'immediately', comment),
  kind('likes.reacted', 'daily', entityLink),
  kind('connections.requested', 'immediately', async (rt, n, _r, basePath) =>
    (await activeActor(rt, n)) ? hrefOf(build(rt, 'connections.home', {}, basePath)) : null,
  ),
  kind('connections.accepted', 'immediately', async (rt, n, _r, basePath) => {
    const actor = await activeActor(rt, n);
    return actor ? hrefOf(build(rt, 'profiles.view', { username: actor.username }, basePath)) : null;
  }),
  kind('groups.invited', 'immediately', async (rt, n, _r, basePath) => {
    // The invitation itself tells the recipient the group exists (even a secret one).
    const g = n.entityId ? await rt.entities.get(n.entityId) : undefined;
    return g && !g.deleted_at ? hrefOf(build(rt, 'groups.view', { id: n.entityId }, basePath)) : null;
  }),
  kind('groups.requested', 'immediately', async (rt, n, r, basePath) =>
    (await seen(rt, n.entityId, r)) ? hrefOf(build(rt, 'groups.members', { id: n.entityId }, basePath)) : null,
  ),
  kind('groups.approved', 'immediately', entityLink),
  kind('discussions.replied', 'immediately', reply),
  kind('discussions.answered', 'immediately', reply),
  kind('blogs.published', 'daily', entityLink),
];

const hrefOf = (href: string | null): { href: string } | null => (href ? { href } : null);

/** The `notifications:kinds` handler; the service drops kinds whose `plugin` is disabled in the network. */
export const builtinKinds = (list: NotificationKind[]): NotificationKind[] => [...list, ...BUILTIN_KINDS];
