/**
 * What the groups plugin answers for plugins that work with groups without depending on
 * them (`integrations: ['groups']`): group names by id and a member's groups. The hook bus
 * runs these only where groups are enabled, so those plugins never probe the `groups` table.
 */
import { onFilter, type HookRegistration } from '../../core';
import './hooks';

export const groupIntegrations: HookRegistration[] = [
  onFilter('groups:names', async (names, { rt, ids }) => {
    if (!ids.length) return names;
    const rows = (await rt
      .db('groups')
      .whereIn('entity_id', [...ids])
      .select('entity_id', 'name')) as { entity_id: number; name: string }[];
    return { ...names, ...Object.fromEntries(rows.map((r) => [Number(r.entity_id), r.name])) };
  }),
  onFilter('groups:ofMember', async (list, { rt, networkId, userId }) => {
    const rows = (await rt
      .db('container_members as cm')
      .join('groups as g', 'g.entity_id', 'cm.container_id')
      .join('entities as e', 'e.id', 'g.entity_id')
      .where('cm.user_id', userId)
      .where('e.network_id', networkId)
      .whereNull('e.deleted_at')
      .orderBy('g.name')
      .select('g.entity_id as id', 'g.name')) as { id: number; name: string }[];
    return [...list, ...rows.map((r) => ({ id: Number(r.id), name: r.name }))];
  }),
];
