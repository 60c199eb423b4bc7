// Comments through the real forms: comment, reply (a reply to a reply attaches to the
// top-level comment), edit own, never others', delete own, moderators delete any, counts
// and the activity log right after each step; validation errors keep what was typed.
import request from 'supertest';
import { anchoredId, commentCount, eachSocialApp, PLAIN, type SocialApp } from './support';

eachSocialApp('members comment and reply; a reply to a reply attaches to the top-level comment; counts and events follow', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const bob = await app.member('bob', 'Bob');
  const note = await app.note(alice, 'members');
  const a = await app.as('alice');
  const b = await app.as('bob');

  const first = await b.post(`/entities/${note}/comments`, { body: 'Nice **post**', next: `/fixture/entities/${note}` });
  t.is(first.status, 303);
  t.regex(first.headers.location, new RegExp(`^/fixture/entities/${note}#comment-\\d+$`));
  const c1 = anchoredId(first);
  t.is(await commentCount(app.db, note), 1);
  t.truthy(await app.db('activity').where({ verb: 'commented', entity_id: note, object_id: c1, actor_id: bob }).first());

  const reply = anchoredId(await a.post(`/entities/${note}/comments`, { body: 'Thanks!', parent: String(c1) }));
  const deep = anchoredId(await b.post(`/entities/${note}/comments`, { body: 'You are welcome', parent: String(reply) }));
  t.is(Number((await app.db('comments').where({ id: reply }).first()).parent_id), c1);
  t.is(Number((await app.db('comments').where({ id: deep }).first()).parent_id), c1, 'the reply to a reply attaches to the top-level comment');
  t.is(await commentCount(app.db, note), 3);

  const created = app.events.filter((e) => e.name === 'comments:created').map((e) => e.payload);
  t.deepEqual(created[0], {
    networkId: app.root,
    entityId: note,
    commentId: c1,
    authorId: bob,
    ownerId: alice,
    parentId: null,
    parentAuthorId: null,
  });
  t.deepEqual(created[2], {
    networkId: app.root,
    entityId: note,
    commentId: deep,
    authorId: bob,
    ownerId: alice,
    parentId: c1,
    parentAuthorId: bob,
  });

  const page = await a.agent.http.get(`/fixture/entities/${note}`);
  t.is(page.status, 200);
  t.regex(page.text, /<strong>post<\/strong>/, 'Markdown rendered');
  t.regex(page.text, /3 comments/);
  t.regex(page.text, new RegExp(`id="comment-${c1}"[\\s\\S]*class="comment__replies"[\\s\\S]*id="comment-${reply}"[\\s\\S]*id="comment-${deep}"`));

  const thread = await a.agent.http.get(`/entities/${note}/comments`);
  t.is(thread.status, 200);
  t.regex(thread.text, /You are welcome/);

  // Unsafe next: back to the thread instead.
  const elsewhere = await b.post(`/entities/${note}/comments`, { body: 'Again', next: '//evil.example/x' });
  t.regex(elsewhere.headers.location, new RegExp(`^/entities/${note}/comments#comment-\\d+$`));
  // Replying to a comment of another entity is refused.
  const other = await app.note(alice, 'members');
  t.is((await b.post(`/entities/${other}/comments`, { body: 'Hi', parent: String(c1) })).status, 404);
  t.is(await commentCount(app.db, other), 0);
});

eachSocialApp('a refused comment comes back with a localised error and what was typed; non-commentable entities refuse', async (t, app) => {
  const alice = await app.member('alice');
  const note = await app.note(alice, 'members');
  const a = await app.as('alice');
  const empty = await a.post(`/entities/${note}/comments`, { body: '   ' });
  t.is(empty.status, 422);
  t.regex(empty.text, /Write something before posting/);
  const long = 'x'.repeat(2001);
  const tooLong = await a.agent.http
    .post(`/entities/${note}/comments`)
    .type('form')
    .set('Accept-Language', 'fr')
    .send({ _csrf: a.token, body: long });
  t.is(tooLong.status, 422);
  t.true(tooLong.text.includes(long), 'the text is kept');
  t.is(await commentCount(app.db, note), 0);

  await app.rt.pluginState.configure('comments', { maxLength: '100' });
  t.is((await a.post(`/entities/${note}/comments`, { body: 'y'.repeat(101) })).status, 422);

  const plain = await app.note(alice, 'members', { type: PLAIN });
  const refused = await a.post(`/entities/${plain}/comments`, { body: 'Hello' });
  t.is(refused.status, 400);
  t.regex(refused.text, /cannot be commented on/);
  t.is((await a.agent.http.get(`/entities/${plain}/comments`)).status, 400);
  t.is(Number((await app.db('comments').count({ n: '*' }).first())!.n), 0);

  await app.rt.entities.softDelete(note);
  t.is((await a.post(`/entities/${note}/comments`, { body: 'Hello' })).status, 404, 'a deleted entity is as if it did not exist');
  t.is((await a.post(`/entities/99999/comments`, { body: 'Hello' })).status, 404);
});

/** alice (author of a members-only note), bob and a moderator, signed in as `a`, `b` and `m`. */
async function authorReaderModerator(app: SocialApp) {
  const alice = await app.member('alice');
  const bob = await app.member('bob');
  const mod = await app.member('mod');
  await app.setRole(mod, 'moderator');
  const note = await app.note(alice, 'members');
  return { alice, bob, mod, note, a: await app.as('alice'), b: await app.as('bob'), m: await app.as('mod') };
}

eachSocialApp('authors edit their own comments (shown as edited); others get 403 and nothing changes', async (t, app) => {
  const { note, a, b, m } = await authorReaderModerator(app);
  const id = anchoredId(await a.post(`/entities/${note}/comments`, { body: 'First draft' }));

  const form = await a.agent.http.get(`/comments/${id}/edit?next=/fixture/entities/${note}`);
  t.is(form.status, 200);
  t.regex(form.text, /First draft/);
  const bad = await a.post(`/comments/${id}/edit`, { body: '' });
  t.is(bad.status, 422);
  const saved = await a.post(`/comments/${id}/edit`, { body: 'Second draft', next: `/fixture/entities/${note}` });
  t.is(saved.status, 303);
  t.is(saved.headers.location, `/fixture/entities/${note}#comment-${id}`);
  const row = await app.db('comments').where({ id }).first();
  t.is(row.body, 'Second draft');
  t.truthy(row.edited_at);
  t.regex((await b.agent.http.get(`/fixture/entities/${note}`)).text, /Second draft[\s\S]*edited|edited[\s\S]*Second draft/);

  for (const who of [b, m]) {
    t.is((await who.agent.http.get(`/comments/${id}/edit`)).status, 403);
    t.is((await who.post(`/comments/${id}/edit`, { body: 'Hijacked' })).status, 403);
  }
  t.is((await app.db('comments').where({ id }).first()).body, 'Second draft');
  t.is((await b.post(`/comments/99999/edit`, { body: 'x' })).status, 404);
  t.is(app.events.filter((e) => e.name === 'comments:edited').length, 1);
});

eachSocialApp('authors delete their own, moderators delete any, others cannot; placeholders stay while replies live', async (t, app) => {
  const { alice, bob, mod, note, a, b, m } = await authorReaderModerator(app);

  const top = anchoredId(await a.post(`/entities/${note}/comments`, { body: 'Top comment' }));
  const r1 = anchoredId(await b.post(`/entities/${note}/comments`, { body: 'Bob replies', parent: String(top) }));
  const lone = anchoredId(await b.post(`/entities/${note}/comments`, { body: 'Lonely remark' }));
  t.is(await commentCount(app.db, note), 3);

  t.is((await b.post(`/comments/${top}/delete`)).status, 403, 'not yours, not a moderator');
  t.is(await commentCount(app.db, note), 3);

  const del = await a.post(`/comments/${top}/delete`, { next: `/fixture/entities/${note}` });
  t.is(del.status, 303);
  t.is(await commentCount(app.db, note), 2);
  t.falsy(await app.db('activity').where({ verb: 'commented', object_id: top }).first(), 'its activity went with it');
  let page = (await b.agent.http.get(`/fixture/entities/${note}`)).text;
  t.regex(page, /Comment deleted/, 'a placeholder while it has replies');
  t.notRegex(page, /Top comment/);
  t.regex(page, /Bob replies/);

  t.is((await m.post(`/comments/${r1}/delete`)).status, 303, 'a moderator deletes any comment');
  t.is((await m.post(`/comments/${lone}/delete`)).status, 303);
  t.is(await commentCount(app.db, note), 0);
  page = (await b.agent.http.get(`/fixture/entities/${note}`)).text;
  t.notRegex(page, /Comment deleted/, 'without live replies the deleted comment vanishes');
  t.notRegex(page, /Bob replies|Lonely remark/);
  t.regex(page, /No comments yet/);
  t.is((await m.post(`/comments/${lone}/delete`)).status, 404, 'deleting twice: gone');
  t.is(await commentCount(app.db, note), 0);
  const deleted = app.events.filter((e) => e.name === 'comments:deleted').map((e) => e.payload.byId);
  t.deepEqual(deleted, [alice, mod, mod]);
  t.is(bob > 0, true);
});

eachSocialApp('the JSON API lists, posts (bearer token) and deletes comments', async (t, app) => {
  const alice = await app.member('alice');
  const bob = await app.member('bob');
  const note = await app.note(alice, 'members');
  const token = await app.bearer(bob);
  const http = request(app.app.callback()); // no cookie jar: bearer-only requests
  const posted = await http.post(`/api/v1/entities/${note}/comments`).set('Authorization', `Bearer ${token}`).send({ body: 'Via the API' });
  t.is(posted.status, 201);
  t.is(posted.body.count, 1);
  const id = posted.body.comment.id as number;
  const reply = await http.post(`/api/v1/entities/${note}/comments`).set('Authorization', `Bearer ${token}`).send({ body: 'Reply', parentId: id });
  t.is(reply.status, 201, JSON.stringify(reply.body));
  t.is(reply.body.comment.parentId, id);
  const bad = await http.post(`/api/v1/entities/${note}/comments`).set('Authorization', `Bearer ${token}`).send({ body: '' });
  t.is(bad.status, 422);
  t.is(bad.body.error.message, 'Write something before posting.');

  const list = await http.get(`/api/v1/entities/${note}/comments`).set('Authorization', `Bearer ${token}`);
  t.is(list.status, 200);
  t.is(list.body.count, 2);
  t.deepEqual(
    list.body.comments.map((c: { body: string }) => c.body),
    ['Via the API', 'Reply'],
  );

  const removed = await http.delete(`/api/v1/comments/${id}`).set('Authorization', `Bearer ${token}`);
  t.is(removed.status, 200);
  t.is(removed.body.count, 1);
  const after = await http.get(`/api/v1/entities/${note}/comments`).set('Authorization', `Bearer ${token}`);
  t.deepEqual(
    after.body.comments.map((c: { body: string | null; deleted?: boolean }) => [c.body, !!c.deleted]),
    [
      [null, true],
      ['Reply', false],
    ],
  );
  t.is((await http.get(`/api/v1/entities/${note}/comments`)).status, 401, 'guests: members-only content');

  // 25 comments posted at once, then deleted at once (twice each): the count stays exact.
  const burst = await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      http
        .post(`/api/v1/entities/${note}/comments`)
        .set('Authorization', `Bearer ${token}`)
        .send({ body: `Burst ${i}` }),
    ),
  );
  t.deepEqual(
    burst.map((r) => r.status),
    burst.map(() => 201),
  );
  t.is(await commentCount(app.db, note), 26);
  const burstIds = burst.map((r) => r.body.comment.id as number);
  const gone = await Promise.all(
    [...burstIds, ...burstIds].map((cid) => http.delete(`/api/v1/comments/${cid}`).set('Authorization', `Bearer ${token}`)),
  );
  t.is(gone.filter((r) => r.status === 200).length + gone.filter((r) => r.status === 404).length, 50);
  t.is(await commentCount(app.db, note), 1);
  t.is(Number((await app.db('comments').where({ entity_id: note }).whereNull('deleted_at').count({ n: '*' }).first())!.n), 1);
  t.is(alice > 0, true);
});
