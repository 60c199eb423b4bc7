import {
  articleColumns,
  cardVersionMigration,
  createTables,
  dropTables,
  entityIdColumn,
  entityKeyColumn,
  userIdColumn,
  type Migration,
  entityMemberKey,
} from '../../core';

/**
 * Events (keyed by their entity), their organisers, the answers, and the calendar subscription
 * tokens; then the reminders sent (one row per event, start, member and kind: a reminder job
 * run twice, by two processes or a retry, reminds nobody twice).
 */
export const migrations: Migration[] = [
  createTables('001_events', {
    events: (t) => {
      entityKeyColumn(t);
      articleColumns(t);
      t.string('cover_key', 40).nullable();
      // Instants in ms UTC; an all-day event runs from 00:00 of its first day to 00:00 after its last, in its zone.
      t.bigInteger('starts_at').notNullable();
      t.bigInteger('ends_at').notNullable();
      t.boolean('all_day').notNullable().defaultTo(false);
      t.string('time_zone', 64).notNullable();
      t.string('place', 300).notNullable().defaultTo('');
      t.string('map_url', 500).nullable();
      t.string('online_url', 500).nullable();
      t.integer('capacity').nullable();
      t.bigInteger('rsvp_deadline').nullable();
      t.boolean('hide_attendees').notNullable().defaultTo(false);
      t.string('status', 20).notNullable().defaultTo('scheduled');
      // Places taken (answers `going`): the conditional update that books a place reads it.
      t.integer('going_count').notNullable().defaultTo(0);
      // iCalendar SEQUENCE: raised by each change a calendar must pick up.
      t.integer('sequence').notNullable().defaultTo(0);
      t.bigInteger('edited_at').nullable();
      t.index(['starts_at']);
    },
    event_organisers: (t) => entityMemberKey(t, 'event_id'),
    event_rsvps: (t) => {
      entityIdColumn(t, 'event_id');
      userIdColumn(t, 'user_id');
      // going | maybe | not_going | waiting (asked for a place when none was left)
      t.string('answer', 12).notNullable();
      t.bigInteger('answered_at').notNullable();
      // Order of the waiting list (the time the member asked, then their row).
      t.bigInteger('waiting_since').nullable();
      t.primary(['event_id', 'user_id']);
      t.index(['user_id', 'answer']);
      t.index(['event_id', 'answer', 'waiting_since']);
    },
    event_calendar_tokens: (t) => {
      t.increments('id');
      userIdColumn(t, 'user_id');
      t.bigInteger('network_id').notNullable();
      // The URL's secret is an HMAC of this nonce under the installation's secret (so the page
      // can show it again); the database keeps its sha256 to find it, never a usable link.
      t.string('nonce', 32).notNullable();
      t.string('token_hash', 64).notNullable().unique();
      // answered | visible
      t.string('scope', 12).notNullable();
      t.bigInteger('created_at').notNullable();
      t.unique(['user_id', 'network_id']);
    },
  }),
  createTables('002_event_reminders_sent', {
    event_reminders_sent: (t) => {
      entityIdColumn(t, 'event_id');
      // The start the reminder was for (an event moved later is reminded again for its new start).
      t.bigInteger('starts_at').notNullable();
      userIdColumn(t, 'user_id');
      // day | hour
      t.string('kind', 8).notNullable();
      t.bigInteger('sent_at').notNullable();
      t.primary(['event_id', 'starts_at', 'user_id', 'kind']);
      t.index(['user_id']);
    },
  }),
  createTables('003_event_questions', {
    // The organisers' questions to attendees (position 0..4) and each member's replies.
    event_questions: (t) => {
      entityIdColumn(t, 'event_id');
      t.integer('position').notNullable();
      t.string('question', 200).notNullable();
      t.primary(['event_id', 'position']);
    },
    event_question_replies: (t) => {
      entityIdColumn(t, 'event_id');
      userIdColumn(t, 'user_id');
      t.integer('position').notNullable();
      t.string('reply', 500).notNullable();
      t.primary(['event_id', 'user_id', 'position']);
      t.index(['user_id']);
    },
  }),
  {
    name: '004_event_series',
    async up(db) {
      // A recurring event: its rule (each date is an event of its own, `events.series_id`).
      await db.schema.createTable('event_series', (t) => {
        t.increments('id');
        t.bigInteger('network_id').notNullable();
        // daily | weekly | monthly, and how many dates
        t.string('repeat', 10).notNullable();
        t.integer('count').notNullable();
        // The first date as planned (the iCalendar DTSTART) and the organiser's zone.
        t.bigInteger('starts_at').notNullable();
        t.bigInteger('ends_at').notNullable();
        t.string('time_zone', 64).notNullable();
        t.bigInteger('created_at').notNullable();
      });
      await db.schema.alterTable('events', (t) => {
        t.integer('series_id').unsigned().nullable().references('id').inTable('event_series').onDelete('SET NULL');
        // The start this date had in the series (its iCalendar RECURRENCE-ID), kept when it is moved.
        t.bigInteger('series_start').nullable();
        t.index(['series_id', 'starts_at']);
      });
    },
    async down(db) {
      await db.schema.alterTable('events', (t) => {
        t.dropIndex(['series_id', 'starts_at']);
        t.dropForeign(['series_id']);
        t.dropColumn('series_id');
        t.dropColumn('series_start');
      });
      await dropTables(db, 'event_series');
    },
  },
  // An event's row rewritten (by any writer) changes its feed card (issue 18).
  cardVersionMigration('005_events_card_version', 'events', 'events'),
];
