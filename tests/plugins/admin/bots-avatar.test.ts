/**
 * A bot's avatar (Admin → Bots, stored by the core's `rt.avatars`, core/content/avatars.ts):
 * uploaded with the create form (multipart), replaced and removed on its page; bad files (not
 * an image, too large, unreadable) answer the form again with a localised 4xx and what was
 * typed, changing nothing. The avatar then shows where a person's does: its post's card on the
 * group feed, its profile, the people directory. The change and its audit entry are one
 * transaction; the old files go once it is committed. Both databases.
 */
import request from 'supertest';
import sharp from 'sharp';
import type { TestAgent } from '../../helpers/app';
import { signedIn } from '../../helpers/members';
import { eachGroupApp } from '../groups/support';

const square = (r: number, g: number, b: number): Promise<Buffer> =>
  sharp({ create: { width: 120, height: 90, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

/** A multipart post of the fields and an `avatar` file (none when `file` is undefined). */
async function multipart(
  agent: TestAgent,
  url: string,
  fields: Record<string, string | string[]>,
  file?: { data: Buffer; name: string; type: string },
) {
  let req = agent.http.post(url).field('_csrf', await agent.csrf('/admin/bots'));
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) req = req.field(k, one);
  if (file) req = req.attach('avatar', file.data, { filename: file.name, contentType: file.type });
  return req;
}

eachGroupApp('a bot’s avatar: uploaded at creation, refused when bad, replaced, removed; shown on its cards', async (t, app) => {
  const rt = app.rt;
  const builds = await app.group('admin', { name: 'Builds', visibility: 'open' });
  const admin = await signedIn(app, 'admin');
  const form = { displayName: 'CI Bot', username: 'ci-bot', description: 'Posts build results', scope: 'groups', groupIds: String(builds) };

  // Not an image (named .png, declared as one): the form again, 422, what was typed kept, no bot.
  const html = { data: Buffer.from('<html><script>alert(1)</script></html>'), name: 'x.png', type: 'image/png' };
  const notImage = await multipart(admin, '/admin/bots', form, html);
  t.is(notImage.status, 422);
  t.regex(notImage.text, /This file is not an image: use JPEG, PNG, GIF or WebP\./);
  t.regex(notImage.text, /value="CI Bot"/);
  t.regex(notImage.text, /value="ci-bot"/);
  t.regex(notImage.text, /Posts build results<\/textarea>/);
  t.regex(notImage.text, new RegExp(`name="groupIds" value="${builds}" checked`));
  t.falsy(await rt.db('users').where({ username_lower: 'ci-bot' }).first('id'));

  // Too large: a 413 with its limit; a truncated PNG (right first bytes) is unreadable: 422.
  const png = await square(30, 120, 200);
  const big = await multipart(admin, '/admin/bots', form, {
    data: Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024 + 10)]),
    name: 'b.png',
    type: 'image/png',
  });
  t.is(big.status, 413);
  t.regex(big.text, /This file is too large: the limit is 5 MB\./);
  t.regex(big.text, /value="CI Bot"/);
  const broken = await multipart(admin, '/admin/bots', form, { data: png.subarray(0, 60), name: 'c.png', type: 'image/png' });
  t.is(broken.status, 422);
  t.regex(broken.text, /This image could not be read\. Try another file\./);
  t.falsy(await rt.db('users').where({ username_lower: 'ci-bot' }).first('id'));

  // In French, the message too.
  await rt.db('users').where({ username_lower: 'admin' }).update({ locale: 'fr' });
  const fr = await multipart(admin, '/admin/bots', form, html);
  t.is(fr.status, 422);
  t.regex(fr.text, /Ce fichier n’est pas une image/);
  await rt.db('users').where({ username_lower: 'admin' }).update({ locale: 'en' });

  // Created with its avatar: three square sizes stored, the key in the audit entry.
  const created = await multipart(admin, '/admin/bots', form, { data: png, name: 'ci.png', type: 'image/png' });
  t.is(created.status, 303, created.text);
  const botId = Number(/\/admin\/bots\/(\d+)$/.exec(created.headers.location)![1]);
  const key = String((await rt.db('users').where({ id: botId }).first('photo_key')).photo_key);
  t.regex(key, /^[a-f0-9]{20}$/);
  for (const size of [64, 160, 400]) {
    const stored = await rt.storage.get(`avatars/${botId}/${key}-${size}.jpg`);
    t.like(await sharp(stored!.data).metadata(), { format: 'jpeg', width: size, height: size });
  }
  const entry = await rt
    .db('audit_log')
    .where({ action: 'core.bot.create', object_id: String(botId) })
    .first('after');
  t.like(JSON.parse(entry.after), { avatar: key });
  const page = await admin.http.get(`/admin/bots/${botId}`);
  t.true(page.text.includes(`/avatars/${botId}/${key}-160.jpg`), 'its page shows it');
  t.regex(page.text, /name="removeAvatar"/);

  // Where a person's avatar shows: the card of its post, its profile, the directory.
  const token = (await rt.apiTokens.create(botId, 'ci', 'write')).token;
  const posted = await request(app.app.callback())
    .post('/api/v1/status')
    .set('Authorization', `Bearer ${token}`)
    .send({ body: 'Build #7 passed', containerId: builds });
  t.is(posted.status, 201, posted.text);
  t.true((await admin.http.get(`/groups/${builds}`)).text.includes(`/avatars/${botId}/${key}-`), 'on its card in the group feed');
  t.true((await admin.http.get('/people/ci-bot')).text.includes(`/avatars/${botId}/${key}-400.jpg`), 'on its profile');
  t.true((await admin.http.get('/people')).text.includes(`/avatars/${botId}/${key}-`), 'in the directory');

  // A bad file on its page: 422, nothing changed, the name typed kept.
  const badEdit = await multipart(admin, `/admin/bots/${botId}`, { ...form, displayName: 'CI Bot 2' }, html);
  t.is(badEdit.status, 422);
  t.regex(badEdit.text, /value="CI Bot 2"/);
  t.like(await rt.db('users').where({ id: botId }).first('photo_key', 'display_name'), { photo_key: key, display_name: 'CI Bot' });

  // Replaced: the new key, the old files gone once committed; audited before and after.
  const edited = await multipart(admin, `/admin/bots/${botId}`, form, { data: await square(200, 40, 40), name: 'red.png', type: 'image/png' });
  t.is(edited.status, 303);
  const key2 = String((await rt.db('users').where({ id: botId }).first('photo_key')).photo_key);
  t.not(key2, key);
  await rt.background.settled();
  t.is(await rt.storage.get(`avatars/${botId}/${key}-64.jpg`), undefined);
  t.truthy(await rt.storage.get(`avatars/${botId}/${key2}-64.jpg`));
  const update = await rt.db('audit_log').where({ action: 'core.bot.update' }).orderBy('id', 'desc').first('before', 'after');
  t.like(JSON.parse(update.before), { avatar: key });
  t.like(JSON.parse(update.after), { avatar: key2 });

  // Saved without a file, it keeps its avatar; with "remove", back to its initials.
  t.is((await multipart(admin, `/admin/bots/${botId}`, form)).status, 303);
  t.is((await rt.db('users').where({ id: botId }).first('photo_key')).photo_key, key2);
  t.is((await multipart(admin, `/admin/bots/${botId}`, { ...form, removeAvatar: '1' })).status, 303);
  t.is((await rt.db('users').where({ id: botId }).first('photo_key')).photo_key, null);
  await rt.background.settled();
  t.is(await rt.storage.get(`avatars/${botId}/${key2}-160.jpg`), undefined);
  t.true((await admin.http.get('/people/ci-bot')).text.includes(`/avatars/${botId}/initials.svg`));
});
