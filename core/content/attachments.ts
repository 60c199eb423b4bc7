/**
 * Attachments: files a member attaches to a piece of content (a status post, a blog post, a
 * comment, a reply, a private message). The core stores none of them and names no plugin:
 * content plugins ask through these helpers, and a plugin that keeps files (the bundled
 * `files`) answers the `attachments:*` hooks. Where no such plugin is enabled, the form has no
 * file field, nothing is attached and nothing is shown.
 *
 * A parent is named by the plugin that owns it: `kind` (its own word: `status`, `comment`,
 * `message`), `id`, and `entityId`, the entity whose access the attachment follows (the status
 * itself, the post a comment is on, the topic of a reply), or null when the owning plugin
 * alone decides who sees it (a private message: it answers `attachments:parent`). An
 * attachment is never seen by someone who may not see its parent, checked on every request,
 * so it changes level with its parent; it goes when its parent is deleted
 * (`attachmentsDeleted`).
 *
 * The flow of a form: render `attachmentField(ctx, kind)` inside a multipart form; on submit,
 * `acceptAttachments(ctx, kind, place)` before saving (its `problems` refuse the form, nothing
 * stored), save the parent, then `batch.save(parent)`. Show them with
 * `attachmentCards(ctx, parents)` (entities also get them as an `entity:panels` panel from
 * the providing plugin).
 */
import type { Viewer } from '../auth/viewer';
import type { RucheContext } from '../http/context';
import type { Runtime } from '../runtime';
import { visibleEntityHref } from './entity-links';

export interface AttachmentParent {
  kind: string;
  id: number;
  /** The entity whose access the attachment follows; null when the parent's plugin decides. */
  entityId: number | null;
}

/** Where the parent is posted: its network, container and level (the attachment's quota and row). */
export interface AttachmentPlace {
  networkId: number;
  containerId: number | null;
  access: string;
}

/** The form's file field: `{{> core/partials/attachments-field field=...}}`. */
export interface AttachmentField {
  template: string;
  data: Record<string, unknown>;
}

/** The files of one submitted form, judged before the parent is saved. */
export interface AttachmentBatch {
  /** Refusals, already translated; when there is one, nothing is stored. */
  problems: string[];
  /** The HTTP status a refusal answers (413 quota, 415 type, 422 size). */
  status: number;
  count: number;
  /** Stores the files, attached to the saved parent (inside no transaction: bytes go to storage). */
  save(parent: AttachmentParent): Promise<void>;
}

/** What a parent's attachments look like: `{{> core/partials/attachments card=...}}`. */
export interface AttachmentCard {
  kind: string;
  id: number;
  template: string;
  data: Record<string, unknown>;
}

/** Whether a viewer may see a parent now, and where it is shown. */
export interface AttachmentParentView {
  visible: boolean;
  href: string | null;
}

const NO_BATCH: AttachmentBatch = { problems: [], status: 200, count: 0, save: async () => undefined };

export const parentKey = (p: { kind: string; id: number }): string => `${p.kind}:${p.id}`;

/** The file field for a form whose parent is of `kind`, or null (no plugin keeps files, or the viewer may not attach). */
export function attachmentField(ctx: RucheContext, kind: string): Promise<AttachmentField | null> {
  return ctx.ruche.hooks.filter('attachments:field', null, { ctx, networkId: ctx.state.network.id, kind });
}

/** The files sent with a form (field `attachments`), checked; `save` them once the parent is saved. */
export async function acceptAttachments(ctx: RucheContext, kind: string, place: AttachmentPlace): Promise<AttachmentBatch> {
  return (await ctx.ruche.hooks.filter('attachments:accept', null, { ctx, networkId: place.networkId, kind, place })) ?? NO_BATCH;
}

/** The attachments of parents the viewer may see (the caller checked), by `parentKey`. */
export async function attachmentCards(ctx: RucheContext, parents: readonly AttachmentParent[]): Promise<Map<string, AttachmentCard>> {
  const out = new Map<string, AttachmentCard>();
  if (!parents.length) return out;
  const cards = await ctx.ruche.hooks.filter('attachments:cards', [], { ctx, networkId: ctx.state.network.id, parents: [...parents] });
  for (const c of cards) out.set(parentKey(c), c);
  return out;
}

/**
 * Whether `viewer` may see `parent` now, and its page: the entity's through the core's access
 * model when it has one, then what the parent's plugin answers (`attachments:parent`: a
 * deleted comment, the participants of a conversation). No answer for a parent without an
 * entity: no one sees it.
 */
export async function attachmentParent(
  rt: Pick<Runtime, 'hooks' | 'entities' | 'access' | 'plugins' | 'pluginState' | 'routes'>,
  viewer: Viewer | null,
  networkId: number,
  parent: AttachmentParent,
  basePath = '',
): Promise<AttachmentParentView> {
  let view: AttachmentParentView = { visible: false, href: null };
  if (parent.entityId) {
    const entity = await rt.entities.get(parent.entityId);
    if (!entity || Number(entity.network_id) !== networkId || !(await rt.access.canSee(viewer, entity))) return view;
    view = { visible: true, href: await visibleEntityHref(rt, parent.entityId, viewer, basePath) };
  }
  return rt.hooks.filter('attachments:parent', view, { networkId, viewer, parent, basePath });
}

/** A parent that is a row of a plugin's table belonging to an entity (a comment, a reply): see `rowAttachmentParent`. */
export interface AttachmentRowParent {
  /** The parent kind the plugin names its rows with. */
  kind: string;
  table: string;
  /** The column naming the entity the row belongs to (`entity_id`, `topic_id`). */
  entityColumn: string;
  /** The anchor of a row on its entity's page, before the row's id (`comment-`). */
  anchor: string;
}

/**
 * An `attachments:parent` filter for parents that are rows belonging to an entity: the entity's
 * access (the core's) while the row is there, not deleted and still the entity's; shown at the
 * row's anchor on the entity's page.
 */
export function rowAttachmentParent(row: AttachmentRowParent) {
  return async (value: AttachmentParentView, { parent }: { parent: AttachmentParent }, rt: Pick<Runtime, 'db'>): Promise<AttachmentParentView> => {
    if (parent.kind !== row.kind || !value.visible) return value;
    const found = (await rt.db(row.table).where({ id: parent.id }).first(`${row.entityColumn} as entity_id`, 'deleted_at')) as
      { entity_id: number; deleted_at: number | null } | undefined;
    if (!found || found.deleted_at !== null || Number(found.entity_id) !== parent.entityId) return { visible: false, href: null };
    return { ...value, href: value.href ? `${value.href}#${row.anchor}${parent.id}` : null };
  };
}

/**
 * Tells the plugin keeping files that parents are gone (after the deletion is committed): the
 * attachments of `parents`, and of every parent following one of `entityIds` (a post's own and
 * its comments'), go with their bytes.
 */
export async function attachmentsDeleted(
  rt: Pick<Runtime, 'hooks'>,
  networkId: number,
  gone: { parents?: { kind: string; id: number }[]; entityIds?: number[] },
): Promise<void> {
  if (!gone.parents?.length && !gone.entityIds?.length) return;
  await rt.hooks.emit('attachments:deleted', { networkId, parents: gone.parents ?? [], entityIds: gone.entityIds ?? [] });
}
