/**
 * The webhooks pages of the admin area (`/admin/webhooks`): a network's admins list its
 * webhooks, subscribe a URL to events (the secret is shown once, on the page answering the
 * form), read a webhook's recent deliveries, send one again, and delete a webhook. Only the
 * request's network's webhooks are reachable: another network's answer 404.
 */
import { HttpError } from '../errors';
import { auditActor } from '../audit/audit-request';
import type { RucheContext } from '../http/context';
import { idParam } from '../http/params';
import { bodyOf, field, valuesOf } from '../http/body';
import { adminPage, link, t } from '../http/request-helpers';
import type { RouteDef } from '../plugins/manifest';
import {
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_URL_MAX,
  WebhookInputError,
  type Webhook,
  type WebhookErrors,
  type WebhookInput,
} from '../webhooks/webhooks';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../webhooks/signing';

/** The checked values of a multiple-choice field (a string when one box is ticked, a list for several). */
function fieldValues(ctx: RucheContext, name: string): string[] {
  return valuesOf(bodyOf(ctx)[name])
    .filter((x): x is string => typeof x === 'string')
    .slice(0, 100);
}

async function listPage(
  ctx: RucheContext,
  extra: { values?: WebhookInput; errors?: WebhookErrors; created?: { webhook: Webhook; secret: string } } = {},
  status?: number,
) {
  const rt = ctx.ruche;
  const networkId = ctx.state.network.id;
  const chosen = new Set(extra.values?.events ?? []);
  const labels = new Map(rt.webhooks.events(networkId).map((e) => [e.event, t(ctx, e.label)]));
  const hooks = await rt.webhooks.list(networkId);
  const title = t(ctx, 'core.webhooks.title');
  if (extra.created) ctx.set('Cache-Control', 'no-store');
  return adminPage(
    ctx,
    'core/webhooks',
    title,
    'core.webhooks',
    {
      webhooks: hooks.map((h) => ({
        ...h,
        href: link(ctx, 'core.webhooks.view', { id: h.id }),
        eventLabels: h.events.map((e) => labels.get(e) ?? e),
        byPlugin: h.owner !== 'admin' ? h.owner : null,
      })),
      events: [...labels].map(([event, label]) => ({ event, label, checked: chosen.has(event) })),
      values: extra.values ?? { url: '', events: [], description: '' },
      errors: Object.fromEntries(
        Object.entries(extra.errors ?? {}).map(([k, key]) => [k, t(ctx, key, { max: k === 'url' ? WEBHOOK_URL_MAX : WEBHOOK_DESCRIPTION_MAX })]),
      ),
      created: extra.created,
      signatureHeader: SIGNATURE_HEADER,
      timestampHeader: TIMESTAMP_HEADER,
      urlMax: WEBHOOK_URL_MAX,
      descriptionMax: WEBHOOK_DESCRIPTION_MAX,
    },
    status,
  );
}

async function webhookOf(ctx: RucheContext): Promise<Webhook> {
  const hook = await ctx.ruche.webhooks.get(ctx.state.network.id, idParam(ctx));
  if (!hook) throw new HttpError(404);
  return hook;
}

export const webhookRoutes: RouteDef[] = [
  { name: 'core.webhooks', method: 'GET', path: '/admin/webhooks', capability: 'core.admin', handler: (ctx) => listPage(ctx) },
  {
    name: 'core.webhooks.create',
    method: 'POST',
    path: '/admin/webhooks',
    capability: 'core.admin',
    async handler(ctx) {
      const values: WebhookInput = {
        url: field(ctx, 'url').trim(),
        events: fieldValues(ctx, 'events'),
        description: field(ctx, 'description').trim(),
      };
      const networkId = ctx.state.network.id;
      try {
        const created = await ctx.ruche.webhooks.subscribe(networkId, values, { ...auditActor(ctx), owner: 'admin' });
        return listPage(ctx, { created }, 201);
      } catch (e) {
        if (e instanceof WebhookInputError) return listPage(ctx, { values, errors: e.errors }, 422);
        throw e;
      }
    },
  },
  {
    name: 'core.webhooks.view',
    method: 'GET',
    path: '/admin/webhooks/:id',
    capability: 'core.admin',
    async handler(ctx) {
      const hook = await webhookOf(ctx);
      const labels = new Map(ctx.ruche.webhooks.events(ctx.state.network.id).map((e) => [e.event, t(ctx, e.label)]));
      const deliveries = (await ctx.ruche.webhooks.deliveries(hook.id)).map((d) => ({
        ...d,
        statusLabel: t(ctx, `core.webhooks.status.${d.status}`),
        ok: d.status === 'delivered',
        resend: link(ctx, 'core.webhooks.resend', { id: hook.id, delivery: d.id }),
      }));
      return adminPage(ctx, 'core/webhook', hook.url, 'core.webhooks', {
        webhook: { ...hook, eventLabels: hook.events.map((e) => labels.get(e) ?? e), byPlugin: hook.owner !== 'admin' ? hook.owner : null },
        deliveries,
      });
    },
  },
  {
    name: 'core.webhooks.delete',
    method: 'POST',
    path: '/admin/webhooks/:id/delete',
    capability: 'core.admin',
    async handler(ctx) {
      const removed = await ctx.ruche.webhooks.remove(ctx.state.network.id, idParam(ctx), auditActor(ctx));
      // A second click finds it gone: the same answer as the first.
      return { redirect: link(ctx, 'core.webhooks'), flash: removed ? 'core.webhooks.deleted' : undefined };
    },
  },
  {
    name: 'core.webhooks.resend',
    method: 'POST',
    path: '/admin/webhooks/:id/deliveries/:delivery/resend',
    capability: 'core.admin',
    async handler(ctx) {
      const hook = await webhookOf(ctx);
      if (!(await ctx.ruche.webhooks.resend(ctx.state.network.id, hook.id, idParam(ctx, 'delivery'), auditActor(ctx)))) throw new HttpError(404);
      return { redirect: link(ctx, 'core.webhooks.view', { id: hook.id }), flash: 'core.webhooks.resent' };
    },
  },
];
