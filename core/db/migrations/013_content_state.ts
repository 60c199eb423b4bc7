import type { Migration } from '../migration';
import { entityAccessFlag } from './access-flag';

/**
 * Whether an entity is published: a draft or a post scheduled for later is not, and the
 * access model shows it to its owner only — on its page, its comments and reactions, in
 * feeds, notifications and every other surface. Existing rows are published. The count
 * index of 009 is rebuilt with the column, so counting what a viewer may see still reads
 * the index alone.
 */
export const contentState: Migration = entityAccessFlag(
  '013_content_state',
  'published',
  true,
  ['network_id', 'type', 'access', 'deleted_at', 'owner_id', 'container_id'],
  ['network_id', 'type', 'access', 'deleted_at', 'published', 'owner_id', 'container_id'],
);
