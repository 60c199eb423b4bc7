// What moderation withholds (the core's `entities.withheld`, apart from the author's
// `published`) stays withheld whatever its author does: a blog post a moderator hid, edited
// and published again by its author, is still seen by its author and the network's moderators
// only — not on its page, in the blog list, the feed, search, the API or a notification — until
// a moderator publishes it. Topics and events a watched word holds are saved withheld like
// blog posts (never visible for an instant, nobody told), every date of a recurring event too.
import request from 'supertest';
import { recordEvents } from '../../helpers/plugin-app';
import { eventForm } from '../events/support';
import { eachModApp, openReportsOn } from './support';

const idIn = (location: string, kind: string): number => Number(new RegExp(`/${kind}/(\\d+)`).exec(location)![1]);
const withheld = async (app: { db: import('knex').Knex }, id: number): Promise<boolean> =>
  !!Number((await app.db('entities').where({ id }).first('withheld')).withheld);

eachModApp('a hidden blog post edited and republished by its author stays hidden from everyone but its author and moderators', async (t, app) => {
  const [alice, bob, , mona] = await app.members('alice', 'bob', 'carol', 'mona');
  await app.setRole(mona, 'moderator');
  const a = await app.as('alice');
  const created = await a.post('/blogs', { title: 'Cheap watches', body: 'Buy them here', access: 'members', status: 'published', tags: '' });
  t.is(created.status, 303);
  const id = idIn(created.headers.location, 'blogs');
  await app.report('bob', id, 'spam');
  t.is((await app.decide('mona', `entity-${id}`, 'hide')).status, 303);

  const edited = await a.post(`/blogs/${id}/edit`, {
    title: 'Cheap watches again',
    body: 'Still here, ask @carol',
    access: 'public',
    status: 'published',
    tags: '',
  });
  t.is(edited.status, 303);
  t.true(await withheld(app, id), 'an edit by its author never clears it');

  const b = await app.as('bob');
  t.is((await b.agent.http.get(`/blogs/${id}`)).status, 404, 'its page');
  t.notRegex((await b.agent.http.get('/blogs')).text, /Cheap watches/, 'the blog list');
  t.notRegex((await b.agent.http.get('/activity')).text, /Cheap watches/, 'the feed');
  t.notRegex((await b.agent.http.get('/search?q=watches')).text, /Cheap watches/, 'search');
  const token = (await app.app.ruche.apiTokens.create(bob, 'read', 'read')).token;
  const api = request(app.app.callback());
  const asBob = (path: string) => api.get(path).set('authorization', `Bearer ${token}`).set('Accept-Language', 'en');
  t.is((await asBob(`/api/v1/blogs/${id}`)).status, 404, 'the API');
  t.false(
    (await asBob('/api/v1/blogs')).body.posts.some((p: { id: number }) => p.id === id),
    'the API list',
  );
  const c = await app.as('carol');
  t.notRegex((await c.agent.http.get('/notifications')).text, /Cheap watches/, 'the member mentioned hears nothing of it');
  t.is((await c.agent.http.get(`/blogs/${id}`)).status, 404);
  t.not((await app.agent().http.get(`/blogs/${id}`)).status, 200, 'nor a guest, public as it now is');

  const own = await a.agent.http.get(`/blogs/${id}`);
  t.is(own.status, 200, 'its author still sees it');
  t.regex(own.text, /Hidden by a moderator\./);
  const m = await app.as('mona');
  const moderated = await m.agent.http.get(`/blogs/${id}`);
  t.is(moderated.status, 200, 'a moderator of the network sees it, marked');
  t.regex(moderated.text, /Only its author and the moderators still see it\./);

  // A moderator publishes it (from a report: members cannot see it to report it, moderators can):
  // seen again as its author left it.
  t.is((await app.report('bob', id, 'spam')).status, 404, 'what a member cannot see, they cannot report');
  t.is((await app.report('mona', id, 'spam')).status, 303);
  t.is((await app.decide('mona', `entity-${id}`, 'approve')).status, 303);
  t.false(await withheld(app, id));
  const seen = await b.agent.http.get(`/blogs/${id}`);
  t.is(seen.status, 200);
  t.regex(seen.text, /Cheap watches again/);
  t.deepEqual(await openReportsOn(app.db, 'entity', id), []);
  t.truthy(alice);
});

eachModApp('a held topic or event is withheld from its save, stays so when its author edits the word away, until approved', async (t, app) => {
  const [ada, , carol] = await app.members('ada', 'bob', 'carol');
  await app.setRole(ada, 'admin');
  t.is((await (await app.as('ada')).post('/admin/moderation/words', { words: 'bitcoin', action: 'hold', replacement: '' })).status, 303);
  const events = recordEvents(app.rt, ['discussions:started', 'events:created', 'content:screened']);
  const b = await app.as('bob');
  const c = await app.as('carol');

  const topic = await b.post('/discussions', { title: 'Bitcoin tips', body: 'Ask @carol', access: 'members', tags: '' });
  t.is(topic.status, 303);
  const topicId = idIn(topic.headers.location, 'discussions');
  t.true(await withheld(app, topicId), 'saved withheld');
  t.deepEqual(
    events.map((e) => [e.name, e.payload.heldOnSave]),
    [['content:screened', true]],
    'no "started" event',
  );
  t.is((await app.db('notifications').where({ user_id: carol }).select('id')).length, 0, 'the member mentioned is not told');
  t.is((await c.agent.http.get(`/discussions/${topicId}`)).status, 404);
  t.regex((await b.agent.http.get(`/discussions/${topicId}`)).text, /Waiting for a moderator/, 'its author sees it, marked');
  const clean = await b.post(`/discussions/${topicId}/edit`, { title: 'Saving tips', body: 'Nothing to see', access: 'members', tags: '' });
  t.is(clean.status, 303);
  t.true(await withheld(app, topicId), 'an edit without the word does not publish it');
  t.is((await c.agent.http.get(`/discussions/${topicId}`)).status, 404);

  events.length = 0;
  const day = `${new Date().getUTCFullYear() + 1}-03-02`;
  const series = await b.post('/events', eventForm(`${day}T09:00`, `${day}T10:00`, { title: 'Bitcoin meetup', repeat: 'weekly', repeat_count: '3' }));
  t.is(series.status, 303);
  const dates = (await app
    .db('events')
    .join('entities', 'entities.id', 'events.entity_id')
    .where('events.title', 'Bitcoin meetup')
    .select('entities.id', 'entities.withheld')) as {
    id: number;
    withheld: boolean | number;
  }[];
  t.is(dates.length, 3);
  t.deepEqual(
    dates.map((d) => !!Number(d.withheld)),
    [true, true, true],
    'every date withheld',
  );
  t.deepEqual(
    events.map((e) => e.name),
    ['content:screened', 'content:screened', 'content:screened'],
    'no "created" event; each date queued',
  );
  for (const d of dates) t.is((await c.agent.http.get(`/events/${d.id}`)).status, 404);

  t.is((await app.decide('ada', `entity-${topicId}`, 'approve')).status, 303);
  t.is((await c.agent.http.get(`/discussions/${topicId}`)).status, 200, 'published once approved');
  t.is((await app.decide('ada', `entity-${dates[0].id}`, 'approve')).status, 303);
  t.is((await c.agent.http.get(`/events/${dates[0].id}`)).status, 200);
  t.is((await c.agent.http.get(`/events/${dates[1].id}`)).status, 404, 'each date is decided on its own');
});
