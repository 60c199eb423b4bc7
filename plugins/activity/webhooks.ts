/** The activity plugin's webhook events: a status post was published (with its text, when the subscriber's network may see it). */
import { entityPayload, webhookEvent } from '../../core';
import './hooks';

export const activityWebhooks = [
  webhookEvent({
    event: 'activity.posted',
    label: 'activity.webhooks.posted',
    hook: 'activity:posted',
    payload: async ({ entityId }, ctx) => {
      const post = await entityPayload(ctx, entityId);
      if (!post) return null;
      const row = (await ctx.rt.db('status_posts').where({ entity_id: entityId }).first('body')) as { body: string } | undefined;
      return { post: { ...post, body: row?.body ?? '' } };
    },
  }),
];
