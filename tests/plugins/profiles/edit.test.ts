import sharp from 'sharp';
import { eachApp } from '../../helpers/each-app';
import { makeApp, type TestAgent } from '../../helpers/app';
import { addField, addUser, csrfOf, signIn } from './support';

async function form(agent: TestAgent): Promise<string> {
  return csrfOf((await agent.http.get('/profile/edit')).text);
}

eachApp('edit profile: saves built-in and extra fields, shown on the profile', makeApp, async (t, app) => {
  const alice = await addUser(app, 'alice');
  const city = await addField(app, 'city', 'choice', 'members', { choices: ['Paris', 'Lyon'] });
  const diet = await addField(app, 'diet', 'multichoice', 'members', { choices: ['Vegan', 'Halal', 'Kosher'] });
  const arrival = await addField(app, 'arrival', 'date', 'members');
  const site = await addField(app, 'site', 'url', 'members');
  const agent = await signIn(app, 'alice');
  const page = await agent.http.get('/profile/edit');
  t.is(page.status, 200);
  t.true(page.text.includes(`name="f_${city}"`));
  const res = await agent.http
    .post('/profile/edit')
    .type('form')
    .send({
      _csrf: csrfOf(page.text),
      headline: 'Engineer',
      department: 'R&D',
      location: 'Lyon',
      languages: 'French, English, french',
      skills: 'Go,  Rust',
      about: 'Hello *world*',
      [`f_${city}`]: 'Lyon',
      [`f_${diet}`]: ['Vegan', 'Kosher'],
      [`f_${arrival}`]: '2026-07-14',
      [`f_${site}`]: 'https://example.com/alice',
    });
  t.is(res.status, 303);
  const row = await app.app.ruche.db('profiles').where({ user_id: alice }).first();
  t.is(row.languages, 'French, English');
  t.is(row.skills, 'Go, Rust');
  const values = await app.app.ruche.db('profile_values').where({ user_id: alice, field_id: diet }).orderBy('value').pluck('value');
  t.deepEqual(values, ['Kosher', 'Vegan']);
  const profile = await agent.http.get('/people/alice');
  for (const s of ['Engineer', 'R&amp;D', 'Kosher', 'Vegan', '2026-07-14', 'https://example.com/alice', '<em>world</em>'])
    t.true(profile.text.includes(s), s);
  // editing again replaces the multi-choice rows
  await agent.http
    .post('/profile/edit')
    .type('form')
    .send({ _csrf: await form(agent), [`f_${diet}`]: 'Halal', [`f_${city}`]: '' });
  t.deepEqual(await app.app.ruche.db('profile_values').where({ user_id: alice, field_id: diet }).pluck('value'), ['Halal']);
  t.is((await app.app.ruche.db('profile_values').where({ user_id: alice, field_id: city })).length, 0);
});

eachApp('edit profile: tampered ids and values, required, date and url refused, nothing saved, input kept', makeApp, async (t, app) => {
  const alice = await addUser(app, 'alice');
  const city = await addField(app, 'city', 'choice', 'members', { choices: ['Paris', 'Lyon'] });
  const badge = await addField(app, 'badge', 'text', 'members', { required: true });
  const arrival = await addField(app, 'arrival', 'date', 'members');
  const site = await addField(app, 'site', 'url', 'members');
  const agent = await signIn(app, 'alice');
  const ok = { headline: 'Kept headline', [`f_${badge}`]: 'B-12' };
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['unknown field id', { ...ok, f_99999: 'x' }, 400, 'does not exist'],
    ['non-numeric field id', { ...ok, 'f_1 OR 1=1': 'x' }, 400, 'does not exist'],
    ['choice not in the list', { ...ok, [`f_${city}`]: 'Berlin' }, 400, 'Pick one of the proposed choices'],
    ['two values for a single choice', { ...ok, [`f_${city}`]: ['Paris', 'Lyon'] }, 400, 'not valid'],
    ['required field empty', { ...ok, [`f_${badge}`]: '  ' }, 422, 'This field is required'],
    ['impossible date', { ...ok, [`f_${arrival}`]: '2026-02-30' }, 422, 'YYYY-MM-DD'],
    ['date in another format', { ...ok, [`f_${arrival}`]: '14/07/2026' }, 422, 'YYYY-MM-DD'],
    ['javascript url', { ...ok, [`f_${site}`]: 'javascript:alert(1)' }, 422, 'http://'],
    ['headline too long', { ...ok, headline: 'x'.repeat(201) }, 422, 'At most 200'],
  ];
  for (const [what, fields, status, message] of cases) {
    const res = await agent.http
      .post('/profile/edit')
      .type('form')
      .send({ _csrf: await form(agent), ...fields });
    t.is(res.status, status, what);
    t.true(res.text.includes(message), `${what}: ${message}`);
    t.true(
      res.text.includes(typeof fields.headline === 'string' && fields.headline.length <= 200 ? 'Kept headline' : 'xxxxxxxx'),
      `${what}: input kept`,
    );
    t.is((await app.app.ruche.db('profile_values').where({ user_id: alice })).length, 0, `${what}: nothing saved`);
    t.falsy(await app.app.ruche.db('profiles').where({ user_id: alice }).first(), `${what}: nothing saved`);
  }
  const saved = await agent.http
    .post('/profile/edit')
    .type('form')
    .send({ _csrf: await form(agent), ...ok });
  t.is(saved.status, 303);
});

eachApp('photo: a real PNG is stored in three sizes, served immutable; others refused', makeApp, async (t, app) => {
  const alice = await addUser(app, 'alice');
  const agent = await signIn(app, 'alice');
  const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .png()
    .toBuffer();
  const res = await agent.http
    .post('/profile/photo')
    .field('_csrf', await form(agent))
    .attach('photo', png, { filename: 'me.png', contentType: 'image/png' });
  t.is(res.status, 303);
  const key = (await app.app.ruche.db('users').where({ id: alice }).first()).photo_key as string;
  t.regex(key, /^[a-f0-9]{20}$/);
  for (const size of [64, 160, 400]) {
    const stored = await app.app.ruche.storage.get(`avatars/${alice}/${key}-${size}.jpg`);
    t.truthy(stored, `size ${size} stored`);
    const meta = await sharp(stored!.data).metadata();
    t.is(meta.format, 'jpeg');
    t.is(meta.width, size);
    t.is(meta.height, size);
    const served = await agent.http.get(`/avatars/${alice}/${key}-${size}.jpg`);
    t.is(served.status, 200);
    t.regex(served.headers['cache-control'], /immutable/);
    t.is(served.headers['content-type'], 'image/jpeg');
  }
  t.true((await agent.http.get('/people/alice')).text.includes(`/avatars/${alice}/${key}-400.jpg`));

  // not an image (even named .png and declared as one), and a file over 5 MB: refused, nothing changed
  const notImage = await agent.http
    .post('/profile/photo')
    .field('_csrf', await form(agent))
    .attach('photo', Buffer.from('<html><script>alert(1)</script></html>'), { filename: 'x.png', contentType: 'image/png' });
  t.is(notImage.status, 422);
  t.true(notImage.text.includes('not an image'));
  const big = Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024 + 10)]);
  const oversize = await agent.http
    .post('/profile/photo')
    .field('_csrf', await form(agent))
    .attach('photo', big, { filename: 'big.png', contentType: 'image/png' });
  t.is(oversize.status, 413);
  t.true(oversize.text.includes('too large'));
  const missing = await agent.http.post('/profile/photo').field('_csrf', await form(agent));
  t.is(missing.status, 422);
  t.is((await app.app.ruche.db('users').where({ id: alice }).first()).photo_key, key);

  // a new photo replaces the old files; removing goes back to the initials
  const png2 = await sharp({ create: { width: 50, height: 80, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } })
    .png()
    .toBuffer();
  t.is(
    (
      await agent.http
        .post('/profile/photo')
        .field('_csrf', await form(agent))
        .attach('photo', png2, { filename: 'b.png', contentType: 'image/png' })
    ).status,
    303,
  );
  const key2 = (await app.app.ruche.db('users').where({ id: alice }).first()).photo_key as string;
  t.not(key2, key);
  await app.app.ruche.background.settled(); // the old files go once the change is committed
  t.is(await app.app.ruche.storage.get(`avatars/${alice}/${key}-64.jpg`), undefined);
  t.is(
    (
      await agent.http
        .post('/profile/photo/remove')
        .type('form')
        .send({ _csrf: await form(agent) })
    ).status,
    303,
  );
  t.is((await app.app.ruche.db('users').where({ id: alice }).first()).photo_key, null);
  await app.app.ruche.background.settled();
  t.is(await app.app.ruche.storage.get(`avatars/${alice}/${key2}-160.jpg`), undefined);
  t.true((await agent.http.get('/people/alice')).text.includes(`/avatars/${alice}/initials.svg`));
});

eachApp('edit profile: guests are sent to sign in; French rendering', makeApp, async (t, app) => {
  await addUser(app, 'alice');
  const guest = app.agent();
  const res = await guest.http.get('/profile/edit');
  t.true([302, 303].includes(res.status));
  await app.app.ruche.db('users').where({ username: 'alice' }).update({ locale: 'fr' });
  const agent = await signIn(app, 'alice');
  const page = await agent.http.get('/profile/edit');
  t.true(page.text.includes('Modifier mon profil'));
});
