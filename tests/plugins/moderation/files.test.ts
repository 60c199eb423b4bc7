// A reported file in the moderation queue (issue 22): its item, and its history item, show what
// the files plugin says of it through the core's `entity:context` contract (name, type, size, the
// folder, album or group it is in) and a download (a photo: its thumbnail) through the files
// plugin's access-checked routes. A closed group's file is in its admin's queue; nobody else sees
// it: members, the reporter, guests, a partner network's member, another network's admin, a
// suspended moderator.
import type { ExecutionContext } from 'ava';
import type { Response } from 'supertest';
import { eachAppOf } from '../../helpers/each-app';
import { addMemberships, addSubNetwork, formGroup, type PageAgent } from '../../helpers/members';
import { filesApp, fileId, png, upload, type FilesApp } from '../files/support';

const eachApp = eachAppOf((db) => filesApp(db));

/** The queue's or history's item about `key` (`entity-<id>`), as HTML. */
const itemOf = (html: string, key: string): string => {
  const from = html.indexOf(`data-target="${key}"`);
  return from < 0 ? '' : html.slice(from, html.indexOf('</li>', from));
};

/**
 * Nobody else sees the items matching `shown` in the queue (the network's, the group's) or the
 * history: a member, the reporter, a guest, a partner network's member, another network's admin,
 * a suspended moderator (`vic`, signed in before).
 */
async function nobodyElse(t: ExecutionContext, app: FilesApp, group: number, agents: { member: PageAgent; reporter: PageAgent }, shown: RegExp) {
  const sub = await addSubNetwork(app.rt, 'partner');
  const [sam, pia] = [await app.member('sam'), await app.member('pia')];
  await addMemberships(app.rt, sub, [sam], 'admin');
  await addMemberships(app.rt, sub, [pia]);
  await app.db('memberships').where({ user_id: pia, network_id: app.rt.networks.root().id }).delete();
  const vic = await app.as('vic');
  await app.db('users').where({ username: 'vic' }).update({ status: 'suspended' });
  const others: [string, (path: string) => Promise<Response>][] = [
    ['a member', (p) => agents.member.agent.http.get(p)],
    ['the reporter, a group member', (p) => agents.reporter.agent.http.get(p)],
    ['a guest', (p) => app.guest().http.get(p)],
    ['a partner network’s member', async (p) => (await app.as('pia')).agent.http.get(p)],
    ['another network’s admin', async (p) => (await app.as('sam')).agent.http.get(`/n/partner${p}`)],
    ['a suspended moderator', (p) => vic.agent.http.get(p)],
  ];
  for (const [who, get] of others)
    for (const path of ['/moderation', `/moderation?group=${group}`, '/moderation/history']) {
      const res = await get(path);
      t.true(res.status < 500, `${who} ${path}: ${res.status}`);
      t.notRegex(res.text, shown, `${who} ${path}`);
    }
}

eachApp('a reported file shows its name, type, size, place and an access-checked download, to its reviewers only', async (t, app) => {
  const [gina, cora, dora, out] = await app.signedInMembers('gina', 'cora', 'dora', 'out');
  const ids = Object.fromEntries(await Promise.all(['cora', 'dora', 'out'].map(async (u) => [u, (await app.rt.users.byUsername(u))!.id] as const)));
  await app.member('mona', { role: 'moderator' });
  await app.member('vic', { role: 'moderator' });
  const group = await formGroup(gina, app.rt, { name: 'Choir', description: '', category: 'social', visibility: 'closed' }, [ids.cora, ids.dora]);
  const lib = `/files/in/${group}`;
  const minutes = Number(/folder=(\d+)$/.exec((await cora.post(`${lib}/folders`, { name: 'Minutes' })).headers.location)?.[1]);
  t.true(minutes > 0);
  const agenda = fileId(
    await upload(cora, [{ data: Buffer.from('b'.repeat(300)), name: 'agenda.txt', type: 'text/plain' }], {
      container: String(group),
      folder: String(minutes),
    }),
  );
  const album = Number(
    /\/files\/albums\/(\d+)$/.exec((await out.post('/files/albums', { title: 'Summer', access: 'members' })).headers.location)?.[1],
  );
  t.true(album > 0);
  t.is((await upload(out, [{ data: await png(), name: 'beach.png', type: 'image/png' }], { album: String(album) })).status, 303);
  const photo = Number((await app.db('files_items').where({ album_id: album }).first('entity_id')).entity_id);
  t.is((await dora.post(`/moderation/report/entity/${agenda}`, { reason: 'confidential', note: 'Private minutes' })).status, 303);
  t.is((await cora.post(`/moderation/report/entity/${photo}`, { reason: 'spam', note: '' })).status, 303);

  // The network's moderator: both files, each with its context line and links that work.
  const mona = await app.as('mona');
  const queue = (await mona.get('/moderation')).text;
  const file = itemOf(queue, `entity-${agenda}`);
  t.regex(file, /agenda\.txt/);
  t.regex(file, /300 bytes/);
  t.regex(file, /In the folder “Minutes”/);
  t.regex(file, /In Choir/);
  t.regex(file, new RegExp(`href="/files/${agenda}/download">Download<`));
  const image = itemOf(queue, `entity-${photo}`);
  t.regex(image, /beach\.png/);
  t.regex(image, new RegExp(`src="/files/${photo}/image/thumb"`), 'a photo shows its thumbnail');
  t.regex(image, /In the album “Summer”/);
  t.notRegex(image, /In Choir|In the folder/);
  t.is((await mona.agent.http.get(`/files/${agenda}/download`)).status, 200, 'the moderator downloads the closed group’s file');
  t.is((await mona.agent.http.get(`/files/${photo}/image/thumb`)).status, 200);
  t.regex((await mona.agent.http.get('/moderation').set('Accept-Language', 'fr')).text, /Dans le dossier « Minutes »/);

  // The group's admin: the group's file only, the same line.
  const admin = (await gina.get(`/moderation?group=${group}`)).text;
  t.regex(itemOf(admin, `entity-${agenda}`), /In the folder “Minutes”/);
  t.regex(itemOf(admin, `entity-${agenda}`), new RegExp(`href="/files/${agenda}/download"`));
  t.notRegex(admin, /beach\.png/, 'a group admin sees their group’s reports only');
  t.is((await gina.agent.http.get(`/files/${agenda}/download`)).status, 200);

  // The link is the files plugin's, checked again: a member outside the closed group gets nothing.
  t.is((await out.agent.http.get(`/files/${agenda}/download`)).status, 404);

  // The history keeps the line while the file exists.
  t.is((await mona.post(`/moderation/entities/${agenda}/decide`, { decision: 'hide' })).status, 303);
  const history = itemOf((await mona.get('/moderation/history')).text, `entity-${agenda}`);
  t.regex(history, /agenda\.txt/);
  t.regex(history, /In the folder “Minutes”/);
  t.regex(history, new RegExp(`href="/files/${agenda}/download"`));
  t.regex(itemOf((await gina.get(`/moderation/history?group=${group}`)).text, `entity-${agenda}`), /In Choir/);

  await nobodyElse(t, app, group, { member: out, reporter: dora }, /agenda\.txt|beach\.png|Minutes/);
});

eachApp('a reported album shows its title, photo count, group, a link to its photos and its cover, to its reviewers only', async (t, app) => {
  const [gina, cora, dora, out] = await app.signedInMembers('gina', 'cora', 'dora', 'out');
  const ids = Object.fromEntries(await Promise.all(['cora', 'dora'].map(async (u) => [u, (await app.rt.users.byUsername(u))!.id] as const)));
  await app.member('mona', { role: 'moderator' });
  await app.member('vic', { role: 'moderator' });
  const group = await formGroup(gina, app.rt, { name: 'Choir', description: '', category: 'social', visibility: 'closed' }, [ids.cora, ids.dora]);
  const albumOf = async (who: typeof cora, fields: Record<string, string>) =>
    Number(/\/files\/albums\/(\d+)$/.exec((await who.post('/files/albums', fields)).headers.location)?.[1]);
  const tour = await albumOf(cora, { title: 'Spring tour', access: 'group', container: String(group) });
  const empty = await albumOf(out, { title: 'Nothing yet', access: 'members' });
  t.true(tour > 0 && empty > 0);
  for (const name of ['one.png', 'two.png', 'three.png'])
    t.is((await upload(cora, [{ data: await png(), name, type: 'image/png' }], { album: String(tour) })).status, 303);
  const photos = ((await app.db('files_items').where({ album_id: tour }).orderBy('entity_id').pluck('entity_id')) as number[]).map(Number);
  // The chosen cover is the second photo; the third is deleted: two photos counted.
  await app.db('files_albums').where({ entity_id: tour }).update({ cover_id: photos[1] });
  t.is((await cora.post(`/files/${photos[2]}/delete`, {})).status, 303);
  t.is((await dora.post(`/moderation/report/entity/${tour}`, { reason: 'confidential', note: 'Faces of minors' })).status, 303);
  t.is((await cora.post(`/moderation/report/entity/${empty}`, { reason: 'spam', note: '' })).status, 303);

  const mona = await app.as('mona');
  const queue = (await mona.get('/moderation')).text;
  const item = itemOf(queue, `entity-${tour}`);
  t.regex(item, /Album “Spring tour”/);
  t.regex(item, /2 photos/);
  t.regex(item, /In Choir/);
  t.regex(item, new RegExp(`href="/files/albums/${tour}">See its photos<`));
  t.regex(item, new RegExp(`src="/files/${photos[1]}/image/thumb"`), 'its chosen cover');
  t.is((await mona.agent.http.get(`/files/albums/${tour}`)).status, 200, 'the moderator opens the closed group’s album');
  t.is((await mona.agent.http.get(`/files/${photos[1]}/image/thumb`)).status, 200);
  const none = itemOf(queue, `entity-${empty}`);
  t.regex(none, /Album “Nothing yet”/);
  t.regex(none, /0 photos/);
  t.notRegex(none, /moderation-item__thumb|In Choir/, 'an empty album has no cover');
  t.regex(
    itemOf((await mona.agent.http.get('/moderation').set('Accept-Language', 'fr')).text, `entity-${tour}`),
    /Album « Spring tour »[\s\S]*2 photos/,
  );

  // The cover chosen is deleted: the first photo stands for the album.
  t.is((await cora.post(`/files/${photos[1]}/delete`, {})).status, 303);
  const after = itemOf((await mona.get('/moderation')).text, `entity-${tour}`);
  t.regex(after, /1 photo</);
  t.regex(after, new RegExp(`src="/files/${photos[0]}/image/thumb"`));

  // The group's admin: the group's album only, the same line; a member outside gets nothing from its links.
  const admin = (await gina.get(`/moderation?group=${group}`)).text;
  t.regex(itemOf(admin, `entity-${tour}`), /Album “Spring tour”[\s\S]*In Choir/);
  t.notRegex(admin, /Nothing yet/);
  t.is((await out.agent.http.get(`/files/albums/${tour}`)).status, 404);
  t.is((await out.agent.http.get(`/files/${photos[0]}/image/thumb`)).status, 404);

  // The history keeps the line while the album exists.
  t.is((await mona.post(`/moderation/entities/${tour}/decide`, { decision: 'hide' })).status, 303);
  t.regex(itemOf((await mona.get('/moderation/history')).text, `entity-${tour}`), /Album “Spring tour”[\s\S]*1 photo[\s\S]*See its photos/);
  t.regex(itemOf((await gina.get(`/moderation/history?group=${group}`)).text, `entity-${tour}`), /In Choir/);

  await nobodyElse(t, app, group, { member: out, reporter: dora }, /Spring tour|Nothing yet/);
});
