import type { Migration } from '../migration';
import { entityAccessFlag } from './access-flag';

/**
 * Whether an entity is withheld by moderation (hidden by a moderator, or held for review
 * before anyone sees it): the access model then shows it to its author and to the moderators
 * of its network only. Separate from `published`, which is the author's (a draft, a post
 * scheduled for later): an edit by the author never clears it, only a moderator's decision
 * does. The count index of 013 is rebuilt with the column, so counting what a viewer may see
 * still reads the index alone.
 */
export const withheldContent: Migration = entityAccessFlag(
  '039_withheld_content',
  'withheld',
  false,
  ['network_id', 'type', 'access', 'deleted_at', 'published', 'owner_id', 'container_id'],
  ['network_id', 'type', 'access', 'deleted_at', 'published', 'withheld', 'owner_id', 'container_id'],
);
