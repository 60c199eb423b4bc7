// Members' time zones (issue 27 item 11): the core's helpers read and write wall-clock times
// in a zone, daylight-saving changes included; the account page keeps the member's zone
// (the browser's offered while none is chosen) and dates on pages follow it.
import test from 'ava';
import { fromLocalInput, instantOf, isTimeZone, toLocalInput, zoneOr } from '../../core';
import { eachApp } from '../helpers/each-app';
import { makeApp } from '../helpers/app';
import { createMember, formAgent, signedIn } from '../helpers/members';

test('a datetime-local value is read and written in the zone, across daylight-saving changes', (t) => {
  t.is(fromLocalInput('2030-06-01T09:00', 'Europe/Paris'), Date.UTC(2030, 5, 1, 7, 0));
  t.is(fromLocalInput('2030-12-01T09:00', 'Europe/Paris'), Date.UTC(2030, 11, 1, 8, 0));
  t.is(fromLocalInput('2030-06-01T09:00:30', 'America/New_York'), Date.UTC(2030, 5, 1, 13, 0, 30));
  t.is(fromLocalInput('2030-06-01T09:00', 'UTC'), Date.UTC(2030, 5, 1, 9, 0));
  t.is(toLocalInput(Date.UTC(2030, 5, 1, 7, 0), 'Europe/Paris'), '2030-06-01T09:00');
  t.is(toLocalInput(Date.UTC(2030, 11, 31, 23, 30), 'Asia/Tokyo'), '2031-01-01T08:30');
  t.is(toLocalInput(null, 'Europe/Paris'), '');
  // Paris springs forward on 2030-03-31 at 02:00 (02:30 does not exist: read with the offset before, 03:30)
  // and falls back on 2030-10-27 at 03:00 (02:30 happens twice: the first).
  t.is(fromLocalInput('2030-03-31T02:30', 'Europe/Paris'), Date.UTC(2030, 2, 31, 1, 30));
  t.is(fromLocalInput('2030-10-27T02:30', 'Europe/Paris'), Date.UTC(2030, 9, 27, 0, 30));
  t.is(instantOf('Europe/Paris', 2030, 10, 27, 4), Date.UTC(2030, 9, 27, 3, 0));
  for (const bad of ['2030-02-30T10:00', '2030-13-01T10:00', '2030-06-01T24:00', '2030-06-01 09:00', 'soon', ''])
    t.is(fromLocalInput(bad, 'Europe/Paris'), null, bad);
  t.true(isTimeZone('America/Sao_Paulo'));
  t.false(isTimeZone('Mars/Olympus'));
  t.false(isTimeZone(42));
  t.is(zoneOr(null, '', 'Nowhere/Atlantis', 'Asia/Singapore', 'Europe/Paris'), 'Asia/Singapore');
  t.is(zoneOr(undefined), 'UTC');
});

eachApp('the account page keeps the member’s time zone; an unknown one is refused with the input kept', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const id = await createMember(rt, 'lena');
  const agent = await signedIn(app, 'lena');
  const page = await agent.http.get('/account');
  t.is(page.status, 200);
  t.regex(page.text, /<h2 class="card__title" id="account-zone">Time zone<\/h2>/);
  // None chosen: the list says so, and time-zone.js offers the browser's.
  t.regex(page.text, /<select id="field-timeZone" name="timeZone"[^>]* data-browser-zone>/);
  t.regex(page.text, /<option value="">Not chosen \(UTC\)<\/option>/);
  t.regex(page.text, /<script src="\/assets\/theme\/default\/js\/time-zone\.js\?v(=|&#x3D;)\w+" defer><\/script>/);
  const form = await formAgent(agent, '/account');
  const refused = await form.post('/account/time-zone', { timeZone: 'Mars/Olympus' });
  t.is(refused.status, 422);
  t.regex(refused.text, /&quot;Mars\/Olympus&quot; is not a time zone: choose one from the list\./);
  t.is(await rt.users.timeZone(id), null);
  const saved = await form.post('/account/time-zone', { timeZone: 'America/Sao_Paulo' });
  t.is(saved.status, 303);
  t.is(await rt.users.timeZone(id), 'America/Sao_Paulo');
  const after = await agent.http.get('/account');
  t.regex(after.text, /Your time zone is saved: America\/Sao_Paulo\./);
  t.regex(after.text, /<option value="America\/Sao_Paulo" selected>/);
  t.notRegex(after.text, /data-browser-zone/);
  // Back to none ("Not chosen"), and French.
  t.is((await form.post('/account/time-zone', { timeZone: '' })).status, 303);
  t.is(await rt.users.timeZone(id), null);
  await rt.users.setLocale(id, 'fr');
  const fr = await form.post('/account/time-zone', { timeZone: 'Lune/Tranquillité' });
  t.regex(fr.text, /« Lune\/Tranquillité » n’est pas un fuseau horaire/);
});

eachApp('dates on pages are written in the reader’s time zone', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const at = new Date(Date.UTC(2030, 5, 1, 22, 30));
  const env = { locale: 'en', csrfToken: '', now: new Date(Date.UTC(2030, 6, 1)), can: () => false, url: (p: string) => p, asset: (p: string) => p };
  const { dateHtml } = await import('../../core/views/helpers');
  t.regex(dateHtml(rt.i18n, { ...env, timeZone: 'UTC' }, at, 'datetime'), />June 1, 2030 at 10:30\s?PM</);
  t.regex(dateHtml(rt.i18n, { ...env, timeZone: 'Asia/Tokyo' }, at, 'datetime'), />June 2, 2030 at 7:30\s?AM</);
  t.regex(dateHtml(rt.i18n, { ...env, timeZone: 'Asia/Tokyo' }, at, undefined), />June 2, 2030</, 'older than a week: the date, in the zone');
});
