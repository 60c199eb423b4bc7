// Unread markers, the unanswered filter, tags and group lists (both databases).
import { eachApp } from '../../helpers/each-app';
import { discApp } from './support';

const ids = (text: string, attr = 'data-topic') => [...text.matchAll(new RegExp(`${attr}="(\\d+)"`, 'g'))].map((m) => Number(m[1]));
const unread = (text: string) => [...text.matchAll(/data-topic="(\d+)" data-unread/g)].map((m) => Number(m[1]));

eachApp('discussions: unread markers per member follow what they viewed', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const one = await app.topic(ann, { title: 'One' });
  const two = await app.topic(ann, { title: 'Two' });
  const b = await app.as('bob');
  const a = await app.as('ann');
  t.deepEqual(unread((await b.get('/discussions')).text).sort(), [one, two].sort(), 'never viewed: unread');
  t.deepEqual(unread((await a.get('/discussions')).text), [], 'own topics start read');
  await b.get(`/discussions/${one}`);
  t.deepEqual(unread((await b.get('/discussions')).text), [two]);
  const r1 = await app.reply(ann, one, 'news');
  t.deepEqual(unread((await b.get('/discussions')).text).sort(), [one, two].sort(), 'a newer reply makes it unread again');
  t.deepEqual(unread((await a.get('/discussions')).text), [], 'not for the one who replied');
  const page = await b.get(`/discussions/${one}`);
  t.regex(page.text, new RegExp(`id="reply-${r1}" data-reply="${r1}" data-new`), 'the new reply is marked on the page');
  t.deepEqual(unread((await b.get('/discussions')).text), [two]);
  t.false((await b.get(`/discussions/${one}`)).text.includes('data-new'), 'seen once, not new any more');
  const read = await app.db('topic_reads').where({ user_id: bob, topic_id: one }).first();
  t.is(Number(read.last_read_reply_id), r1);
  await app.reply(bob, two, 'mine');
  t.deepEqual(unread((await b.get('/discussions')).text), [], 'replying reads the topic');
  t.deepEqual(unread((await a.get('/discussions')).text), [two]);
  const api = await a.agent.http.get('/api/v1/discussions');
  t.deepEqual(
    api.body.topics.filter((x: { unread: boolean }) => x.unread).map((x: { id: number }) => x.id),
    [two],
  );
  t.deepEqual(unread((await app.guest().http.get('/discussions')).text), []);
});

eachApp('discussions: the unanswered filter lists topics without replies (and so without an accepted answer)', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const quiet = await app.topic(ann, { title: 'Quiet' });
  const replied = await app.topic(ann, { title: 'Replied' });
  const solved = await app.topic(ann, { title: 'Solved' });
  const gone = await app.topic(ann, { title: 'Reply deleted' });
  await app.reply(bob, replied);
  const r = await app.reply(bob, solved);
  await app.replies.accept((await app.rt.users.viewer(ann))!, (await app.topics.find(solved))!, (await app.replies.find(r))!);
  await app.replies.remove((await app.replies.find(await app.reply(bob, gone)))!);
  const b = await app.as('bob');
  const all = await b.get('/discussions');
  t.deepEqual(ids(all.text).sort(), [quiet, replied, solved, gone].sort());
  const un = await b.get('/discussions?filter=unanswered');
  t.deepEqual(ids(un.text).sort(), [quiet, gone].sort());
  t.true(un.text.includes('aria-current="page"'));
  t.true(all.text.includes('data-answered'));
  const api = await b.agent.http.get('/api/v1/discussions?filter=unanswered');
  t.deepEqual(api.body.topics.map((x: { id: number }) => x.id).sort(), [quiet, gone].sort());
});

eachApp('discussions: group lists, posting into a group, tags', discApp, async (t, app) => {
  const ann = await app.member('ann');
  await app.member('bob');
  await app.member('mod', { role: 'moderator' });
  const g = await app.container(ann, []);
  const a = await app.as('ann');
  const b = await app.as('bob');
  const m = await app.as('mod');
  t.true((await a.get(`/discussions/in/${g}`)).text.includes(`/discussions/new?container&#x3D;${g}`));
  t.false((await b.get(`/discussions/in/${g}`)).text.includes('/discussions/new?container'));
  t.is((await b.get(`/discussions/new?container=${g}`)).status, 404);
  t.is((await b.post('/discussions', { container: String(g), title: 'x', body: 'y' })).status, 404, 'non-members cannot post into a group');
  const form = await a.get(`/discussions/new?container=${g}`);
  t.true(form.text.includes('Only the members of this group will see this topic.'));
  const res = await a.post('/discussions', { container: String(g), title: 'In the group', body: 'Hello', tags: 'meeting', access: 'public' });
  t.is(res.status, 303);
  const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
  const e = (await app.rt.entities.get(id))!;
  t.is(Number(e.container_id), g);
  t.is(e.access, 'group', 'a topic in a group gets the group level');
  t.is((await m.post('/discussions', { container: String(g), title: 'By a moderator', body: 'Hi' })).status, 303, 'moderators may post in any group');
  t.deepEqual(ids((await a.get(`/discussions/in/${g}`)).text).length, 2);
  const network = await app.topic(ann, { title: 'Network-wide', tags: ['other'] });
  t.false(ids((await a.get(`/discussions/in/${g}`)).text).includes(network));
  t.deepEqual(ids((await a.get('/discussions?tag=meeting')).text), [id]);
  t.is((await a.get(`/discussions/in/999999`)).status, 404);
});
