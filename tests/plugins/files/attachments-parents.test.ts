// Attachments on the other kinds of parent (core/content/attachments.ts): a comment (seen by who
// sees the commented post, gone with the comment or the post) and a private message (its
// conversation's participants only, staff included in no way; non-participants cannot attach).
import { MessagesService } from '../../../plugins/messages/service';
import type { ExecutionContext } from 'ava';
import type { PageAgent } from '../../helpers/members';
import { attachedFiles, eachFilesApp, pdf, png, postWithAttachments, type FilesApp } from './support';

type AttachedFile = Awaited<ReturnType<typeof attachedFiles>>[number];

const ids = async (app: { db: import('knex').Knex }, table: string, where: Record<string, unknown> = {}): Promise<number> =>
  Number((await app.db(table).where(where).orderBy('id', 'desc').first('id')).id);

/**
 * `who` posts `fields` with a PDF and a PNG (`names`) to `action`, which answers 303 and makes a
 * `kind` (the newest row of its table) with both files attached.
 */
async function docAndPhoto(
  t: ExecutionContext,
  app: FilesApp,
  who: PageAgent,
  kind: 'comment' | 'message',
  action: string,
  fields: Record<string, string>,
  names: [string, string],
): Promise<{ id: number; doc: AttachedFile; photo: AttachedFile }> {
  const res = await postWithAttachments(who, action, fields, [
    { data: pdf(), name: names[0], type: 'application/pdf' },
    { data: await png(), name: names[1], type: 'image/png' },
  ]);
  t.is(res.status, 303);
  const id = await ids(app, `${kind}s`);
  const [doc, photo] = await attachedFiles(app, kind, id);
  t.truthy(doc && photo);
  return { id, doc, photo };
}

eachFilesApp('attachments: a comment’s files follow the commented post and go with the comment or the post', async (t, app) => {
  const [o, p, m] = await app.signedInMembers('olga', 'pia', 'mia');
  t.is((await postWithAttachments(o, '/status', { body: 'Agenda for Monday', access: 'members' }, [])).status, 303);
  const post = await ids(app, 'entities', { type: 'status' });
  t.regex((await p.get(`/status/${post}`)).text, /name="attachments"/, 'the comment form on the post’s page takes files');
  const sent = await docAndPhoto(t, app, p, 'comment', `/entities/${post}/comments`, { body: 'Here are my notes', next: `/status/${post}` }, [
    'notes.pdf',
    'board.png',
  ]);
  const { id: comment, doc, photo } = sent;
  const page = (await m.get(`/status/${post}`)).text;
  t.true(page.includes(`href="/files/${doc.entity_id}"`), 'the chip under the comment');
  t.true(page.includes(`src="/files/${photo.entity_id}/image/thumb"`), 'the thumbnail under the comment');
  t.is((await m.get(`/files/${doc.entity_id}/download`)).status, 200, 'who sees the post sees the files');
  t.is((await app.guest().http.get(`/files/${doc.entity_id}`)).status, 302);
  t.regex(
    (await m.get(`/files/${doc.entity_id}`)).text,
    new RegExp(`href="/status/${post}#comment-${comment}"`),
    'the file page leads back to the comment',
  );

  await app.rt.entities.update(post, { access: 'private' });
  t.is((await m.get(`/files/${doc.entity_id}/download`)).status, 404, 'the post went private: so did its comments’ files');
  t.is((await p.get(`/files/${doc.entity_id}`)).status, 404, 'even for the commenter who may no longer see the post');
  t.is((await o.get(`/files/${doc.entity_id}/download`)).status, 200);
  await app.rt.entities.update(post, { access: 'members' });

  // Deleting the comment removes its files and their bytes.
  const del = await p.agent.http
    .post(`/comments/${comment}/delete`)
    .type('form')
    .send({ _csrf: await p.token() });
  t.is(del.status, 303);
  t.deepEqual(await attachedFiles(app, 'comment', comment), []);
  for (const key of [doc.key, photo.key, photo.thumb_key!]) t.is(await app.rt.storage.head(key), undefined);

  // Deleting the post removes its comments' files too.
  await postWithAttachments(p, `/entities/${post}/comments`, { body: 'Another', next: `/status/${post}` }, [
    { data: Buffer.from('hello\n'), name: 'a.txt', type: 'text/plain' },
  ]);
  const second = await ids(app, 'comments');
  const [kept] = await attachedFiles(app, 'comment', second);
  t.truthy(kept);
  t.is((await o.post(`/status/${post}/delete`)).status, 303);
  t.deepEqual(await attachedFiles(app, 'comment', second), [], 'gone with the post');
  t.is(await app.rt.storage.head(kept.key), undefined);
});

eachFilesApp('attachments: a message’s files are its conversation’s participants’ only', async (t, app) => {
  const olga = await app.member('olga');
  await app.member('pia');
  await app.member('mia');
  await app.member('mod', { role: 'moderator' });
  const messages = app.rt.container.resolve(MessagesService);
  const viewer = (await app.rt.users.viewer(olga))!;
  const { conversationId } = await messages.start(viewer, app.rt.networks.root().id, ['pia'], '', 'The plans?');
  const p = await app.as('pia');
  const o = await app.as('olga');
  t.regex((await p.get(`/messages/${conversationId}`)).text, /name="attachments"/, 'the reply form takes files');
  const sent = await docAndPhoto(
    t,
    app,
    p,
    'message',
    `/messages/${conversationId}/reply`,
    { body: 'Attached', next: `/messages/${conversationId}` },
    ['plans.pdf', 'site.png'],
  );
  const { id: message, doc, photo } = sent;
  t.is((await app.rt.entities.get(doc.entity_id))?.access, 'private');
  const thread = (await o.get(`/messages/${conversationId}`)).text;
  t.true(
    thread.includes(`href="/files/${doc.entity_id}"`) && thread.includes(`src="/files/${photo.entity_id}/image/thumb"`),
    'shown in the conversation',
  );
  for (const who of ['olga', 'pia']) {
    const a = who === 'olga' ? o : p;
    t.is((await a.get(`/files/${doc.entity_id}/download`)).status, 200, `${who}: a participant`);
    t.is((await a.get(`/files/${photo.entity_id}/image/thumb`)).status, 200);
  }
  for (const who of ['mia', 'mod', 'admin']) {
    const a = await app.as(who);
    t.is((await a.get(`/files/${doc.entity_id}`)).status, 404, `${who}: not a participant`);
    t.is((await a.get(`/files/${doc.entity_id}/download`)).status, 404);
    t.is((await a.get(`/files/${photo.entity_id}/image/thumb`)).status, 404);
  }
  t.is((await app.guest().http.get(`/files/${doc.entity_id}/download`)).status, 302);

  // A non-participant cannot attach to the conversation: refused, nothing stored.
  const before = await app.db('files_items').count({ n: '*' }).first();
  const mia = await app.as('mia');
  const refused = await postWithAttachments(mia, `/messages/${conversationId}/reply`, { body: 'Me too' }, [
    { data: Buffer.from('x\n'), name: 'x.txt', type: 'text/plain' },
  ]);
  t.is(refused.status, 404);
  t.deepEqual(await app.db('files_items').count({ n: '*' }).first(), before);
  // A refused type: the conversation again with what was typed, nothing sent.
  const bad = await postWithAttachments(p, `/messages/${conversationId}/reply`, { body: 'My page' }, [
    { data: Buffer.from('<!doctype html><p>hi'), name: 'page.png', type: 'image/png' },
  ]);
  t.is(bad.status, 415);
  t.regex(bad.text, /page\.png/);
  t.regex(bad.text, /My page<\/textarea>/);
  t.is(await ids(app, 'messages'), message, 'nothing sent');

  // Her files go with her deleted message.
  await messages.remove(
    (await app.rt.users.viewer(
      await app
        .db('users')
        .where({ username: 'pia' })
        .first('id')
        .then((r) => Number(r.id)),
    ))!,
    message,
  );
  t.deepEqual(await attachedFiles(app, 'message', message), []);
  t.is(await app.rt.storage.head(doc.key), undefined);
});

eachFilesApp('attachments: a blog post and a discussion reply take files that follow them', async (t, app) => {
  const [o, p, m] = await app.signedInMembers('olga', 'pia', 'mia');
  // A blog post: the form takes files; a refused one keeps what was typed and saves nothing.
  t.regex((await o.get('/blogs/new')).text, /name="attachments"/);
  const post = { title: 'Summer report', body: 'What we did.', tags: '', access: 'members', status: 'published' };
  const bad = await postWithAttachments(o, '/blogs', post, [{ data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'logo.svg' }]);
  t.is(bad.status, 415);
  t.regex(bad.text, /logo\.svg/);
  t.regex(bad.text, /Summer report/);
  t.falsy(await app.db('entities').where({ type: 'blog_post' }).first());
  const res = await postWithAttachments(o, '/blogs', post, [
    { data: await png(), name: 'beach.png', type: 'image/png' },
    { data: pdf(), name: 'report.pdf', type: 'application/pdf' },
  ]);
  t.is(res.status, 303);
  const blog = await ids(app, 'entities', { type: 'blog_post' });
  const [photo, doc] = await attachedFiles(app, 'blog_post', blog);
  t.truthy(photo && doc);
  const page = (await m.get(`/blogs/${blog}`)).text;
  t.true(page.includes(`src="/files/${photo.entity_id}/image/thumb"`) && page.includes(`href="/files/${doc.entity_id}"`), 'shown on the post');
  t.is((await m.get(`/files/${doc.entity_id}/download`)).status, 200);
  t.is((await app.guest().http.get(`/files/${doc.entity_id}/download`)).status, 302);
  t.is((await o.post(`/blogs/${blog}/delete`)).status, 303);
  t.deepEqual(await attachedFiles(app, 'blog_post', blog), [], 'gone with the post');
  t.is(await app.rt.storage.head(doc.key), undefined);

  // A discussion reply: files seen by who sees the topic; gone with the reply.
  const topic = await postWithAttachments(o, '/discussions', { title: 'Where to meet?', body: 'Ideas welcome.', tags: '', access: 'members' }, []);
  t.is(topic.status, 303);
  const topicId = await ids(app, 'entities', { type: 'topic' });
  t.regex((await p.get(`/discussions/${topicId}`)).text, /name="attachments"/);
  const reply = await postWithAttachments(p, `/discussions/${topicId}/replies`, { body: 'This map.' }, [
    { data: await png(), name: 'map.png', type: 'image/png' },
  ]);
  t.is(reply.status, 303);
  const replyId = await ids(app, 'discussion_replies');
  const [map] = await attachedFiles(app, 'discussion_reply', replyId);
  t.truthy(map);
  t.true((await m.get(`/discussions/${topicId}`)).text.includes(`src="/files/${map.entity_id}/image/thumb"`));
  t.is((await m.get(`/files/${map.entity_id}/image/thumb`)).status, 200);
  await app.rt.entities.update(topicId, { access: 'private' });
  t.is((await m.get(`/files/${map.entity_id}/image/thumb`)).status, 404, 'the topic went private');
  await app.rt.entities.update(topicId, { access: 'members' });
  t.is((await p.post(`/discussions/replies/${replyId}/delete`)).status, 303);
  t.deepEqual(await attachedFiles(app, 'discussion_reply', replyId), []);
  t.is(await app.rt.storage.head(map.key), undefined);
});
