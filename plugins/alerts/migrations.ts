import { createTables, networkIdColumn, userIdColumn, type Migration } from '../../core';

/**
 * An alert (`alerts_alerts`) is a record: once sent its title, message, severity and audience
 * never change; it is followed by updates (`alerts_updates`) and closed. Each recipient has a
 * row (`alerts_recipients`) holding every channel's state: the email's (pending, sent, failed
 * with the last error and the attempts), when the member first saw it on a page, acknowledged
 * it, and their answer.
 */
export const migrations: Migration[] = [
  createTables('001_alerts', {
    alerts_alerts: (t) => {
      t.increments('id');
      networkIdColumn(t);
      userIdColumn(t, 'sender_id');
      t.string('title', 200).notNullable();
      t.text('message').notNullable();
      t.string('severity', 20).notNullable();
      t.string('answers', 20).notNullable();
      t.string('audience', 20).notNullable();
      t.string('audience_ref', 200).notNullable().defaultTo('');
      t.string('audience_value', 200).notNullable().defaultTo('');
      t.integer('recipients').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('closed_at').nullable();
      t.integer('closed_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
      // The send form's one-time key: a double submit finds the alert the first one made.
      t.string('form_key', 64).notNullable();
      t.unique(['sender_id', 'form_key']);
      t.index(['network_id', 'created_at']);
    },
    alerts_updates: (t) => {
      t.increments('id');
      t.integer('alert_id').unsigned().notNullable().references('id').inTable('alerts_alerts').onDelete('CASCADE');
      userIdColumn(t, 'author_id');
      t.text('message').notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['alert_id']);
    },
    alerts_recipients: (t) => {
      t.integer('alert_id').unsigned().notNullable().references('id').inTable('alerts_alerts').onDelete('CASCADE');
      userIdColumn(t, 'user_id');
      t.primary(['alert_id', 'user_id']);
      t.string('mail_state', 10).notNullable().defaultTo('pending');
      t.integer('mail_attempts').notNullable().defaultTo(0);
      t.string('mail_error', 300).nullable();
      t.bigInteger('mailed_at').nullable();
      t.bigInteger('seen_at').nullable();
      t.bigInteger('acked_at').nullable();
      t.string('answer', 20).nullable();
      t.bigInteger('answered_at').nullable();
      t.bigInteger('reminded_at').nullable();
      t.index(['user_id', 'acked_at']);
    },
  }),
];
