// Attachments (core/content/attachments.ts, plugins/files/attachments.ts) on a status post: the
// attached file page and its download for every access level x viewer (who sees the post sees
// its files, nobody else), the level followed when the post's changes, the card's thumbnails
// and chips, refusals before anything is saved, and the bytes removed with the post.
import { ACCESS_LEVELS, matrixViewers, SEES, VIEWERS } from '../../helpers/who-sees';
import { attachedFiles, eachFilesApp, pdf, png, postWithAttachments } from './support';

const lastStatus = async (app: { db: import('knex').Knex }): Promise<number> =>
  Number((await app.db('entities').where({ type: 'status' }).orderBy('id', 'desc').first()).id);

eachFilesApp('attachments: a status post’s files are seen by who sees the post, at every level, and follow its level', async (t, app) => {
  const { container, ownerAgent: o, get } = await matrixViewers(app);
  const posts: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    const fields: Record<string, string> = { body: `Minutes for ${level}`, access: level === 'network' ? 'members' : level, next: '/feed' };
    if (level === 'group') fields.container = String(container);
    const res = await postWithAttachments(o, '/status', fields, [
      { data: Buffer.from(`notes ${level}\n`), name: `notes-${level}.txt`, type: 'text/plain' },
      { data: await png(), name: `photo-${level}.png`, type: 'image/png' },
    ]);
    t.is(res.status, 303, `${level}: ${res.text?.slice(0, 200)}`);
    posts[level] = await lastStatus(app);
    if (level === 'network') await app.rt.entities.update(posts[level], { access: 'network' });
  }
  for (const level of ACCESS_LEVELS) {
    const [doc, photo] = await attachedFiles(app, 'status', posts[level]);
    t.truthy(doc && photo, `${level}: two files attached`);
    t.is((await app.rt.entities.get(doc.entity_id))?.access, 'private', 'the row itself is private: the parent decides');
    for (const who of VIEWERS) {
      const sees = SEES[level].includes(who);
      const refused = who === 'guest' ? 302 : 404;
      t.is((await get(who, `/files/${doc.entity_id}`)).status, sees ? 200 : refused, `${level} / ${who}: page`);
      const dl = await get(who, `/files/${doc.entity_id}/download`);
      t.is(dl.status, sees ? 200 : refused, `${level} / ${who}: download`);
      if (sees) t.is(dl.text, `notes ${level}\n`);
      t.is((await get(who, `/files/${photo.entity_id}/image/thumb`)).status, sees ? 200 : refused, `${level} / ${who}: thumbnail`);
      const card = await get(who, `/status/${posts[level]}`);
      if (sees) {
        t.regex(card.text, new RegExp(`href="/files/${doc.entity_id}"[^>]*><svg`), `${level} / ${who}: the document as a chip`);
        t.true(card.text.includes(`src="/files/${photo.entity_id}/image/thumb"`), `${level} / ${who}: the photo as a thumbnail`);
      }
    }
  }
  // Attachments are not in anyone's library or list.
  t.false((await o.get('/files')).text.includes('notes-public.txt'));
  t.false((await o.get(`/files/in/${container}`)).text.includes('notes-group.txt'));
  t.falsy(
    await app
      .db('activity')
      .whereIn(
        'entity_id',
        (await attachedFiles(app, 'status', posts.public)).map((f) => f.entity_id),
      )
      .first(),
    'no feed entry',
  );
  t.regex((await get('member', '/activity')).text, new RegExp(`/files/\\d+/image/thumb`), 'the feed card shows the photos');

  // The post's level changes: its files follow at once.
  const [pubDoc] = await attachedFiles(app, 'status', posts.public);
  t.is((await get('member', `/files/${pubDoc.entity_id}/download`)).status, 200);
  await app.rt.entities.update(posts.public, { access: 'friends' });
  t.is((await get('member', `/files/${pubDoc.entity_id}/download`)).status, 404, 'friends only now');
  t.is((await get('friend', `/files/${pubDoc.entity_id}/download`)).status, 200);
  t.is((await get('guest', `/files/${pubDoc.entity_id}`)).status, 302);

  // Deleting the post removes its files, bytes and variants.
  const files = await attachedFiles(app, 'status', posts.members);
  const del = await o.agent.http
    .post(`/status/${posts.members}/delete`)
    .type('form')
    .send({ _csrf: await o.token() });
  t.is(del.status, 303);
  t.deepEqual(await attachedFiles(app, 'status', posts.members), [], 'the rows are gone');
  for (const f of files) for (const key of [f.key, f.thumb_key].filter(Boolean)) t.is(await app.rt.storage.head(key!), undefined, `${key} removed`);
  t.is((await o.get(`/files/${files[0].entity_id}`)).status, 404);
});

eachFilesApp('attachments: a refused file refuses the post, nothing stored, what was typed kept', async (t, app) => {
  await app.member('olga');
  const o = await app.as('olga');
  const before = (await app.rt.storage.list('files/')[Symbol.asyncIterator]().next()).done;
  const res = await postWithAttachments(o, '/status', { body: 'Look at this page', access: 'members' }, [
    { data: Buffer.from('<!doctype html><script>alert(1)</script>'), name: 'page.png', type: 'image/png' },
  ]);
  t.is(res.status, 415);
  t.regex(res.text, /page\.png/, 'the file is named');
  t.regex(res.text, /Look at this page/, 'the text typed is kept');
  t.falsy(await app.db('entities').where({ type: 'status' }).first(), 'no post saved');
  t.falsy(await app.db('files_items').first(), 'no file saved');
  t.is((await app.rt.storage.list('files/')[Symbol.asyncIterator]().next()).done, before, 'no bytes stored');
  // A PDF and a photo: the card shows a thumbnail and a chip; the form has the file field.
  t.regex((await o.get('/feed')).text, /name="attachments"/);
  const ok = await postWithAttachments(o, '/status', { body: 'Minutes', access: 'members' }, [
    { data: pdf(), name: 'minutes.pdf', type: 'application/pdf' },
  ]);
  t.is(ok.status, 303);
  t.is((await app.db('files_items').first()).name, 'minutes.pdf');
});
