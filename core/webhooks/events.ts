/**
 * Webhook events: what a plugin (or the core) declares in its manifest's `webhooks` list —
 * an event name, its label on the admin page, the hook event that fires it, and the payload
 * builder. A payload is built once per subscribing network, as seen by that network's scope
 * (`scopeViewer`: a plain member of the network, in no group and friend of no one), and only
 * with what that viewer may see (core/access: `canSee`); a builder answers null when the
 * viewer may not see the object, and nothing is delivered.
 */
import type { Viewer } from '../auth/viewer';
import type { EventName, HookEvents } from '../hooks/map';
import { entityHref } from '../content/entity-links';
import { networkUrl } from '../network-url';
import type { Runtime } from '../runtime';

export interface WebhookPayloadContext {
  rt: Runtime;
  /** The subscriber's network. */
  networkId: number;
  /** Who the payload is built for: a member of that network with no group, friend or role (`scopeViewer`). */
  viewer: Viewer;
}

export interface WebhookEventDef<K extends EventName = EventName> {
  /** `<plugin>.<what>`, e.g. `activity.posted`: what receivers read in `Ruche-Event` and `event`. */
  event: string;
  /** i18n key of its description on the admin page. */
  label: string;
  /** The hook event that fires it (its payload must carry the `networkId`). */
  hook: K;
  /** The JSON `data` the subscriber receives, or null when the scope's viewer may not see it. */
  payload: (event: HookEvents[K], context: WebhookPayloadContext) => Promise<Record<string, unknown> | null>;
}

/** Typed constructor for a manifest's `webhooks` list (checks the payload builder against the hook). */
export function webhookEvent<K extends EventName>(def: WebhookEventDef<K>): WebhookEventDef {
  return def as unknown as WebhookEventDef;
}

/** The viewer a network's webhooks see as: a plain member of that network (id 0: no one's own rows). */
export function scopeViewer(networkId: number): Viewer {
  return {
    id: 0,
    username: '',
    displayName: '',
    email: '',
    locale: null,
    status: 'active',
    isRootAdmin: false,
    roles: { [networkId]: 'member' },
  };
}

/** A person as payloads show them. */
export async function personPayload(rt: Runtime, userId: number): Promise<{ id: number; username: string; displayName: string } | null> {
  const u = (await rt.db('users').where({ id: userId }).first('id', 'username', 'display_name')) as
    { id: number; username: string; display_name: string } | undefined;
  return u ? { id: Number(u.id), username: u.username, displayName: u.display_name } : null;
}

/**
 * The common part of a payload about an entity: id, type, access, container, author, time
 * and absolute URL — or null when the context's viewer may not see it (access checked).
 * Plugins add their own fields (a title, a body) to it.
 */
export async function entityPayload(ctx: WebhookPayloadContext, entityId: number): Promise<Record<string, unknown> | null> {
  const { rt, viewer } = ctx;
  const e = await rt.entities.get(entityId);
  if (!e || Number(e.network_id) !== ctx.networkId || !(await rt.access.canSee(viewer, e))) return null;
  const network = rt.networks.get(Number(e.network_id));
  const href = entityHref(rt, { id: Number(e.id), type: String(e.type), network_id: Number(e.network_id) });
  return {
    id: Number(e.id),
    type: String(e.type),
    access: String(e.access),
    containerId: e.container_id === null || e.container_id === undefined ? null : Number(e.container_id),
    author: await personPayload(rt, Number(e.owner_id)),
    createdAt: new Date(Number(e.created_at)).toISOString(),
    url: href && network ? `${networkUrl(rt.config.siteUrl, network)}${href}` : null,
  };
}
