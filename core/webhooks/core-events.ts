/** The core's own webhook events. */
import { personPayload, webhookEvent } from './events';

export const coreWebhookEvents = [
  webhookEvent({
    event: 'core.member.joined',
    label: 'core.webhooks.event.memberJoined',
    hook: 'user:created',
    payload: async ({ userId, networkId }, { rt, viewer }) => {
      const network = rt.networks.get(networkId);
      if (!network || !(await rt.access.canSeeMemberIn(viewer, userId, network))) return null;
      const member = await personPayload(rt, userId);
      return member && { member };
    },
  }),
];
