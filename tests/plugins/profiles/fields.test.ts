import type { Response } from 'supertest';
import { eachApp } from '../../helpers/each-app';
import { makeApp } from '../../helpers/app';
import { ADMIN } from '../../helpers/app';
import { addField, addUser, csrfOf, signIn } from './support';

eachApp('admin profile fields: add, validate, edit, reorder, delete', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const admin = await signIn(app, ADMIN.username);
  let page = await admin.http.get('/admin/profile-fields');
  t.is(page.status, 200);
  t.true(page.text.includes('Profile fields'));

  // Posts a form of the admin pages with the CSRF token of the page fetched last.
  const send = (url: string, fields: Record<string, string>): Promise<Response> =>
    admin.http
      .post(url)
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...fields });
  const bad = await send('/admin/profile-fields', {
    key: 'Bad Key!',
    label_en: '',
    label_fr: 'x',
    type: 'rocket',
    visibility: 'everyone',
    choices: '',
  });
  t.is(bad.status, 422);
  t.true(bad.text.includes('lowercase letters'));
  t.true(bad.text.includes('Pick a type'));
  t.true(bad.text.includes('Pick a visibility'));
  t.true(bad.text.includes('value="Bad Key!"'), 'input kept');
  t.is((await rt.db('profile_fields')).length, 0);

  const lodgingForm = { key: 'lodging', label_en: 'Lodging', label_fr: 'Hébergement', type: 'choice', visibility: 'network' };
  const noChoices = await send('/admin/profile-fields', { ...lodgingForm, choices: '  \n ' });
  t.is(noChoices.status, 422);
  t.true(noChoices.text.includes('at least one choice'));

  const created = await send('/admin/profile-fields', { ...lodgingForm, choices: 'Tent\nHotel\r\nHotel\n', required: 'on' });
  t.is(created.status, 303);
  const lodging = await rt.db('profile_fields').where({ key: 'lodging' }).first();
  t.deepEqual(JSON.parse(lodging.choices), ['Tent', 'Hotel']);
  t.truthy(lodging.required);
  t.is(lodging.visibility, 'network');
  // Built-in fields are listed (issue 27).
  t.regex(page.text, /Built-in fields/);
  t.regex(page.text, /data-builtin-field="department"><td[^>]*>Department<\/td>/);
  // A key or a label (in either language, whatever its case and spaces) taken by another field or a built-in one is refused.
  const taken: [Record<string, string>, string, number?][] = [
    [{ key: 'lodging', label_en: 'L', label_fr: 'L' }, 'already uses this key'],
    [{ key: 'department', label_en: 'Team', label_fr: 'Équipe' }, 'This key belongs to a built-in field'],
    [{ key: 'dept', label_en: 'department ', label_fr: 'Service' }, 'A built-in field already has this label', 2],
    [{ key: 'lodging2', label_en: 'LODGING', label_fr: 'Gîte' }, 'Another field already has this label'],
  ];
  for (const [fields, message, times] of taken) {
    const res = await send('/admin/profile-fields', { type: 'text', visibility: 'members', ...fields });
    t.is(res.status, 422, message);
    t.true(res.text.includes(message), message);
    // 'department ' and 'Service' are the built-in field's English and French labels: both are refused
    if (times) t.is(res.text.split(message).length - 1, times, `${message}: in English and in French`);
  }
  t.is((await rt.db('profile_fields')).length, 1, 'nothing added');

  const flight = await addField(app, 'flight', 'text', 'private');
  page = await admin.http.get('/admin/profile-fields');
  t.true(page.text.indexOf('Lodging') < page.text.indexOf('Label flight'));
  t.is((await send(`/admin/profile-fields/${flight}/move`, { direction: 'up' })).status, 303);
  page = await admin.http.get('/admin/profile-fields');
  t.true(page.text.indexOf('Lodging') > page.text.indexOf('Label flight'), 'moved up');
  t.is((await send(`/admin/profile-fields/${flight}/move`, { direction: 'sideways' })).status, 400);

  // edit: French label, fewer choices drop values no longer allowed
  const alice = await addUser(app, 'alice');
  await rt.db('profile_values').insert([{ user_id: alice, field_id: lodging.id, value: 'Hotel' }]);
  const edit = await admin.http.get(`/admin/profile-fields/${lodging.id}`);
  t.is(edit.status, 200);
  t.true(edit.text.includes('Hébergement'));
  const saved = await admin.http
    .post(`/admin/profile-fields/${lodging.id}`)
    .type('form')
    .send({
      _csrf: csrfOf(edit.text),
      key: 'lodging',
      label_en: 'Accommodation',
      label_fr: 'Logement',
      type: 'choice',
      visibility: 'members',
      choices: 'Tent\nCamper',
    });
  t.is(saved.status, 303);
  const after = await rt.db('profile_fields').where({ id: lodging.id }).first();
  t.is(after.label_en, 'Accommodation');
  t.falsy(after.required);
  t.is((await rt.db('profile_values').where({ field_id: lodging.id })).length, 0);
  t.is((await admin.http.get('/admin/profile-fields/99999')).status, 404);
  t.is((await admin.http.get('/admin/profile-fields/abc')).status, 404);

  const del = await admin.http
    .post(`/admin/profile-fields/${flight}/delete`)
    .type('form')
    .send({ _csrf: csrfOf(edit.text) });
  t.is(del.status, 303);
  t.falsy(await rt.db('profile_fields').where({ id: flight }).first());

  await rt.db('users').where({ id: 1 }).update({ locale: 'fr' });
});

eachApp('admin profile fields: members get 403, guests sign in, nothing changes', makeApp, async (t, app) => {
  await addUser(app, 'bob');
  const field = await addField(app, 'flight', 'text', 'members');
  const bob = await signIn(app, 'bob');
  t.is((await bob.http.get('/admin/profile-fields')).status, 403);
  t.is((await bob.http.get(`/admin/profile-fields/${field}`)).status, 403);
  const token = csrfOf((await bob.http.get('/profile/edit')).text);
  t.is(
    (
      await bob.http
        .post('/admin/profile-fields')
        .type('form')
        .send({ _csrf: token, key: 'x', label_en: 'x', label_fr: 'x', type: 'text', visibility: 'public' })
    ).status,
    403,
  );
  t.is((await bob.http.post(`/admin/profile-fields/${field}/delete`).type('form').send({ _csrf: token })).status, 403);
  t.is((await app.app.ruche.db('profile_fields')).length, 1);
  const guest = app.agent();
  t.true([302, 303].includes((await guest.http.get('/admin/profile-fields')).status));
});

eachApp('admin profile fields: changing a type drops the values it no longer allows', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const a = await addUser(app, 'alice');
  const b = await addUser(app, 'bob');
  const site = await addField(app, 'site', 'text', 'members');
  const diet = await addField(app, 'diet', 'multichoice', 'members', { choices: ['Vegan', 'Halal'] });
  await rt.db('profile_values').insert([
    { user_id: a, field_id: site, value: 'javascript:alert(1)' },
    { user_id: b, field_id: site, value: 'https://example.com/bob' },
    { user_id: a, field_id: diet, value: 'Vegan' },
    { user_id: a, field_id: diet, value: 'Halal' },
  ]);
  const admin = await signIn(app, ADMIN.username);
  const token = csrfOf((await admin.http.get('/admin/profile-fields')).text);
  t.is(
    (
      await admin.http
        .post(`/admin/profile-fields/${site}`)
        .type('form')
        .send({ _csrf: token, key: 'site', label_en: 'Site', label_fr: 'Site', type: 'url', visibility: 'members' })
    ).status,
    303,
  );
  t.deepEqual(await rt.db('profile_values').where({ field_id: site }).pluck('value'), ['https://example.com/bob']);
  t.is(
    (
      await admin.http
        .post(`/admin/profile-fields/${diet}`)
        .type('form')
        .send({ _csrf: token, key: 'diet', label_en: 'Diet', label_fr: 'Régime', type: 'choice', visibility: 'members', choices: 'Vegan\nHalal' })
    ).status,
    303,
  );
  t.is((await rt.db('profile_values').where({ field_id: diet, user_id: a })).length, 1);
  const page = await admin.http.get('/people/bob');
  t.true(page.text.includes('href="https://example.com/bob"'));
});
