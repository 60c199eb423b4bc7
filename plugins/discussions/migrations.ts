import {
  flagColumn,
  addColumns,
  articleColumns,
  createTables,
  entityIdColumn,
  entityKeyColumn,
  userIdColumn,
  type Migration,
  addIndex,
  cardVersionMigration,
} from '../../core';

/**
 * Topics (keyed by their entity; network and container copied here so the lists sort by
 * last activity on one index), flat replies numbered by `position` inside their topic (page
 * N is a range of positions), every saved version of both, subscriptions and read markers.
 */
export const migrations: Migration[] = [
  createTables('001_discussions', {
    discussion_topics: (t) => {
      entityKeyColumn(t);
      t.integer('network_id').unsigned().notNullable();
      t.bigInteger('container_id').nullable();
      articleColumns(t);
      t.boolean('locked').notNullable().defaultTo(false);
      t.boolean('pinned').notNullable().defaultTo(false);
      t.integer('accepted_reply_id').nullable();
      t.integer('reply_seq').notNullable().defaultTo(0);
      t.integer('reply_count').notNullable().defaultTo(0);
      t.integer('last_reply_id').nullable();
      t.bigInteger('last_activity_at').notNullable();
      t.bigInteger('edited_at').nullable();
      t.index(['network_id', 'container_id', 'pinned', 'last_activity_at'], 'discussion_topics_activity');
      t.index(['network_id', 'pinned', 'last_activity_at'], 'discussion_topics_network_activity');
    },
    discussion_replies: (t) => {
      t.increments('id');
      entityIdColumn(t, 'topic_id');
      t.integer('position').notNullable();
      userIdColumn(t, 'author_id');
      t.text('body').notNullable();
      t.text('body_html').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('edited_at').nullable();
      t.bigInteger('deleted_at').nullable();
      t.index(['topic_id', 'id']);
      t.unique(['topic_id', 'position']);
    },
    discussion_revisions: (t) => {
      t.increments('id');
      entityIdColumn(t, 'topic_id');
      t.integer('reply_id').nullable();
      t.string('title', 200).nullable();
      t.text('body').notNullable();
      userIdColumn(t, 'editor_id');
      t.bigInteger('created_at').notNullable();
      t.index(['topic_id', 'reply_id', 'id']);
    },
    discussion_subscriptions: (t) => {
      entityIdColumn(t, 'topic_id');
      userIdColumn(t, 'user_id');
      t.boolean('active').notNullable().defaultTo(true);
      t.bigInteger('created_at').notNullable();
      t.primary(['topic_id', 'user_id']);
    },
    topic_reads: (t) => {
      userIdColumn(t, 'user_id');
      entityIdColumn(t, 'topic_id');
      t.integer('last_read_reply_id').notNullable().defaultTo(0);
      t.bigInteger('read_at').notNullable();
      t.primary(['user_id', 'topic_id']);
    },
  }),
  // A reply a moderator hid (issue 22, core/content/pieces.ts): shown to its author and the
  // network's moderators only, left out of the reply count, search and notifications.
  addColumns('002_replies_withheld', 'discussion_replies', { withheld: flagColumn }),
  // The withheld replies of a topic, few or none: each read of a topic takes those hidden
  // from its reader (their pages, count and ranks leave them out: reading.ts).
  addIndex('003_replies_withheld_index', 'discussion_replies', 'discussion_replies_withheld_topic', ['topic_id', 'position'], 'withheld'),
  // A topic's card in a feed shows its title, excerpt, reply count and answer, and a reply's card
  // its body (describe.ts): every writer of those rows bumps the topic's version, so a kept card
  // (issue 18, plugins/activity/kept-cards.ts) is never shown after they change.
  cardVersionMigration('004_topic_card_version', 'discussion_topics', 'discussion_topics'),
  cardVersionMigration('005_reply_card_version', 'discussion_replies', 'discussion_replies', 'topic_id'),
];
