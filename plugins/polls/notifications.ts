/**
 * The idea box's notification kind: an idea's status changed (told to its author and its
 * voters), naming the new status; it links to the idea while the recipient may see it.
 * Unheard without the notifications plugin; only its hooks.ts is imported, as types.
 */
import { onFilter, visibleEntityHref, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';

const resolve: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  const href = n.entityId ? await visibleEntityHref(rt, n.entityId, recipient, basePath) : null;
  if (!href) return null;
  const row = await rt.db('polls_ideas').where({ entity_id: n.entityId }).first('status');
  return row ? { href, terms: { status: `polls.ideas.status.${String(row.status)}` } } : null;
};

/** The idea's title and the managers' reply, for the email. */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.entityId ? await rt.db('polls_ideas').where({ entity_id: n.entityId }).first('title', 'reply') : undefined;
  return row ? [row.title, row.reply].filter(Boolean).join('\n') : null;
};

const kinds: NotificationKind[] = [{ id: 'polls.ideaStatus', defaultFrequency: 'immediately', resolve, excerpt }];

export const pollsNotifications: HookRegistration[] = [onFilter('notifications:kinds', (list) => [...list, ...kinds])];
