/** The core's own webhook events: `core.member.joined`, an active account was created in the network (not one waiting for approval). */
import { personPayload, webhookEvent } from './events';

export const coreWebhookEvents = [
  webhookEvent({
    event: 'core.member.joined',
    label: 'core.webhooks.event.memberJoined',
    hook: 'user:created',
    payload: async ({ userId, networkId }, { rt, viewer }) => {
      const network = rt.networks.get(networkId);
      // An account waiting for approval or its address's confirmation has not joined yet.
      const active = await rt.db('users').where({ id: userId, status: 'active' }).first('id');
      if (!network || !active || !(await rt.access.canSeeMemberIn(viewer, userId, network))) return null;
      const member = await personPayload(rt, userId);
      return member && { member };
    },
  }),
];
