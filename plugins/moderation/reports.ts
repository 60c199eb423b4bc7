/**
 * Reporting: a member reports a piece of content (any entity) or a member, with a reason. A
 * member reports only what the core's access model lets them see (what they cannot see answers
 * the same 404 as an unknown id), never their own content nor themselves. One report per
 * reporter and target: a double submit leaves one row and answers as the first did; reporting
 * again after a decision opens the report again.
 */
import { HttpError, requireVisiblePiece, type EntityRow, type NetworkInfo, type Piece, type Runtime, type Viewer } from '../../core';
import { isReason, MAX_NOTE, type Reason, type TargetType } from './constants';

/** A reported target as the report needs it: the reported member, and the group it lives in. */
export interface Target {
  type: TargetType;
  id: number;
  networkId: number;
  userId: number;
  containerId: number | null;
}

export interface ReportInput {
  reason: string;
  note: string;
}

export type ReportCheck = { ok: true; reason: Reason; note: string } | { ok: false; errors: Record<string, string> };

/** Checks the form: a known reason, a note of at most MAX_NOTE characters, required for `other` (i18n keys). */
export function checkReport(input: ReportInput): ReportCheck {
  const note = input.note.trim();
  const errors: Record<string, string> = {};
  if (!isReason(input.reason)) errors.reason = 'moderation.errors.reason';
  else if (input.reason === 'other' && !note) errors.note = 'moderation.errors.noteRequired';
  if (note.length > MAX_NOTE) errors.note = 'moderation.errors.noteTooLong';
  return Object.keys(errors).length || !isReason(input.reason) ? { ok: false, errors } : { ok: true, reason: input.reason, note };
}

/**
 * The piece (`kind` `id`: a comment, a reply, a message) of this network as `viewer` may report
 * it, through the core's pieces contract: 404 unless they see it (its parent's access; a
 * message: its conversation's participants), 403 for their own.
 */
export async function pieceTarget(
  rt: Runtime,
  viewer: Viewer,
  networkId: number,
  kind: string,
  id: number,
  basePath: string,
): Promise<{ target: Target; piece: Piece }> {
  if (!rt.plugins.pieceKind(kind)) throw new HttpError(404);
  const piece = await requireVisiblePiece(rt, viewer, kind, id, basePath);
  if (piece.networkId !== networkId) throw new HttpError(404);
  if (piece.authorId === viewer.id) throw new HttpError(403, 'moderation.errors.own');
  const entity = piece.entityId === null ? undefined : await rt.entities.get(piece.entityId);
  const containerId = entity?.container_id === null || entity?.container_id === undefined ? null : Number(entity.container_id);
  return { target: { type: kind, id: piece.id, networkId, userId: piece.authorId, containerId }, piece };
}

export class ReportsService {
  static readonly uses = ['db', 'access', 'entities', 'users'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof ReportsService.uses)[number]>) {}

  /** The entity `id` of this network as `viewer` may report it: 404 unless they see it, 403 for their own. */
  async entityTarget(viewer: Viewer, networkId: number, id: number): Promise<{ target: Target; entity: EntityRow }> {
    const entity = await this.rt.entities.get(id);
    if (!entity || Number(entity.network_id) !== networkId) throw new HttpError(404);
    await this.rt.access.requireVisible(viewer, entity);
    if (Number(entity.owner_id) === viewer.id) throw new HttpError(403, 'moderation.errors.own');
    const target: Target = {
      type: 'entity',
      id: Number(entity.id),
      networkId,
      userId: Number(entity.owner_id),
      containerId: entity.container_id === null ? null : Number(entity.container_id),
    };
    return { target, entity };
  }

  /** The member `username` of this network as `viewer` may report them: 404 unless they are an active member seen here, 403 for oneself. */
  async memberTarget(
    viewer: Viewer,
    network: NetworkInfo,
    username: string,
  ): Promise<{ target: Target; member: { id: number; displayName: string; username: string } }> {
    const networkId = network.id;
    const member = await this.rt.users.activeMember(networkId, username);
    const place = { id: networkId, parentId: network.parentId, isolated: !!network.isolated };
    if (!member || !(await this.rt.access.canSeeMemberIn(viewer, member.id, place))) throw new HttpError(404);
    if (member.id === viewer.id) throw new HttpError(403, 'moderation.errors.self');
    return {
      target: { type: 'member', id: member.id, networkId, userId: member.id, containerId: null },
      member: { id: member.id, displayName: member.display_name, username: member.username },
    };
  }

  /**
   * Files the report; answers whether this call wrote it (false: the same reporter had an open
   * report on the target already, which stays as it was).
   */
  async report(reporterId: number, target: Target, reason: Reason, note: string, now = Date.now()): Promise<boolean> {
    const key = { network_id: target.networkId, target_type: target.type, target_id: target.id, reporter_id: reporterId };
    const inserted = await this.rt
      .db('moderation_reports')
      .insert({ ...key, target_user_id: target.userId, container_id: target.containerId, reason, note, created_at: now })
      .onConflict(['network_id', 'target_type', 'target_id', 'reporter_id'])
      .ignore()
      .returning('id');
    if (inserted.length) return true;
    const reopened = await this.rt
      .db('moderation_reports')
      .where(key)
      .whereNotNull('resolved_at')
      .update({ reason, note, created_at: now, resolved_at: null, outcome: null, resolved_by: null });
    return reopened > 0;
  }
}
