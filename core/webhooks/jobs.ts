/** The core's job delivering webhooks (core/webhooks/webhooks.ts `deliver`). */
import type { JobDef } from '../jobs/runner';
import { WEBHOOK_ATTEMPTS } from './delivery';
import { WEBHOOK_DELIVER_JOB } from './webhooks';

export const webhookDeliverJob: JobDef = {
  kind: WEBHOOK_DELIVER_JOB,
  maxAttempts: WEBHOOK_ATTEMPTS,
  handler: (payload, rt, job) => rt.webhooks.deliver(Number(payload.deliveryId), job),
};
