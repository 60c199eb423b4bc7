// The create/edit form (validation with the input kept, cover upload through sharp,
// Markdown description), who may create or manage, the directory's search (wildcards
// escaped), category filter and pages, the member list's pages, and French pages.
import { relLink } from '../../helpers/api-clients';
import sharp from 'sharp';
import { eachApp } from '../../helpers/each-app';
import { countRows } from '../../helpers/rows';
import { groupApp, idFrom } from './support';

const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .png()
    .toBuffer();

eachApp('a refused form comes back with a 400, a message per field and everything typed', groupApp, async (t, app) => {
  await app.member('ann');
  const ann = await app.as('ann');
  const res = await ann.post('/groups', { name: '', description: 'Keep **this** text', category: 'party', visibility: 'public' });
  t.is(res.status, 400);
  t.regex(res.text, /Give the group a name/);
  t.regex(res.text, /Choose business or social/);
  t.regex(res.text, /Choose open, closed or secret/);
  t.regex(res.text, /Keep \*\*this\*\* text<\/textarea>/);
  const long = await ann.post('/groups', { name: 'x'.repeat(81), description: '', category: 'social', visibility: 'open' });
  t.is(long.status, 400);
  t.regex(long.text, /at most 80 characters/);
  t.regex(long.text, new RegExp(`value="${'x'.repeat(81)}"`));
  t.is(await countRows(app.db, 'groups'), 0, 'nothing saved');

  const id = await app.group('ann', {
    name: 'Readers',
    visibility: 'open',
    description: 'We read **books** <script>alert(1)</script>',
    category: 'business',
  });
  const page = await ann.get(`/groups/${id}`);
  t.regex(page.text, /We read <strong>books<\/strong>/);
  t.notRegex(page.text, /<script>alert/);
  t.regex(page.text, /Business/);
  await app.member('bob');
  t.is((await (await app.as('bob')).get(`/groups/${id}/edit`)).status, 403, 'only group admins manage');
  t.is(
    (await (await app.as('bob')).post(`/groups/${id}/edit`, { name: 'Mine now', description: '', category: 'social', visibility: 'open' })).status,
    403,
  );
  const edit = await ann.post(`/groups/${id}/edit`, { name: ' ', description: 'changed', category: 'social', visibility: 'open' });
  t.is(edit.status, 400);
  t.regex(edit.text, /changed<\/textarea>/);
  await app.member('mod', { role: 'moderator' });
  t.is((await (await app.as('mod')).get(`/groups/${id}/edit`)).status, 200, 'network moderators manage every group');
});

eachApp('the cover is resized, served only to who sees the group, and a bad file is refused with the input kept', groupApp, async (t, app) => {
  await app.member('ann');
  await app.member('bob');
  const ann = await app.as('ann');
  const upload = async (fields: Record<string, string>, file: { data: Buffer; name: string }) => {
    const token = await ann.agent.csrf('/groups/new');
    const req = ann.agent.http.post('/groups').field('_csrf', token);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('cover', file.data, { filename: file.name, contentType: 'image/png' });
  };
  const bad = await upload(
    { name: 'Painters', description: 'Oils', category: 'social', visibility: 'secret' },
    { data: Buffer.from('not an image'), name: 'x.png' },
  );
  t.is(bad.status, 400);
  t.regex(bad.text, /must be a JPEG, PNG, GIF or WebP image/);
  t.regex(bad.text, /value="Painters"/);
  const res = await upload(
    { name: 'Painters', description: 'Oils', category: 'social', visibility: 'secret' },
    { data: await png(1600, 900), name: 'c.png' },
  );
  const id = idFrom(res, /\/groups\/(\d+)$/);
  const page = await ann.get(`/groups/${id}`);
  const m = /src="(\/groups\/\d+\/cover\/[a-f0-9]{20}-1200\.jpg)"/.exec(page.text);
  t.truthy(m, 'the header shows the cover');
  const img = await ann.agent.http.get(m![1]).buffer(true);
  t.is(img.status, 200);
  t.like(await sharp(img.body as Buffer).metadata(), { format: 'jpeg', width: 1200, height: 300 });
  t.is((await (await app.as('bob')).get(m![1])).status, 404, 'a secret group cover is not served to others');
  const removed = await ann.post(`/groups/${id}/edit`, {
    name: 'Painters',
    description: 'Oils',
    category: 'social',
    visibility: 'secret',
    remove_cover: '1',
  });
  t.is(removed.status, 303);
  t.is((await app.db('groups').where({ entity_id: id }).first('cover_key')).cover_key, null);
});

eachApp('only members holding groups.create create groups; admins can take it away', groupApp, async (t, app) => {
  await app.member('ann');
  const ann = await app.as('ann');
  t.regex((await ann.get('/groups')).text, /Create a group/);
  await app.rt.permissions.setGrant(1, 'groups.create', 'member', false);
  t.notRegex((await ann.get('/groups')).text, /Create a group/);
  t.is((await ann.get('/groups/new')).status, 403);
  t.is((await ann.post('/groups', { name: 'Nope', description: '', category: 'social', visibility: 'open' })).status, 403);
});

eachApp('the directory searches names and descriptions with wildcards escaped, filters by category and pages', groupApp, async (t, app) => {
  await app.member('ann');
  await app.group('ann', { name: '100% Organic', visibility: 'open', description: 'Veggies', category: 'social' });
  await app.group('ann', { name: '100 Organic', visibility: 'open', description: 'Not a percent', category: 'business' });
  await app.group('ann', { name: 'Under_score', visibility: 'closed', description: 'snake case fans', category: 'business' });
  const ann = await app.as('ann');
  const pct = await ann.get(`/groups?q=${encodeURIComponent('100%')}`);
  t.regex(pct.text, /100% Organic/);
  t.notRegex(pct.text, /100 Organic/, '% is a character, not a wildcard');
  const us = await ann.get(`/groups?q=${encodeURIComponent('snake_case')}`);
  t.notRegex(us.text, /Under_score/, '_ is a character, not a wildcard');
  t.regex((await ann.get('/groups?q=SNAKE')).text, /Under_score/, 'descriptions are searched, case-insensitively');
  const business = await ann.get('/groups?category=business');
  t.regex(business.text, /100 Organic/);
  t.notRegex(business.text, /100% Organic/);
  t.regex(business.text, /2 groups/);

  for (let i = 0; i < 21; i++)
    await app.svc.create(
      (await app.rt.users.viewer(app.ids.ann))!,
      1,
      { name: `Club ${String(i).padStart(2, '0')}`, description: '', category: 'social', visibility: 'open' },
      null,
    );
  const first = await ann.get('/groups?q=club');
  t.regex(first.text, /21 groups/);
  t.regex(first.text, /Club 19/);
  t.notRegex(first.text, /Club 20/);
  t.notRegex(first.text, /Page 1 of 2/, 'no page numbers');
  const next = relLink(first.text, 'next')!;
  t.regex(next, /^\/groups\?q=club&after=[A-Za-z0-9_-]+$/);
  // A club named to sort first arrives before "Next": the next page still starts after Club 19.
  await app.svc.create(
    (await app.rt.users.viewer(app.ids.ann))!,
    1,
    { name: 'Club 00a', description: '', category: 'social', visibility: 'open' },
    null,
  );
  const second = await ann.get(next);
  t.deepEqual(
    [...second.text.matchAll(/Club \d\d\w?/g)].map((m) => m[0]).filter((n, i, all) => all.indexOf(n) === i),
    ['Club 20'],
  );
  const prev = relLink(second.text, 'prev')!;
  t.regex(prev, /^\/groups\?q=club&before=[A-Za-z0-9_-]+$/);
  const back = await ann.get(prev);
  t.regex(back.text, /Club 01[\s\S]*Club 19/);
  t.notRegex(back.text, /Club 00\b/, 'the twenty just before Club 20');
  t.is((await ann.get('/groups?after=abc')).status, 400, 'a cursor the list did not write');
  t.is((await ann.get('/groups?page=abc&category=nope')).status, 200, 'odd parameters are ignored');
});

eachApp('the member list shows roles and pages; pages speak French to French members', groupApp, async (t, app) => {
  await app.member('owner');
  await app.member('marie', { locale: 'fr' });
  const id = await app.group('owner', { name: 'Chorale', visibility: 'open' });
  await app.join(id, 'marie');
  for (let i = 0; i < 20; i++) {
    await app.member(`m${String(i).padStart(2, '0')}`);
    await app.join(id, `m${String(i).padStart(2, '0')}`);
  }
  const owner = await app.as('owner');
  const first = await owner.get(`/groups/${id}/members`);
  t.regex(first.text, /@owner[\s\S]*Owner<\/span>/, 'admins first, the owner marked');
  t.regex(first.text, /22 members/);
  t.notRegex(first.text, /@m19/);
  const next = /rel="next" href="([^"]+)"/
    .exec(first.text)![1]
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
  t.regex((await owner.get(next)).text, /@m19/);
  const marie = await app.as('marie');
  const fr = await marie.get(`/groups/${id}`);
  t.regex(fr.text, /Ouvert/);
  t.regex(fr.text, /22 membres/);
  t.regex(fr.text, /Quitter/);
  t.regex((await marie.get('/groups')).text, /Chercher un groupe/);
  t.regex((await marie.get('/groups/mine')).text, /Les groupes dont je fais partie/);
});
