import { articleColumns, cardVersionMigration, createTables, entityIdColumn, entityKeyColumn, userIdColumn, type Migration } from '../../core';

/** Blog posts (keyed by their entity) and every saved version of them. */
export const migrations: Migration[] = [
  createTables('001_blogs', {
    blog_posts: (t) => {
      entityKeyColumn(t);
      articleColumns(t);
      t.string('cover_key', 40).nullable();
      t.string('status', 20).notNullable();
      t.bigInteger('publish_at').nullable();
      t.bigInteger('published_at').nullable();
      t.bigInteger('edited_at').nullable();
      t.index(['status', 'published_at']);
    },
    blog_revisions: (t) => {
      t.increments('id');
      entityIdColumn(t, 'entity_id');
      t.string('title', 200).notNullable();
      t.text('body').notNullable();
      userIdColumn(t, 'editor_id');
      t.bigInteger('created_at').notNullable();
      t.index(['entity_id', 'id']);
    },
  }),
  {
    // Drafts and scheduled posts written before the core knew "unpublished" become so.
    name: '002_unpublished_entities',
    async up(db) {
      await db('entities').whereIn('id', db('blog_posts').whereNot('status', 'published').select('entity_id')).update({ published: false });
    },
    async down(db) {
      await db('entities').whereIn('id', db('blog_posts').select('entity_id')).update({ published: true });
    },
  },
  // A post's title, excerpt or cover rewritten (by any writer) changes its feed card (issue 18).
  cardVersionMigration('003_posts_card_version', 'blog_posts', 'blog_posts'),
];
