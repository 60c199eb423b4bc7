/**
 * Posting into a container (a group, later an event or a project): the plugin that owns
 * the container answers the `container:policy` filter — may this viewer post here, and at
 * which access levels. Without an answer, members of the container may post, at the
 * `group` level only. Every content plugin asks here rather than reading memberships.
 */
import type { AccessLevel } from '../access/access';
import type { Viewer } from '../auth/viewer';
import type { Runtime } from '../runtime';

export interface ContainerPolicy {
  canPost: boolean;
  /** Levels a poster may choose here; the first is the default. */
  allowedAccess: AccessLevel[];
  /** Shown beside content posted here ("in Design team"). */
  name?: string;
  href?: string;
}

export async function containerPolicy(rt: Runtime, viewer: Viewer, containerId: number, networkId: number): Promise<ContainerPolicy> {
  const container = await rt.entities.get(containerId);
  if (!container || container.deleted_at !== null || Number(container.network_id) !== networkId) return { canPost: false, allowedAccess: [] };
  const answered = await rt.hooks.filter('container:policy', null, { rt, networkId, viewer, containerId, type: container.type });
  if (answered) return answered;
  const member = await rt.db('container_members').where({ container_id: containerId, user_id: viewer.id }).first('user_id');
  return { canPost: !!member && viewer.status === 'active', allowedAccess: ['group'] };
}
