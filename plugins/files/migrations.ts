import type { Knex } from 'knex';
import {
  addColumns,
  cardVersionMigration,
  createTables,
  dropColumns,
  entityIdColumn,
  entityKeyColumn,
  queueSearchOfType,
  userIdColumn,
  type Migration,
} from '../../core';
import { ALBUM } from './constants';

/** What a file holds, and each earlier version of it held: its size, type and stored keys. */
function storedFileColumns(t: Knex.CreateTableBuilder): void {
  t.bigInteger('size').notNullable();
  t.string('mime', 120).notNullable();
  t.string('kind', 10).notNullable();
  t.string('key', 120).notNullable();
  t.string('display_key', 120).nullable();
  t.string('thumb_key', 120).nullable();
  t.string('original_key', 120).nullable();
  t.integer('width').nullable();
  t.integer('height').nullable();
}

/**
 * Files (keyed by their entity: owner, container, network and access level are the core's)
 * and the folders of a container's library.
 */
export const migrations: Migration[] = [
  createTables('001_files', {
    files_folders: (t) => {
      t.increments('id');
      entityIdColumn(t, 'container_id');
      t.integer('parent_id').unsigned().nullable().references('id').inTable('files_folders').onDelete('CASCADE');
      userIdColumn(t, 'owner_id');
      t.string('name', 120).notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['container_id', 'parent_id']);
    },
    files_items: (t) => {
      entityKeyColumn(t);
      t.string('name', 200).notNullable();
      t.integer('folder_id').unsigned().nullable().references('id').inTable('files_folders').onDelete('SET NULL');
      storedFileColumns(t);
      t.bigInteger('batch_id').nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['folder_id']);
      t.index(['batch_id']);
    },
  }),
  {
    // Earlier versions of a file: each row holds what the file was before a new version replaced it.
    name: '002_files_versions',
    async up(db) {
      await db.schema.alterTable('files_items', (t) => {
        t.integer('version').notNullable().defaultTo(1);
      });
      await db.schema.createTable('files_versions', (t) => {
        t.increments('id');
        entityIdColumn(t, 'entity_id');
        t.integer('number').notNullable();
        storedFileColumns(t);
        t.bigInteger('created_at').notNullable();
        t.index(['entity_id', 'number']);
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('files_versions');
      await dropColumns(db, 'files_items', 'version');
    },
  },
  // Scanning (scan.ts): a file waits in `pending` until every scanner said yes.
  addColumns('003_files_state', 'files_items', { state: (t, c) => t.string(c, 10).notNullable().defaultTo('ready') }),
  {
    // Photo albums (an entity of type `album`: title, description, cover) and the photos' captions.
    name: '004_files_albums',
    async up(db) {
      await db.schema.createTable('files_albums', (t) => {
        entityKeyColumn(t);
        t.string('title', 120).notNullable();
        t.text('description').nullable();
        t.bigInteger('cover_id').unsigned().nullable().references('id').inTable('entities').onDelete('SET NULL');
        t.bigInteger('created_at').notNullable();
      });
      await db.schema.alterTable('files_items', (t) => {
        t.bigInteger('album_id').unsigned().nullable().references('id').inTable('entities').onDelete('SET NULL');
        t.string('caption', 500).nullable();
        t.index(['album_id']);
      });
    },
    async down(db) {
      await db.schema.alterTable('files_items', (t) => {
        t.dropIndex(['album_id']);
        t.dropForeign(['album_id']);
        t.dropColumn('album_id');
        t.dropColumn('caption');
      });
      await db.schema.dropTableIfExists('files_albums');
    },
  },
  {
    // A new version waits in `files_versions` (pending) while scanners look at it, the current one
    // staying visible; a refusal is remembered so its notification names the file.
    name: '005_files_pending_versions',
    async up(db) {
      await db.schema.alterTable('files_versions', (t) => {
        t.boolean('pending').notNullable().defaultTo(false);
      });
      await db.schema.createTable('files_refusals', (t) => {
        t.increments('id');
        userIdColumn(t, 'user_id');
        t.string('name', 200).notNullable();
        t.bigInteger('created_at').notNullable();
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('files_refusals');
      await dropColumns(db, 'files_versions', 'pending');
    },
  },
  {
    // Attachments (attachments.ts): the parent a file is attached to, as its plugin names it, and
    // the entity whose access it follows (null: the parent's plugin decides, a private message).
    name: '006_files_attachments',
    async up(db) {
      await db.schema.alterTable('files_items', (t) => {
        t.string('parent_kind', 40).nullable();
        t.bigInteger('parent_id').nullable();
        t.bigInteger('parent_entity_id').nullable();
        t.index(['parent_kind', 'parent_id']);
        t.index(['parent_entity_id']);
      });
    },
    async down(db) {
      await db.schema.alterTable('files_items', (t) => {
        t.dropIndex(['parent_kind', 'parent_id']);
        t.dropIndex(['parent_entity_id']);
        t.dropColumn('parent_kind');
        t.dropColumn('parent_id');
        t.dropColumn('parent_entity_id');
      });
    },
  },
  {
    // Albums became searchable (their title and description): the index hears of the existing ones.
    name: '007_files_albums_searchable',
    async up(db) {
      await queueSearchOfType(db, ALBUM);
    },
    async down() {
      // The index keeps what it read; it is derived data, rebuilt by `ruche search reindex`.
    },
  },
  // An attached file added, deleted, renamed or made ready changes its parent's panels (issue 18): the
  // parent entity's version goes up, by any writer. A file's own row, its card in a feed or a library.
  cardVersionMigration('008_files_parent_card_version', 'files_parent', 'files_items', 'parent_entity_id'),
  cardVersionMigration('009_files_card_version', 'files_items', 'files_items'),
  // A file added to a batch, or one of it renamed or deleted, changes the batch's card (its first file's entity).
  cardVersionMigration('010_files_batch_card_version', 'files_batch', 'files_items', 'batch_id'),
];
