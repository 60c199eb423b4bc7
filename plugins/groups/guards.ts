/**
 * Posting into groups. `groupPolicy` answers the core's `container:policy` filter (who may
 * post, at which levels), which content plugins ask before saving. `clampPosted` is a
 * second wall: a status that still reached a closed or secret group with a wider level is
 * narrowed to `group` as soon as it is posted, before mention notifications.
 */
import type { ContainerPolicy, Runtime, Viewer } from '../../core';
import { groupFor } from './api';
import type {} from '../activity/hooks';
import { GROUP } from './service';

export async function clampPosted(p: { networkId: number; entityId: number }, rt: Runtime): Promise<void> {
  const e = await rt.entities.get(p.entityId);
  if (!e || e.container_id === null) return;
  const g = await rt
    .db('entities as e')
    .join('groups as g', 'g.entity_id', 'e.id')
    .where('e.id', e.container_id)
    .where('e.type', GROUP)
    .first('g.visibility');
  if (!g) return;
  const allowed = g.visibility === 'open' ? ['network', 'group'] : ['group'];
  if (!allowed.includes(e.access)) await rt.entities.update(e.id, { access: 'group' });
}

/** Answers `container:policy` for groups: who may post into one, and at which levels (first = default). */
export async function groupPolicy(
  value: ContainerPolicy | null,
  c: { rt: Runtime; viewer: Viewer; containerId: number; type: string },
): Promise<ContainerPolicy | null> {
  if (value || c.type !== GROUP) return value;
  const info = await groupFor(c.rt, c.containerId, c.viewer);
  if (!info) return { canPost: false, allowedAccess: [] };
  const allowed = [info.contentAccess, ...info.allowedAccess.filter((a) => a !== info.contentAccess)];
  return {
    canPost: info.canPost && (info.role !== null || c.rt.access.canModerate(c.viewer, { network_id: info.networkId })),
    allowedAccess: allowed,
    name: info.name,
    href: info.href,
  };
}
