/**
 * The webhooks service (`rt.webhooks`): a network's subscriptions of URLs to the events the
 * core and plugins declare (`webhooks` in a manifest, events.ts), and their deliveries.
 * Admins subscribe from `/admin/webhooks`; plugin code calls `subscribe` with its own id as
 * `owner`. Each change is written to the audit log. When a declared event fires in a network
 * where webhooks subscribe to it, a job (`core.webhook.dispatch`) builds its payload for that
 * network's scope (access checked) and queues one delivery per subscribed, active webhook of
 * that network (`core.webhook.deliver` jobs).
 */
import type { Knex } from 'knex';
import type { AuditEntry } from '../audit/audit-log';
import type { JobContext } from '../jobs/runner';
import type { Runtime } from '../runtime';
import { parseWebhookUrl, resolveTarget, WebhookAddressError } from './address-guard';
import { attemptDelivery, WEBHOOK_ATTEMPTS } from './delivery';
import { scopeViewer, type WebhookEventDef } from './events';
import { newWebhookSecret } from './signing';

export const WEBHOOK_DELIVER_JOB = 'core.webhook.deliver';
export const WEBHOOK_DISPATCH_JOB = 'core.webhook.dispatch';
export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 200;
const DELIVERIES_SHOWN = 50;
/** A second identical subscription this soon after the first is the same form sent twice. */
const DOUBLE_SUBMIT_MS = 60_000;

export type DeliveryStatus = 'pending' | 'delivered' | 'retrying' | 'failed' | 'cancelled';

export interface Webhook {
  id: number;
  networkId: number;
  url: string;
  events: string[];
  description: string;
  /** `admin`, or the id of the plugin that subscribed it. */
  owner: string;
  active: boolean;
  createdAt: number;
}

export interface Delivery {
  id: number;
  webhookId: number;
  event: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  responseExcerpt: string | null;
  error: string | null;
  createdAt: number;
  attemptedAt: number | null;
}

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string;
}

/** Who made a change, as the audit log records it (a route gives the request's viewer and address). */
export type WebhookActor = Pick<AuditEntry, 'actorId' | 'actorName' | 'ip'>;

/** The field → i18n key of what is wrong with an input (empty: valid). */
export type WebhookErrors = Partial<Record<'url' | 'events' | 'description', string>>;

const toWebhook = (r: Record<string, unknown>): Webhook => ({
  id: Number(r.id),
  networkId: Number(r.network_id),
  url: String(r.url),
  events: JSON.parse(String(r.events)) as string[],
  description: String(r.description ?? ''),
  owner: String(r.owner),
  active: r.active === true || Number(r.active) === 1,
  createdAt: Number(r.created_at),
});

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toDelivery = (r: Record<string, unknown>): Delivery => ({
  id: Number(r.id),
  webhookId: Number(r.webhook_id),
  event: String(r.event),
  body: String(r.body),
  status: String(r.status) as DeliveryStatus,
  attempts: Number(r.attempts),
  responseStatus: num(r.response_status),
  durationMs: num(r.duration_ms),
  responseExcerpt: (r.response_excerpt as string | null) ?? null,
  error: (r.error as string | null) ?? null,
  createdAt: Number(r.created_at),
  attemptedAt: num(r.attempted_at),
});

type InsertedId = { id: number } | number;
const insertedId = (row: InsertedId): number => Number(typeof row === 'object' ? row.id : row);

const jobKey = (deliveryId: number): string => `webhook-delivery:${deliveryId}`;

export class Webhooks {
  private readonly declared = new Map<string, WebhookEventDef & { pluginId: string }>();

  constructor(private readonly rt: Runtime) {}

  private get db(): Knex {
    return this.rt.db;
  }

  /** Declares an event (the manifests' `webhooks` installer) and delivers it when its hook fires. */
  declare(def: WebhookEventDef, pluginId: string): void {
    if (this.declared.has(def.event)) throw new Error(`webhook event "${def.event}" is declared twice`);
    this.declared.set(def.event, { ...def, pluginId });
    this.rt.hooks.on(def.hook, (payload) => this.dispatch(def, payload as never), { pluginId });
  }

  /** The events subscribers of `networkId` may choose: those of the core and of the plugins enabled there. */
  events(networkId: number): { event: string; label: string; pluginId: string }[] {
    return [...this.declared.values()]
      .filter((d) => this.rt.pluginState.isEnabled(d.pluginId, networkId))
      .map(({ event, label, pluginId }) => ({ event, label, pluginId }));
  }

  async list(networkId: number): Promise<Webhook[]> {
    return ((await this.db('webhooks').where({ network_id: networkId }).orderBy('id')) as Record<string, unknown>[]).map(toWebhook);
  }

  /** The webhook `id` of `networkId` (undefined for another network's: no admin reads another network's webhooks). */
  async get(networkId: number, id: number): Promise<Webhook | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = (await this.db('webhooks').where({ id, network_id: networkId }).first()) as Record<string, unknown> | undefined;
    return row ? toWebhook(row) : undefined;
  }

  /** What is wrong with `input` for `networkId`: the URL (form, address refused), the events, the description. */
  async check(networkId: number, input: WebhookInput): Promise<WebhookErrors> {
    const errors: WebhookErrors = {};
    const url = input.url.length <= WEBHOOK_URL_MAX ? parseWebhookUrl(input.url) : null;
    if (!url) errors.url = 'core.webhooks.errors.url';
    else {
      try {
        await resolveTarget(url, this.rt.config.webhooks.allowPrivateAddresses);
      } catch (e) {
        errors.url = `core.webhooks.errors.${e instanceof WebhookAddressError ? e.problem : 'unresolved'}`;
      }
    }
    const known = new Set(this.events(networkId).map((e) => e.event));
    if (!input.events.length) errors.events = 'core.webhooks.errors.eventsRequired';
    else if (input.events.some((e) => !known.has(e))) errors.events = 'core.webhooks.errors.eventUnknown';
    if ((input.description ?? '').length > WEBHOOK_DESCRIPTION_MAX) errors.description = 'core.webhooks.errors.descriptionTooLong';
    return errors;
  }

  /**
   * Subscribes `input.url` (checked first: a WebhookInputError on a bad input) in `networkId`
   * and answers the webhook with its secret, which is shown once. `owner` is `admin` or the
   * subscribing plugin's id; the audit log records it. The same subscription by the same
   * actor within a minute (a double submit) answers the first one, secret included.
   */
  async subscribe(networkId: number, input: WebhookInput, by: WebhookActor & { owner: string }): Promise<{ webhook: Webhook; secret: string }> {
    const errors = await this.check(networkId, input);
    if (Object.keys(errors).length) throw new WebhookInputError(errors);
    const events = [...new Set(input.events)];
    const description = (input.description ?? '').trim();
    const same = (await this.db('webhooks')
      .where({ network_id: networkId, url: input.url, events: JSON.stringify(events), owner: by.owner, description })
      .where((w) => (by.actorId === null ? w.whereNull('created_by') : w.where('created_by', by.actorId)))
      .where('created_at', '>=', Date.now() - DOUBLE_SUBMIT_MS)
      .orderBy('id', 'desc')
      .first()) as Record<string, unknown> | undefined;
    if (same) return { webhook: toWebhook(same), secret: String(same.secret) };
    const secret = newWebhookSecret();
    const id = await this.db.transaction(async (trx) => {
      const [row] = (await trx('webhooks')
        .insert({
          network_id: networkId,
          url: input.url,
          events: JSON.stringify(events),
          secret,
          owner: by.owner,
          description,
          active: true,
          created_by: by.actorId,
          created_at: Date.now(),
        })
        .returning('id')) as InsertedId[];
      const newId = insertedId(row);
      await this.audit(trx, networkId, 'core.webhook.create', newId, by, undefined, { url: input.url, events, description, owner: by.owner });
      return newId;
    });
    return { webhook: (await this.get(networkId, id))!, secret };
  }

  /** Deletes a webhook of `networkId` and its deliveries; false when there is none. */
  async remove(networkId: number, id: number, by: WebhookActor): Promise<boolean> {
    const hook = await this.get(networkId, id);
    if (!hook) return false;
    await this.db.transaction(async (trx) => {
      await trx('webhook_deliveries').where({ webhook_id: id }).delete();
      await trx('webhooks').where({ id, network_id: networkId }).delete();
      await this.audit(trx, networkId, 'core.webhook.delete', id, by, { url: hook.url, events: hook.events, owner: hook.owner }, undefined);
    });
    return true;
  }

  /** The newest deliveries of a webhook. */
  async deliveries(webhookId: number, limit = DELIVERIES_SHOWN): Promise<Delivery[]> {
    const rows = (await this.db('webhook_deliveries').where({ webhook_id: webhookId }).orderBy('id', 'desc').limit(limit)) as Record<
      string,
      unknown
    >[];
    return rows.map(toDelivery);
  }

  /**
   * Sends a delivery of a webhook of `networkId` again (the same body, a fresh signature):
   * queued at once, with a new series of attempts. A second click while it waits queues
   * nothing more. False when there is no such delivery.
   */
  async resend(networkId: number, webhookId: number, deliveryId: number, by: WebhookActor): Promise<boolean> {
    const hook = await this.get(networkId, webhookId);
    if (!hook || !Number.isSafeInteger(deliveryId)) return false;
    const found = await this.db('webhook_deliveries').where({ id: deliveryId, webhook_id: webhookId }).first('id');
    if (!found) return false;
    await this.db.transaction(async (trx) => {
      await trx('webhook_deliveries').where({ id: deliveryId }).update({ status: 'pending' });
      await this.rt.jobs.schedule(WEBHOOK_DELIVER_JOB, { deliveryId }, { key: jobKey(deliveryId), maxAttempts: WEBHOOK_ATTEMPTS }, trx);
      await this.audit(trx, networkId, 'core.webhook.resend', webhookId, by, undefined, { delivery: deliveryId });
    });
    return true;
  }

  /** A declared event fired: when webhooks of its network subscribe to it, a dispatch job is queued (`fanOut`). */
  async dispatch(def: WebhookEventDef, event: { networkId?: number }): Promise<void> {
    const networkId = event.networkId;
    if (typeof networkId !== 'number') return;
    if (!(await this.subscribers(networkId, def.event)).length) return;
    await this.rt.jobs.schedule(WEBHOOK_DISPATCH_JOB, { event: def.event, hook: event });
  }

  private async subscribers(networkId: number, event: string): Promise<Webhook[]> {
    return (await this.list(networkId)).filter((h) => h.active && h.events.includes(event));
  }

  /**
   * The dispatch job, run once the request that fired the event is over (its changes all
   * made: an account created then set waiting for approval is seen waiting): the payload as
   * the network's scope sees it, and a delivery queued for each webhook subscribed then.
   */
  async fanOut(eventName: string, event: { networkId?: number }, now = Date.now()): Promise<void> {
    const def = this.declared.get(eventName);
    const networkId = event.networkId;
    if (!def || typeof networkId !== 'number') return;
    const hooks = await this.subscribers(networkId, def.event);
    const network = this.rt.networks.get(networkId);
    if (!hooks.length || !network) return;
    const data = await def.payload(event as never, { rt: this.rt, networkId, viewer: scopeViewer(networkId) });
    if (!data) return;

    const body = JSON.stringify({ event: def.event, network: { id: network.id, slug: network.slug }, createdAt: new Date(now).toISOString(), data });
    for (const hook of hooks) {
      await this.db.transaction(async (trx) => {
        const [row] = (await trx('webhook_deliveries')
          .insert({ webhook_id: hook.id, event: def.event, body, status: 'pending', attempts: 0, created_at: now })
          .returning('id')) as InsertedId[];
        const deliveryId = insertedId(row);
        await this.rt.jobs.schedule(WEBHOOK_DELIVER_JOB, { deliveryId }, { key: jobKey(deliveryId), maxAttempts: WEBHOOK_ATTEMPTS, runAt: now }, trx);
      });
    }
  }

  /** The job: one attempt of a delivery, recorded; throws on failure so the runner retries. */
  async deliver(deliveryId: number, job: JobContext): Promise<void> {
    const row = (await this.db('webhook_deliveries').where({ id: deliveryId }).first()) as Record<string, unknown> | undefined;
    if (!row) return;
    const delivery = toDelivery(row);
    const hookRow = (await this.db('webhooks').where({ id: delivery.webhookId }).first()) as Record<string, unknown> | undefined;
    if (!hookRow || !toWebhook(hookRow).active) {
      await this.db('webhook_deliveries').where({ id: deliveryId }).update({ status: 'cancelled' });
      return;
    }
    const hook = toWebhook(hookRow);
    const { allowPrivateAddresses, timeoutMs } = this.rt.config.webhooks;
    const attempt = await attemptDelivery(
      {
        url: hook.url,
        secret: String(hookRow.secret),
        event: delivery.event,
        deliveryId,
        body: delivery.body,
        timestamp: Math.floor(job.now / 1000),
      },
      { allowPrivate: allowPrivateAddresses, timeoutMs },
    );
    const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
    const last = attempt.refused || job.attempt >= WEBHOOK_ATTEMPTS;
    await this.db('webhook_deliveries')
      .where({ id: deliveryId })
      .update({
        status: ok ? 'delivered' : last ? 'failed' : 'retrying',
        attempts: delivery.attempts + 1,
        response_status: attempt.status,
        duration_ms: attempt.durationMs,
        response_excerpt: attempt.excerpt,
        error: attempt.error,
        attempted_at: job.now,
      });
    if (!ok && !attempt.refused) throw new Error(`webhook delivery ${deliveryId}: ${attempt.status ?? attempt.error}`);
  }

  private async audit(
    trx: Knex.Transaction,
    networkId: number,
    action: string,
    id: number,
    by: WebhookActor & { owner?: string },
    before: unknown,
    after: unknown,
  ): Promise<void> {
    await this.rt.audit.record(
      { networkId, action, objectType: 'webhook', objectId: id, actorId: by.actorId, actorName: by.actorName, ip: by.ip, before, after },
      trx,
    );
  }
}

/** A subscription refused for its input: the field → i18n key of each problem. */
export class WebhookInputError extends Error {
  constructor(readonly errors: WebhookErrors) {
    super(`webhook input refused: ${Object.keys(errors).join(', ')}`);
    this.name = 'WebhookInputError';
  }
}
