import { addIndex, type Migration } from '../migration';

/**
 * A member's latest entities of one kind (issue 18): the profile page's latest articles
 * (`owner_id = ? and type = ?`, newest first, three of them) read this index's range and stop
 * at the third, where `(owner_id, created_at)` walked all of the owner's entities, of every
 * kind, to find their few articles (463 entities for one article on the bench site).
 */
export const entitiesOwnerTypeIndex: Migration = addIndex('043_entities_owner_type_index', 'entities', 'entities_owner_id_type_created_at_index', [
  'owner_id',
  'type',
  'created_at',
]);
