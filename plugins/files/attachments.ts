/**
 * Attachments: the files plugin's side of the core's contract (core/content/attachments.ts).
 * A content plugin's form gets a file field (`attachments:field`); the files sent are judged
 * like any upload (type from the bytes, size, quota) before the parent is saved
 * (`attachments:accept`), then stored as files attached to it. An attached file is an entity
 * whose own row is private (so no feed, list, search or panel of another plugin ever shows it);
 * who sees it is who sees its parent, asked on every request (`attachmentParent`): it changes
 * level with its parent and a message's files are its conversation's. Cards show images as
 * thumbnails and documents as chips (`attachments:cards`, and the `entity:panels` panel of an
 * entity parent); deleting the parent removes them with their bytes (`attachments:deleted`).
 */
import {
  activeViewer,
  link,
  preparedRead,
  requireMember,
  t,
  uploadedFiles,
  type AttachmentBatch,
  type AttachmentCard,
  type AttachmentParent,
  type EntityPanel,
  type HookFilters,
  type HookEvents,
  type Runtime,
  type RucheContext,
} from '../../core';
import { FILE, USE } from './constants';
import { service } from './params';
import { scannersOf } from './scan';
import { FilesService, normalise } from './service';
import { formatMb, prepare, quotaProblem, store, totalSize, type Problem } from './upload';
import { imageHref, sizeLabel, typeLabel } from './view';

/** The form field the files come in. */
export const ATTACH_FIELD = 'attachments';

type Filter<K extends keyof HookFilters> = (
  value: HookFilters[K]['value'],
  context: HookFilters[K]['context'],
  rt: Runtime,
) => Promise<HookFilters[K]['value']>;

const mayAttach = (ctx: RucheContext, networkId: number): boolean => {
  const viewer = activeViewer(ctx);
  return !!viewer && ctx.ruche.permissions.can(viewer, USE, networkId);
};

export const attachField: Filter<'attachments:field'> = async (value, { ctx, networkId, kind }) => {
  if (!mayAttach(ctx, networkId)) return value;
  const s = service(ctx).settings(networkId);
  return {
    template: 'files/partials/attach',
    data: { kind, field: ATTACH_FIELD, inputId: `attach-${kind}`, maxMb: formatMb(s.maxFileBytes) },
  };
};

function refused(ctx: RucheContext, problems: Problem[], status: number, count: number): AttachmentBatch {
  return { problems: problems.map((p) => t(ctx, p.key, p.params)), status, count, save: async () => undefined };
}

export const acceptAttachments: Filter<'attachments:accept'> = async (value, { ctx, networkId, place }, rt) => {
  const uploads = uploadedFiles(ctx).filter((f) => f.field === ATTACH_FIELD);
  if (!uploads.length) return value;
  const viewer = requireMember(ctx);
  if (!mayAttach(ctx, networkId)) return refused(ctx, [{ key: 'files.errors.attachNotAllowed' }], 403, uploads.length);
  const svc = service(ctx);
  // Stored private: the parent's check decides who sees it (attachments:parent).
  const target = { containerId: place.containerId, folderId: null, access: 'private' as const };
  const over = await quotaProblem(svc, viewer.id, networkId, target, totalSize(uploads));
  if (over) return refused(ctx, [over], 413, uploads.length);
  const { ready, problems } = await prepare(svc, networkId, uploads);
  if (problems.length) return refused(ctx, problems, problems.some((p) => p.key === 'files.errors.type') ? 415 : 422, uploads.length);
  return {
    problems: [],
    status: 201,
    count: ready.length,
    async save(parent: AttachmentParent) {
      const checking = (await scannersOf(rt, networkId)).length > 0;
      const ids = await store(rt, svc, viewer, networkId, { ...target, parent }, ready, checking);
      if (checking) await rt.plugin('files').schedule('scan', { ids, networkId });
    },
  };
};

interface AttachedRow {
  id: number;
  owner_id: number;
  name: string;
  size: number;
  mime: string;
  kind: string;
  thumb_key: string | null;
  state: string;
  parent_kind: string;
  parent_id: number;
}

/**
 * Attached files of a list of parents (`[[kind, id], ...]` as JSON), each found by the
 * `(parent_kind, parent_id)` index; a file still being checked is its uploader's alone. Kept
 * prepared (issue 18): built by knex it cost every feed page two statements' building.
 */
const ATTACHED = preparedRead<AttachedRow>({
  sqlite: `select e.id, e.owner_id, f.name, f.size, f.mime, f.kind, f.thumb_key, f.state, f.parent_kind, f.parent_id
from json_each(?) as j
join files_items as f on f.parent_kind = json_extract(j.value, '$[0]') and f.parent_id = json_extract(j.value, '$[1]')
join entities as e on e.id = f.entity_id
where e.type = ? and e.network_id = ? and e.deleted_at is null and (f.state = 'ready' or e.owner_id = ?)
order by e.id`,
  postgres: `select e.id, e.owner_id, f.name, f.size, f.mime, f.kind, f.thumb_key, f.state, f.parent_kind, f.parent_id
from json_array_elements(?::json) as j(v)
join files_items as f on f.parent_kind = j.v->>0 and f.parent_id = (j.v->>1)::bigint
join entities as e on e.id = f.entity_id
where e.type = ? and e.network_id = ? and e.deleted_at is null and (f.state = 'ready' or e.owner_id = ?)
order by e.id`,
});

/** The attachments of these parents (already visible to the viewer), in one query. */
async function attachedTo(
  ctx: RucheContext,
  networkId: number,
  parents: readonly { kind: string; id: number }[],
): Promise<Map<string, AttachedRow[]>> {
  const out = new Map<string, AttachedRow[]>();
  const pairs = new Map<string, [string, number]>();
  for (const p of parents) pairs.set(`${p.kind}:${p.id}`, [p.kind, Number(p.id)]);
  if (!pairs.size) return out;
  const viewer = activeViewer(ctx);
  const rows = await ATTACHED.all(ctx.ruche.db, [JSON.stringify([...pairs.values()]), FILE, networkId, viewer?.id ?? null]);
  for (const r of rows.map(normalise)) {
    const key = `${r.parent_kind}:${r.parent_id}`;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

function cardData(ctx: RucheContext, rows: AttachedRow[]): Record<string, unknown> {
  const entry = (r: AttachedRow) => ({
    id: r.id,
    name: r.name,
    href: link(ctx, 'files.view', { id: r.id }),
    thumb: r.thumb_key ? imageHref(ctx, r.id, 'thumb') : null,
    size: sizeLabel(ctx, r.size),
    type: typeLabel(ctx, r.mime),
    pending: r.state === 'pending',
  });
  const images = rows.filter((r) => r.kind === 'image').map(entry);
  return {
    images,
    documents: rows.filter((r) => r.kind !== 'image').map(entry),
    label: t(ctx, 'files.attach.listLabel', { count: rows.length }),
    many: images.length > 1,
  };
}

export const attachmentCards: Filter<'attachments:cards'> = async (value, { ctx, networkId, parents }) => {
  const found = await attachedTo(ctx, networkId, parents);
  const cards: AttachmentCard[] = [];
  for (const p of parents) {
    const rows = found.get(`${p.kind}:${p.id}`);
    if (rows?.length) cards.push({ kind: p.kind, id: p.id, template: 'files/partials/attached', data: cardData(ctx, rows) });
  }
  return [...value, ...cards];
};

/** An entity's own attachments (kind: its type), shown as a panel wherever its panels are. */
export const attachmentPanels: Filter<'entity:panels'> = async (value, { ctx, networkId, entities }) => {
  const found = await attachedTo(
    ctx,
    networkId,
    entities.map((e) => ({ kind: e.type, id: e.id })),
  );
  const panels: EntityPanel[] = [];
  for (const e of entities) {
    const rows = found.get(`${e.type}:${e.id}`);
    // Versioned (core/hooks/map.ts): a write of an attached file's row bumps its parent's version (migration 008).
    if (rows?.length)
      panels.push({ entityId: e.id, id: 'attachments', template: 'files/partials/attached', data: cardData(ctx, rows), order: 5, versioned: true });
  }
  return panels.length ? [...value, ...panels] : value;
};

/** Parents are gone: their attachments go, bytes and variants with them. */
export async function removeAttached(payload: HookEvents['attachments:deleted'], rt: Runtime): Promise<void> {
  const svc = rt.container.resolve(FilesService);
  const ids = (await rt
    .db('files_items as f')
    .join('entities as e', 'e.id', 'f.entity_id')
    .where('e.network_id', payload.networkId)
    .where((w) => {
      for (const p of payload.parents) w.orWhere((q) => q.where('f.parent_kind', p.kind).where('f.parent_id', p.id));
      if (payload.entityIds.length) w.orWhereIn('f.parent_entity_id', payload.entityIds);
    })
    .pluck('f.entity_id')) as number[];
  for (const id of ids) {
    const file = await svc.find(Number(id));
    if (file) await svc.remove(file);
  }
}
