// Printable name badges (the events plugin on), both databases: an event's organisers (author,
// co-organiser) get a sheet with each member going, their name and the QR of their current
// code (none for a member who turned the feature off), from the event page's actions menu;
// anyone else, an unknown event, or the events plugin off: 404 and no menu entry.
import QRCode from 'qrcode';
import { eachAppOf } from '../../helpers/each-app';
import { rowCount } from '../../helpers/rows';
import { ConnectService } from '../../../plugins/connect/service';
import { DAY, eventApp, HOUR } from '../events/support';

const eachApp = eachAppOf(async (db) => {
  const app = await eventApp(db);
  await app.rt.pluginState.enable('connect');
  return app;
});

// As the page writes it: Handlebars escapes the base64 padding (`=` as `&#x3D;`), which browsers read back.
const qrOf = async (url: string): Promise<string> =>
  `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })).toString('base64')}`.replace(
    /=/g,
    '&#x3D;',
  );

eachApp('an organiser prints name badges with each attendee’s QR; nobody else can', async (t, app) => {
  const olga = await app.member('olga');
  const co = await app.member('cole');
  const mia = await app.member('mia');
  const zoe = await app.member('zoe');
  await app.member('max');
  const id = await app.plan(olga, { title: 'Spring meetup', organiserIds: [co] });
  await (await app.as('mia')).post(`/events/${id}/rsvp`, { answer: 'going' });
  await (await app.as('zoe')).post(`/events/${id}/rsvp`, { answer: 'going' });
  await (await app.as('max')).post(`/events/${id}/rsvp`, { answer: 'maybe' });
  await (await app.as('zoe')).post('/connect/off');

  const organiser = await app.as('olga');
  let res = await organiser.get(`/events/${id}`);
  t.regex(res.text, new RegExp(`href="/connect/badges/${id}"[^>]*>Print name badges<`));
  res = await organiser.get(`/connect/badges/${id}`);
  t.is(res.status, 200);
  t.regex(res.text, /Name badges: Spring meetup/);
  const names = [...res.text.matchAll(/connect-badge__name">([^<]+)</g)].map((m) => m[1]);
  t.deepEqual(names, ['Mia', 'Zoe'], 'those going, by name; not "maybe"');
  // Mia has no code yet: the sheet (a GET) writes none; the organiser issues the missing ones.
  t.regex(res.text, /Mia<\/strong>\s*<span class="muted connect-badge__none">No code lasting until the event ends/);
  t.is(await rowCount(app.rt.db('connect_codes')), 0);
  t.regex(res.text, new RegExp(`action="/connect/badges/${id}/codes"[\\s\\S]*Issue a code lasting the event for the 1 member going without one`));
  res = await organiser.post(`/connect/badges/${id}/codes`);
  t.is(res.status, 303);
  t.is(res.headers.location, `/connect/badges/${id}`);
  res = await organiser.get(`/connect/badges/${id}`);
  t.regex(res.text, /1 code issued or extended to the end of the event/);
  t.notRegex(res.text, /Issue a code/);
  t.is((await organiser.post(`/connect/badges/${id}/codes`)).status, 303, 'twice is as once');
  t.is(await rowCount(app.rt.db('connect_codes')), 1);
  res = await organiser.get(`/connect/badges/${id}`);
  const code = await app.rt.db('connect_codes').where({ user_id: mia }).first('code');
  t.true(res.text.includes(`src="${await qrOf(`${app.rt.config.siteUrl.replace(/\/$/, '')}/connect/c/${code.code}`)}"`), "Mia's current code");
  t.regex(res.text, /Zoe<\/strong>\s*<span class="muted connect-badge__none">Connect in person is off for this member/);
  t.falsy(await app.rt.db('connect_codes').where({ user_id: zoe }).first());
  // A co-organiser too, in French.
  res = await (await app.as('cole')).agent.http.get(`/connect/badges/${id}`).set('Accept-Language', 'fr');
  t.is(res.status, 200);

  // An attendee, an unknown event: 404, and no entry in the menu.
  const attendee = await app.as('mia');
  t.notRegex((await attendee.get(`/events/${id}`)).text, /connect\/badges/);
  res = await attendee.get(`/connect/badges/${id}`);
  t.is(res.status, 404);
  t.regex(res.text, /This event does not exist, or you do not organise it/);
  t.is((await attendee.post(`/connect/badges/${id}/codes`)).status, 404);
  t.is((await organiser.get('/connect/badges/999999')).status, 404);
  // The events plugin off: no badges.
  await app.rt.pluginState.disable('events');
  t.is((await organiser.get(`/connect/badges/${id}`)).status, 404);
});

// A festival lasts days: a badge's code works until its event ends, where a member's code
// otherwise lasts a day. The member's current code is kept and made to last (phone and badge
// show the same); one that would expire before the end counts as missing on the sheet.
eachApp('badge codes last until the event ends; a current code is extended, not replaced', async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const ned = await app.member('ned');
  const ivy = await app.member('ivy');
  const startsAt = Date.now() + 2 * HOUR;
  const endsAt = startsAt + 3 * DAY;
  const id = await app.plan(olga, { title: 'Festival', startsAt, endsAt });
  for (const who of ['mia', 'ned']) await (await app.as(who)).post(`/events/${id}/rsvp`, { answer: 'going' });
  await (await app.as('mia')).post('/connect/rotate'); // Mia shows her code today: it lasts a day
  const before = await app.rt.db('connect_codes').where({ user_id: mia }).first('code', 'expires_at');
  t.truthy(before, 'Mia has a code');
  t.true(Number(before.expires_at) < endsAt);

  const organiser = await app.as('olga');
  let res = await organiser.get(`/connect/badges/${id}`);
  t.regex(res.text, /Mia<\/strong>\s*<span class="muted connect-badge__none">No code lasting until the event ends/, 'a day-long code is not printed');
  t.regex(res.text, /Issue codes lasting the event for the 2 members going without one/);
  t.is((await organiser.post(`/connect/badges/${id}/codes`)).status, 303);
  const after = await app.rt.db('connect_codes').whereIn('user_id', [mia, ned]).select('user_id', 'code', 'expires_at');
  t.is(after.length, 2);
  for (const row of after) t.true(Number(row.expires_at) >= endsAt, 'lasts until the event ends');
  t.is(after.find((r) => Number(r.user_id) === mia)!.code, before.code, 'Mia keeps her code, made to last');
  res = await organiser.get(`/connect/badges/${id}`);
  t.notRegex(res.text, /Issue code/);
  t.is([...res.text.matchAll(/connect-badge__code">/g)].length, 2, 'both badges carry a code');
  const rows = () => app.rt.db('connect_codes').whereIn('user_id', [mia, ned]).orderBy('user_id').select('code', 'expires_at');
  const issued = await rows();
  t.is((await organiser.post(`/connect/badges/${id}/codes`)).status, 303);
  t.deepEqual(await rows(), issued, 'twice is as once');

  // On the festival's third day, Ivy opens Ned's badge: it still works.
  const ned3 = after.find((r) => Number(r.user_id) === ned)!.code;
  const owner = await app.rt.container.resolve(ConnectService).owner(ned3, app.rt.networks.root().id, ivy, startsAt + 2 * DAY + HOUR);
  t.is(owner.id, ned);
  // A day after it ended, it does not.
  await t.throwsAsync(app.rt.container.resolve(ConnectService).owner(ned3, app.rt.networks.root().id, ivy, endsAt + DAY));
});
