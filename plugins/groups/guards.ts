/**
 * Keeps content posted into a group at a level the group allows. The activity plugin checks
 * only that the poster is a member; a status posted into a closed or secret group with a
 * wider level (a forged form) is narrowed to `group` as soon as it is posted — before the
 * mention notifications, which check visibility afterwards.
 */
import type { Runtime } from '../../core';
import '../activity/hooks';
import { GROUP } from './service';

export async function clampPosted(p: { networkId: number; entityId: number }, rt: Runtime): Promise<void> {
  const e = await rt.entities.get(p.entityId);
  if (!e || e.container_id === null) return;
  const g = await rt.db('entities as e').join('groups as g', 'g.entity_id', 'e.id').where('e.id', e.container_id).where('e.type', GROUP).first('g.visibility');
  if (!g) return;
  const allowed = g.visibility === 'open' ? ['network', 'group'] : ['group'];
  if (!allowed.includes(e.access)) await rt.entities.update(e.id, { access: 'group' });
}
