// Topics and replies through the pages: create, edit (history), delete, quoting, accepted
// answers, lock, pin, move, subscriptions and the replied event (both databases).
import { eachApp } from '../../helpers/each-app';
import { ADMIN } from '../../helpers/app';
import { createdId, discApp } from './support';

eachApp('discussions: start, edit (history kept), reply, edit and delete a reply, delete a topic', discApp, async (t, app) => {
  const ann = await app.member('ann');
  await app.member('bob');
  const a = await app.as('ann');
  const bad = await a.post('/discussions', { title: '', body: 'Body kept', tags: 'ok, no!pe', access: 'members' });
  t.is(bad.status, 400);
  t.true(bad.text.includes('Body kept'), 'input kept');
  t.true(bad.text.includes('Give your topic a title.'));
  const res = await a.post('/discussions', {
    title: 'How do I *set up* mail?',
    body: 'I tried **SMTP**.\n\n<script>alert(1)</script>',
    tags: 'help, Setup',
    access: 'members',
  });
  t.is(res.status, 303);
  const id = createdId(res);
  const page = await a.get(`/discussions/${id}`);
  t.is(page.status, 200);
  t.true(page.text.includes('<strong>SMTP</strong>'));
  t.false(page.text.includes('<script>alert(1)'), 'sanitised');
  t.true(page.text.includes('#setup'));
  t.deepEqual((await app.rt.entities.tagsOf([id])).get(id), ['help', 'setup']);
  t.deepEqual(app.events.find((e) => e.name === 'discussions:started')?.payload, {
    networkId: app.rt.networks.root().id,
    topicId: id,
    authorId: ann,
    containerId: null,
  });
  t.truthy(await app.db('activity').where({ entity_id: id, verb: 'started' }).first());

  t.is(
    (await a.post(`/discussions/${id}/edit`, { title: 'How do I set up mail?', body: 'I tried SMTP and failed.', tags: 'help', access: 'members' }))
      .status,
    303,
  );
  const revs = await a.get(`/discussions/${id}/revisions`);
  t.is(revs.status, 200);
  t.true(revs.text.includes('I tried SMTP and failed.') && revs.text.includes('<strong>SMTP</strong>'), 'both versions listed');
  const b = await app.as('bob');
  t.is((await b.get(`/discussions/${id}/revisions`)).status, 403, 'history only for author and moderators');
  t.is((await b.post(`/discussions/${id}/edit`, { title: 'x', body: 'y', access: 'members' })).status, 403);

  const empty = await b.post(`/discussions/${id}/replies`, { body: '   ' });
  t.is(empty.status, 400);
  t.true(empty.text.includes('Write your reply before posting it.'));
  const r1 = await b.post(`/discussions/${id}/replies`, { body: 'Check the **port**.' });
  t.is(r1.status, 303);
  t.regex(r1.headers.location, new RegExp(`/discussions/${id}#reply-\\d+$`));
  const replyId = Number(/reply-(\d+)/.exec(r1.headers.location)![1]);
  t.truthy(await app.db('activity').where({ entity_id: id, verb: 'replied', object_id: replyId }).first());
  t.is((await a.post(`/discussions/replies/${replyId}/edit`, { body: 'hijack' })).status, 403, 'the asker cannot edit a reply');
  t.is((await b.post(`/discussions/replies/${replyId}/edit`, { body: '' })).status, 400);
  t.is((await b.post(`/discussions/replies/${replyId}/edit`, { body: 'Check the **port** (587).' })).status, 303);
  const rrevs = await b.get(`/discussions/replies/${replyId}/revisions`);
  t.true(rrevs.text.includes('Check the **port**.') || rrevs.text.includes('Check the <strong>port</strong>.'));
  t.true((await a.get(`/discussions/${id}`)).text.includes('(587)'));
  t.is((await b.post(`/discussions/replies/${replyId}/delete`)).status, 303);
  const after = await a.get(`/discussions/${id}`);
  t.true(after.text.includes('This reply was deleted.'));
  t.false(after.text.includes('(587)'));
  t.falsy(await app.db('activity').where({ entity_id: id, object_id: replyId }).first(), 'the reply left the feed');
  t.is((await b.get(`/discussions/replies/${replyId}`)).status, 404);

  t.is((await b.post(`/discussions/${id}/delete`)).status, 403);
  t.is((await a.post(`/discussions/${id}/delete`)).status, 303);
  t.is((await b.get(`/discussions/${id}`)).status, 404);
  t.is((await a.get(`/discussions/${id}`)).status, 404, 'gone for its author too');
  t.falsy(await app.db('activity').where({ entity_id: id }).first());
  t.false((await a.get('/discussions')).text.includes(`data-topic="${id}"`));
});

eachApp('discussions: quoting pre-fills the reply form without JavaScript', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  await app.member('cat');
  const id = await app.topic(ann, { body: 'Where is the *manual*?' });
  const rid = await app.reply(bob, id, 'In the docs folder.\n\nSecond line.');
  const c = await app.as('cat');
  const page = await c.get(`/discussions/${id}`);
  t.true(page.text.includes(`href="/discussions/${id}?quote&#x3D;${rid}#reply-form" data-quote`), 'a quote link per reply');
  const quoted = await c.get(`/discussions/${id}?quote=${rid}`);
  t.true(
    quoted.text.includes('&gt; **Bob:**\n&gt; In the docs folder.\n&gt;\n&gt; Second line.\n\n</textarea>'),
    quoted.text.slice(quoted.text.indexOf('<textarea'), quoted.text.indexOf('</textarea>') + 11),
  );
  const topicQuote = await c.get(`/discussions/${id}?quote=topic`);
  t.true(topicQuote.text.includes('&gt; **Ann:**\n&gt; Where is the *manual*?'));
  const other = await app.topic(ann);
  const foreign = await c.get(`/discussions/${other}?quote=${rid}`);
  t.false(foreign.text.includes('In the docs folder'), 'a reply of another topic is not quoted');
  const r = await c.post(`/discussions/${id}/replies`, { body: `> **Bob:**\n> In the docs folder.\n\nThanks!` });
  t.is(r.status, 303);
  const shown = await c.get(`/discussions/${id}`);
  t.regex(shown.text, /<blockquote>\s*<p><strong>Bob:<\/strong>/);
});

eachApp('discussions: accepted answer by the asker and by a moderator, refused for others; one per topic', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const cat = await app.member('cat');
  await app.member('mod', { role: 'moderator' });
  const id = await app.topic(ann);
  const r1 = await app.reply(bob, id, 'First answer');
  const r2 = await app.reply(cat, id, 'Second answer');
  const c = await app.as('cat');
  t.is((await c.post(`/discussions/replies/${r2}/accept`)).status, 403, 'a replier cannot accept');
  t.false((await c.get(`/discussions/${id}`)).text.includes('Mark as answer'));
  const a = await app.as('ann');
  t.true((await a.get(`/discussions/${id}`)).text.includes('Mark as answer'));
  t.is((await a.post(`/discussions/replies/${r1}/accept`)).status, 303);
  t.is((await app.topics.find(id))!.accepted_reply_id, r1);
  t.deepEqual(
    app.events.filter((e) => e.name === 'discussions:answered').map((e) => e.payload),
    [{ networkId: 1, topicId: id, replyId: r1, authorId: bob, byId: ann }],
  );
  const page = await c.get(`/discussions/${id}`);
  t.regex(page.text, new RegExp(`id="reply-${r1}" data-reply="${r1}" data-accepted`));
  const m = await app.as('mod');
  t.is((await m.post(`/discussions/replies/${r2}/accept`)).status, 303, 'a moderator may choose another');
  t.is((await app.topics.find(id))!.accepted_reply_id, r2, 'one accepted answer per topic');
  t.is((await c.post(`/discussions/${id}/unaccept`)).status, 403);
  t.is((await a.post(`/discussions/${id}/unaccept`)).status, 303);
  t.is((await app.topics.find(id))!.accepted_reply_id, null);
  await a.post(`/discussions/replies/${r1}/accept`);
  await app.replies.remove((await app.replies.find(r1))!);
  t.is((await app.topics.find(id))!.accepted_reply_id, null, 'deleting the accepted reply clears it');
  // The topic's last reply (its unread mark) is never one that is gone.
  t.is((await app.topics.find(id))!.last_reply_id, r2);
  const r3 = await app.reply(cat, id, 'Third answer');
  t.is((await app.topics.find(id))!.last_reply_id, r3);
  await app.replies.remove((await app.replies.find(r3))!);
  t.is((await app.topics.find(id))!.last_reply_id, r2, 'deleting the last reply moves it back');
  await app.replies.remove((await app.replies.find(r2))!);
  t.is((await app.topics.find(id))!.last_reply_id, null, 'no reply left');
});

eachApp('discussions: lock refuses replies with a clear message; pin puts a topic on top; moderators only', discApp, async (t, app) => {
  const ann = await app.member('ann');
  await app.member('bob');
  await app.member('mod', { role: 'moderator' });
  const older = await app.topic(ann, { title: 'Older topic' });
  const newer = await app.topic(ann, { title: 'Newer topic' });
  const a = await app.as('ann');
  const b = await app.as('bob');
  const m = await app.as('mod');
  t.is((await a.post(`/discussions/${older}/lock`, { on: '1' })).status, 403, 'authors do not lock');
  t.is((await b.post(`/discussions/${older}/pin`, { on: '1' })).status, 403);
  t.is((await m.post(`/discussions/${older}/lock`, { on: '1' })).status, 303);
  const refused = await b.post(`/discussions/${older}/replies`, { body: 'Too late' });
  t.is(refused.status, 403);
  t.true(refused.text.includes('This topic is locked: replies are closed.'));
  const page = await b.get(`/discussions/${older}`);
  t.true(page.text.includes('This topic is locked: no new replies can be posted.'));
  t.false(page.text.includes('id="reply-form"'));
  const api = await b.agent.http
    .post(`/api/v1/discussions/${older}/replies`)
    .set('x-csrf-token', await b.agent.csrf('/discussions'))
    .send({ body: 'x' });
  t.true(api.status === 403);
  await m.post(`/discussions/${older}/lock`, { on: '0' });
  t.is((await b.post(`/discussions/${older}/replies`, { body: 'Open again' })).status, 303);

  await app.reply(ann, newer, 'bump');
  const order = (text: string) => [...text.matchAll(/data-topic="(\d+)"/g)].map((x) => Number(x[1]));
  const bump = await app.topic(ann, { title: 'Newest' });
  t.deepEqual(order((await b.get('/discussions')).text), [bump, newer, older], 'by last activity');
  t.is((await m.post(`/discussions/${older}/pin`, { on: '1' })).status, 303);
  t.deepEqual(order((await b.get('/discussions')).text), [older, bump, newer], 'pinned first');
  t.true((await b.get('/discussions')).text.includes('data-pinned'));
});

eachApp('discussions: moving a topic between the network and groups (moderators only, access follows)', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  await app.member('mod', { role: 'moderator' });
  const g1 = await app.container(ann, []);
  const g2 = await app.container(bob, []);
  const id = await app.topic(ann, { containerId: g1 });
  t.is((await app.rt.entities.get(id))!.access, 'group');
  const a = await app.as('ann');
  const b = await app.as('bob');
  const m = await app.as('mod');
  t.is((await a.get(`/discussions/${id}/move`)).status, 403);
  t.is((await a.post(`/discussions/${id}/move`, { container: String(g2) })).status, 403);
  const form = await m.get(`/discussions/${id}/move`);
  t.is(form.status, 200);
  t.true(form.text.includes(`value="${g2}"`) && !form.text.includes(`value="${g1}"`));
  t.is((await m.post(`/discussions/${id}/move`, { container: '999999' })).status, 400);
  t.is((await m.post(`/discussions/${id}/move`, { container: String(g2) })).status, 303);
  const moved = (await app.rt.entities.get(id))!;
  t.is(Number(moved.container_id), g2);
  t.is(moved.access, 'group');
  t.is((await b.get(`/discussions/${id}`)).status, 200, 'the new group sees it');
  t.is((await a.get(`/discussions/${id}`)).status, 200, 'its author still does');
  t.true((await b.get(`/discussions/in/${g2}`)).text.includes(`data-topic="${id}"`));
  t.false((await a.get(`/discussions/in/${g1}`)).text.includes(`data-topic="${id}"`));
  t.is((await m.post(`/discussions/${id}/move`, { container: 'network' })).status, 303);
  const out = (await app.rt.entities.get(id))!;
  t.is(out.container_id, null);
  t.is(out.access, 'members', 'a group topic moved out gets the default level');
  const admin = await app.as(ADMIN.username);
  t.is((await admin.get(`/discussions/${id}/move`)).status, 200, 'admins moderate too');
});

eachApp('discussions: subscriptions and the replied event (never the author, never someone who cannot see)', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const cat = await app.member('cat');
  const dan = await app.member('dan');
  const g = await app.container(ann, [bob, cat, dan]);
  const id = await app.topic(ann, { containerId: g });
  const d = await app.as('dan');
  t.is((await d.post(`/discussions/${id}/subscribe`, { on: '1' })).status, 303);
  t.true((await d.get(`/discussions/${id}`)).text.includes('Stop following'));
  await app.reply(bob, id, 'one');
  const replied = () => app.events.filter((e) => e.name === 'discussions:replied').map((e) => e.payload);
  t.deepEqual(replied()[0].subscriberIds, [ann, dan], 'the author and the subscriber, not the replier');
  t.is(replied()[0].authorId, bob);
  await app.db('container_members').where({ container_id: g, user_id: dan }).delete();
  await app.reply(cat, id, 'two');
  t.deepEqual(replied()[1].subscriberIds, [ann, bob], 'dan left the group: cannot see it any more; bob subscribed by replying');
  const b = await app.as('bob');
  t.is((await b.post(`/discussions/${id}/subscribe`, { on: '0' })).status, 303);
  t.true((await b.get(`/discussions/${id}`)).text.includes('Follow this topic'));
  await app.reply(bob, id, 'three');
  t.deepEqual(replied()[2].subscriberIds, [ann, cat], 'an explicit unsubscription sticks, and the replier is never listed');
  t.is((await d.post(`/discussions/${id}/subscribe`, { on: '1' })).status, 404, 'cannot subscribe to what one cannot see');
});
