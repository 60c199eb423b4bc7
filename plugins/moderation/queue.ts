/**
 * The review queue: open reports grouped by target, for the network's reviewers (holders of
 * `moderation.review`: moderators and admins by default) and, for the content of their group
 * only, for a group's admins. Each item says how many reported it and why, shows the content
 * in context (its words, its place, its author) and hides the reporters from the member they
 * reported. A decision closes every open report on the target at once.
 */
import {
  containerRole,
  entityContexts,
  entityHref,
  entityRef,
  personCards,
  piecesOf,
  plainTextOf,
  t,
  type EntityContext,
  type EntityRow,
  type Piece,
  type RucheContext,
  type Runtime,
  type Viewer,
} from '../../core';
import type { Knex } from 'knex';
import { isFiledByRule, isPiece, reasonCounts, REVIEW, type Decision, type TargetType } from './constants';

/** What a viewer reviews in a network: everything (`all`), or the content of these groups. */
export interface ReviewScope {
  networkId: number;
  all: boolean;
  containerIds: number[];
}

interface ReportRow {
  id: number;
  target_type: TargetType;
  target_id: number;
  target_user_id: number;
  container_id: number | null;
  reporter_id: number;
  reason: string;
  note: string;
  created_at: number;
}

const EXCERPT = 400;

/**
 * The viewer's scope in the network, `group` narrowing it to one group: null when they review
 * nothing there (neither a reviewer, nor an admin of `group` or of a group with open reports,
 * or for the history (`decided`), with decisions).
 */
export async function reviewScope(
  rt: Runtime,
  viewer: Viewer,
  networkId: number,
  group: number | null,
  of: 'open' | 'decided' = 'open',
): Promise<ReviewScope | null> {
  const all = rt.permissions.can(viewer, REVIEW, networkId);
  if (group !== null) {
    const mine = all || (await adminOf(rt, viewer, networkId, group));
    return mine ? { networkId, all: false, containerIds: [group] } : null;
  }
  if (all) return { networkId, all: true, containerIds: [] };
  const groups =
    of === 'open'
      ? rt.db('moderation_reports').where({ network_id: networkId }).whereNull('resolved_at')
      : rt.db('moderation_decisions').where({ network_id: networkId });
  const rows = (await groups.whereNotNull('container_id').distinct('container_id')) as {
    container_id: number;
  }[];
  const containerIds: number[] = [];
  for (const r of rows) if ((await containerRole(rt.db, Number(r.container_id), viewer.id)) === 'admin') containerIds.push(Number(r.container_id));
  return containerIds.length ? { networkId, all: false, containerIds } : null;
}

/** Whether the viewer administers container `id` of this network. */
async function adminOf(rt: Runtime, viewer: Viewer, networkId: number, id: number): Promise<boolean> {
  const container = await rt.entities.get(id);
  if (!container || Number(container.network_id) !== networkId || container.deleted_at !== null) return false;
  return (await containerRole(rt.db, id, viewer.id)) === 'admin';
}

/** The open reports of the scope (of one target when given), oldest first. */
export function openReports(rt: Runtime, scope: ReviewScope, target?: { type: TargetType; id: number }) {
  return scopedReports(rt, scope, target).whereNull('resolved_at').orderBy('created_at', 'asc').orderBy('id', 'asc');
}

/** The reports of the scope, decided or not (of one target when given). */
export function scopedReports(rt: Runtime, scope: ReviewScope, target?: { type: TargetType; id: number }) {
  const q = rt.db('moderation_reports').where({ network_id: scope.networkId });
  if (!scope.all) q.whereIn('container_id', scope.containerIds);
  if (target) q.where({ target_type: target.type, target_id: target.id });
  return q;
}

/** A queue item, ready for the template. */
export interface QueueItem {
  key: string;
  type: TargetType;
  id: number;
  count: number;
  reasons: { reason: string; count: number }[];
  notes: { text: string; by: string | null }[];
  reporters: string[];
  reportersHidden: boolean;
  firstAt: number;
  author: { displayName: string; href: string | null } | null;
  /** The member concerned: the reported member, or the content's author. */
  authorId: number;
  /** The reported member's username (the decision's address for a member). */
  username: string;
  content: {
    kind: string;
    /** For a piece (a comment, a reply, a message): where it is, e.g. “Comment on “Title””. */
    context: string | null;
    title: string;
    excerpt: string;
    href: string | null;
    hidden: boolean;
    held: boolean;
    deleted: boolean;
    inGroup: boolean;
    /** What its plugin says of it away from its page (`entity:context`: a file's name, type, size, place, download). */
    details: EntityContext | null;
  } | null;
  decisions: Decision[];
}

/** The open items of the scope, grouped by target (oldest report first), at most `limit` of them. */
export async function queueItems(ctx: RucheContext, scope: ReviewScope, limit = 100): Promise<QueueItem[]> {
  const rt = ctx.ruche;
  const rows = (await openReports(rt, scope)) as ReportRow[];
  const groups = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const key = `${r.target_type}-${Number(r.target_id)}`;
    if (!groups.has(key) && groups.size >= limit) continue;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const [contents, people] = await Promise.all([
    targetContents(
      ctx,
      [...groups.values()].map((g) => g[0]),
    ),
    personCards(
      ctx,
      rows.flatMap((r) => [Number(r.reporter_id), Number(r.target_user_id)]),
    ),
  ]);
  const name = (id: number): string => people.get(id)?.displayName ?? '?';
  return [...groups].map(([key, list]) => {
    const first = list[0];
    const type = first.target_type;
    const id = Number(first.target_id);
    const authorId = Number(first.target_user_id);
    const reportersHidden = ctx.state.viewer?.id === authorId;
    const state = contents.get(key) ?? { content: null, deleted: type !== 'member', hidden: false, held: false };
    return {
      key,
      type,
      id,
      count: list.length,
      reasons: countReasons(list),
      notes: list
        .filter((r) => r.note)
        .map((r) => ({ text: r.note, by: reportersHidden || isFiledByRule(r.reason) ? null : name(Number(r.reporter_id)) })),
      // A report filed by a rule (watched words, new member) stands in the author's name: never shown as theirs.
      reporters: reportersHidden ? [] : list.filter((r) => !isFiledByRule(r.reason)).map((r) => name(Number(r.reporter_id))),
      reportersHidden,
      firstAt: Number(first.created_at),
      author: { displayName: name(authorId), href: people.get(authorId)?.href ?? null },
      authorId,
      username: people.get(authorId)?.username ?? '',
      content: state.content,
      decisions: decisionsFor(type, state.deleted, state.hidden, state.held),
    };
  });
}

/** A target's content in context and its state now (a member: no content, never deleted or hidden here). */
export interface TargetState {
  content: QueueItem['content'];
  deleted: boolean;
  hidden: boolean;
  /** Held for review by a watched word or a safeguard (an entity only). */
  held: boolean;
}

/**
 * The targets (entities and pieces; members have no content) in context, by `<type>-<id>`:
 * their words as their plugins give them to search or to the pieces contract, their place,
 * their link, and whether they are hidden, held or deleted now.
 */
export async function targetContents(
  ctx: RucheContext,
  targets: { target_type: TargetType; target_id: number; container_id: number | null }[],
): Promise<Map<string, TargetState>> {
  const rt = ctx.ruche;
  const entityIds = targets.filter((r) => r.target_type === 'entity').map((r) => Number(r.target_id));
  const [entities, texts, hidden, pieces] = await Promise.all([
    entityIds.length ? (rt.db('entities').whereIn('id', entityIds).select('*') as Promise<EntityRow[]>) : Promise.resolve([] as EntityRow[]),
    entityTexts(rt, entityIds),
    entityIds.length ? heldState(rt.db, entityIds) : Promise.resolve(new Map<number, boolean>()),
    reportedPieces(ctx, targets),
  ]);
  const byId = new Map(entities.map((e) => [Number(e.id), e]));
  const details = await entityContexts(ctx, entities.filter((e) => e.deleted_at === null).map(entityRef));
  const out = new Map<string, TargetState>();
  for (const r of targets) {
    const type = r.target_type;
    const id = Number(r.target_id);
    const key = `${type}-${id}`;
    if (isPiece(type)) {
      const piece = pieces.get(key);
      const content = piece ? pieceContent(ctx, piece, r.container_id !== null) : null;
      out.set(key, { content, deleted: !piece || piece.deleted, hidden: !!piece?.withheld, held: false });
    } else if (type === 'entity') {
      const entity = byId.get(id);
      const text = texts.get(id);
      const deleted = !entity || entity.deleted_at !== null;
      const content = entity
        ? {
            kind: entity.type,
            context: null,
            title: text?.title ?? '',
            excerpt: text?.body ?? '',
            href: entityHref(rt, entity, ctx.state.basePath),
            hidden: hidden.has(id),
            held: hidden.get(id) === true,
            deleted,
            inGroup: entity.container_id !== null,
            details: deleted ? null : (details.get(id) ?? null),
          }
        : null;
      out.set(key, { content, deleted, hidden: hidden.has(id), held: hidden.get(id) === true });
    } else out.set(key, { content: null, deleted: false, hidden: false, held: false });
  }
  return out;
}

/** The reported pieces (comments, replies, messages) of these reports, by `<kind>-<id>`, through the core's pieces contract. */
async function reportedPieces(ctx: RucheContext, firsts: { target_type: TargetType; target_id: number }[]): Promise<Map<string, Piece>> {
  const rt = ctx.ruche;
  const byKind = new Map<string, number[]>();
  for (const r of firsts)
    if (isPiece(r.target_type) && rt.plugins.pieceKind(r.target_type))
      byKind.set(r.target_type, [...(byKind.get(r.target_type) ?? []), Number(r.target_id)]);
  const out = new Map<string, Piece>();
  for (const [kind, ids] of byKind) for (const p of (await piecesOf(rt, kind, ids, ctx.state.basePath)).values()) out.set(`${kind}-${p.id}`, p);
  return out;
}

/**
 * A reported piece in context: only the piece (a message reported shows that message, never
 * its conversation), where it is (its parent's title) and its permalink.
 */
function pieceContent(ctx: RucheContext, piece: Piece, inGroup: boolean): NonNullable<QueueItem['content']> {
  return {
    kind: piece.kind,
    context: t(ctx, `moderation.piece.${piece.kind}${piece.parentTitle ? '' : 'Untitled'}`, { title: piece.parentTitle }),
    title: '',
    excerpt: piece.excerpt,
    href: piece.deleted ? null : piece.href,
    hidden: piece.withheld,
    held: false,
    deleted: piece.deleted,
    inGroup,
    details: null,
  };
}

/** What may be decided on a target: content that is gone can only be dismissed; members are not hidden or deleted here. */
export function decisionsFor(type: TargetType, deleted: boolean, hidden: boolean, held = false): Decision[] {
  if (type === 'member') return ['dismiss', 'warn'];
  if (deleted) return ['dismiss'];
  // Held by a watched word, it waits for a decision: dismissing would leave it unseen for good.
  if (held) return ['approve', 'delete', 'warn'];
  return hidden ? ['dismiss', 'approve', 'delete', 'warn'] : ['dismiss', 'hide', 'delete', 'warn'];
}

/** Of these entities, the ones hidden (true: held for review by a watched word). */
export async function heldState(db: Knex, ids: number[]): Promise<Map<number, boolean>> {
  const rows = (await db('moderation_hidden').whereIn('entity_id', ids).select('entity_id', 'held')) as {
    entity_id: number | string;
    held: boolean | number;
  }[];
  return new Map(rows.map((r) => [Number(r.entity_id), r.held === true || Number(r.held) === 1]));
}

export function countReasons(list: { reason: string }[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of list) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return reasonCounts(counts);
}

/** The words of reported entities, as their plugins give them to search (title, then the body as plain text, shortened). */
async function entityTexts(rt: Runtime, ids: number[]): Promise<Map<number, { title: string; body: string }>> {
  const out = new Map<number, { title: string; body: string }>();
  if (!ids.length) return out;
  const types = (await rt.db('entities').whereIn('id', ids).select('id', 'type')) as { id: number; type: string }[];
  const byType = new Map<string, number[]>();
  for (const e of types) byType.set(e.type, [...(byType.get(e.type) ?? []), Number(e.id)]);
  for (const [type, list] of byType) {
    const def = rt.plugins.entityType(type)?.search;
    if (!def) continue;
    for (const t of await def.read(rt, list)) {
      const body = plainTextOf(t.body ?? '');
      out.set(Number(t.id), { title: t.title ?? '', body: body.length > EXCERPT ? `${body.slice(0, EXCERPT - 1)}…` : body });
    }
  }
  return out;
}
