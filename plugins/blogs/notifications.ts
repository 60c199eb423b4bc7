/**
 * The blogs plugin's notification kind (a new post by someone I follow, linking to it) and
 * the listener that asks for it: followers are the connections plugin's, so the request goes
 * through its `connections:notifyFollowers` event. Unheard without the notifications or the
 * connections plugin; only their hooks.ts files are imported, for types.
 */
import { onEvent, onFilter, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import type {} from '../connections/hooks';
import './hooks';

/** The post's title and excerpt, for the email. */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.entityId ? await rt.db('blog_posts').where({ entity_id: n.entityId }).first('title', 'excerpt') : undefined;
  return row ? [row.title, row.excerpt].filter(Boolean).join('\n') : null;
};

const kinds: NotificationKind[] = [
  { id: 'blogs.published', defaultFrequency: 'daily', excerpt },
  { id: 'blogs.mentioned', defaultFrequency: 'immediately', excerpt },
];

export const blogsNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('blogs:published', (p, rt) =>
    rt.hooks.emit('connections:notifyFollowers', {
      networkId: p.networkId,
      userId: p.authorId,
      notify: { kind: 'blogs.published', actorId: p.authorId, entityId: p.entityId },
    }),
  ),
  // The core mentions a member in a published post they may see (once per post and member).
  onEvent('content:mentioned', ({ networkId, entityId, actorId, userId, source }, rt) =>
    source === 'blog' ? rt.hooks.emit('notifications:notify', { networkId, kind: 'blogs.mentioned', userId, actorId, entityId }) : undefined,
  ),
];
