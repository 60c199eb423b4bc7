// The notifications plugin's migration 002 (issue 27 item 11): the time zones members chose on
// the notification settings page move to the core's users.time_zone (a zone already chosen on
// the account page wins) and the plugin's table goes; down puts them back.
import { runMigrationStep } from '../../../core';
import { migrations } from '../../../plugins/notifications/migrations';
import { eachApp } from '../../helpers/each-app';
import { notifApp } from './support';

eachApp('migration 002 moves the members’ chosen zones into the core, the account’s winning', notifApp, async (t, app) => {
  const { rt } = app;
  const [anna, bob, cleo, dan] = await app.members('anna', 'bob', 'cleo', 'dan');
  const step = migrations.find((m) => m.name === '002_time_zones_to_core')!;
  await rt.users.setTimeZone(bob, 'Asia/Tokyo');
  await runMigrationStep(rt.db, () => step.down(rt.db));
  t.deepEqual(await rt.db('notification_members').pluck('timezone'), ['Asia/Tokyo'], 'down keeps the chosen zones');
  await rt.db('users').update({ time_zone: null });
  await rt.db('notification_members').insert([
    { user_id: anna, timezone: 'Europe/Paris', updated_at: 1 },
    { user_id: cleo, timezone: 'Europe/Berlin', updated_at: 1 },
  ]);
  await rt.users.setTimeZone(cleo, 'America/Lima');
  await runMigrationStep(rt.db, () => step.up(rt.db));
  t.is(await rt.users.timeZone(anna), 'Europe/Paris');
  t.is(await rt.users.timeZone(bob), 'Asia/Tokyo');
  t.is(await rt.users.timeZone(cleo), 'America/Lima', 'the account page’s choice wins');
  t.is(await rt.users.timeZone(dan), null);
  t.false(await rt.db.schema.hasTable('notification_members'));
});
