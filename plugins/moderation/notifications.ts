/**
 * The moderation plugin's notification kinds: a warning to an author (leading to the warning's
 * page, which cites the charter) and the outcome of a report, told to its reporters when the
 * reviewer chooses to. Neither names the moderator. Unheard without the notifications plugin;
 * only its hooks.ts is imported.
 */
import { onFilter, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';

const warned: NotificationKind = {
  id: 'moderation.warned',
  defaultFrequency: 'immediately',
  async resolve(rt, n, recipient, basePath) {
    const row = await rt
      .db('moderation_warnings')
      .where({ id: n.objectId ?? 0, user_id: recipient.id })
      .first('id');
    return row ? { href: rt.routes.build('moderation.warning', { id: Number(row.id) }, basePath) } : null;
  },
  async excerpt(rt, n) {
    const row = (await rt
      .db('moderation_warnings')
      .where({ id: n.objectId ?? 0 })
      .first('message')) as { message: string } | undefined;
    return row?.message ?? null;
  },
};

const outcome: NotificationKind = {
  id: 'moderation.outcome',
  defaultFrequency: 'daily',
  async resolve(rt, n, _recipient, basePath) {
    const row = (await rt
      .db('moderation_reports')
      .where({ id: n.objectId ?? 0 })
      .first('outcome')) as { outcome: string | null } | undefined;
    if (!row?.outcome) return null;
    return { href: rt.routes.build('moderation.mine', {}, basePath), terms: { outcome: `moderation.outcome.${row.outcome}` } };
  },
};

export const moderationNotifications: HookRegistration[] = [onFilter('notifications:kinds', (list) => [...list, warned, outcome])];
