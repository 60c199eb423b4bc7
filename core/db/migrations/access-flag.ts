import { createIndex, dropColumns, dropIndex, type Migration } from '../migration';

/** The index counting what a viewer may see (009): every column the access clause tests is in it. */
export const VISIBLE_COUNT_INDEX = 'entities_visible_count_index';

/**
 * A migration that adds a flag of `entities` the access model tests (`published`, `withheld`):
 * `up` adds the column (never null, `defaultTo` on existing rows), then rebuilds the count index
 * from the columns `from` to the columns `to` (which hold it), so counting what a viewer may see
 * still reads the index alone; `down` rebuilds the index back and drops the column.
 */
export function entityAccessFlag(name: string, column: string, defaultTo: boolean, from: readonly string[], to: readonly string[]): Migration {
  return {
    name,
    async up(db) {
      await db.schema.alterTable('entities', (t) => {
        t.boolean(column).notNullable().defaultTo(defaultTo);
      });
      await dropIndex(db, 'entities', VISIBLE_COUNT_INDEX, from);
      await createIndex(db, 'entities', VISIBLE_COUNT_INDEX, to);
    },
    async down(db) {
      await dropIndex(db, 'entities', VISIBLE_COUNT_INDEX, to);
      await createIndex(db, 'entities', VISIBLE_COUNT_INDEX, from);
      await dropColumns(db, 'entities', column);
    },
  };
}
