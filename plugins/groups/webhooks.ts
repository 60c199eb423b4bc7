/** The groups plugin's webhook events: a group was created (when the subscriber's network may see it: never a secret group). */
import { entityPayload, webhookEvent } from '../../core';
import './hooks';

export const groupsWebhooks = [
  webhookEvent({
    event: 'groups.created',
    label: 'groups.webhooks.created',
    hook: 'groups:created',
    payload: async ({ groupId }, ctx) => {
      const entity = await entityPayload(ctx, groupId);
      if (!entity) return null;
      const row = (await ctx.rt.db('groups').where({ entity_id: groupId }).first('name', 'handle', 'description', 'visibility', 'category')) as
        { name: string; handle: string; description: string; visibility: string; category: string } | undefined;
      return row ? { group: { ...entity, ...row } } : null;
    },
  }),
];
