/** The core's jobs of webhooks (core/webhooks/webhooks.ts): building an event's deliveries, and sending each. */
import type { JobDef } from '../jobs/runner';
import { WEBHOOK_ATTEMPTS } from './delivery';
import { WEBHOOK_DELIVER_JOB, WEBHOOK_DISPATCH_JOB } from './webhooks';

export const webhookJobs: JobDef[] = [
  {
    kind: WEBHOOK_DISPATCH_JOB,
    maxAttempts: 3,
    handler: (payload, rt, job) => rt.webhooks.fanOut(String(payload.event), payload.hook as { networkId?: number }, job.now),
  },
  { kind: WEBHOOK_DELIVER_JOB, maxAttempts: WEBHOOK_ATTEMPTS, handler: (payload, rt, job) => rt.webhooks.deliver(Number(payload.deliveryId), job) },
];
