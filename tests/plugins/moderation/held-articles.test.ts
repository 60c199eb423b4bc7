// A blog post held by a watched word is saved held (the core's article form asks the plugin to
// save it withheld: `screeningHolds`, `heldOnSave`), never published then withheld: nobody
// else sees it, no "published" event, no mention notified, until a moderator publishes it.
// The same on an edit of a published post; a draft is not queued (screened again when published).
import { recordEvents } from '../../helpers/plugin-app';
import { eachModApp, openReportsOn } from './support';

const idOf = (location: string): number => Number(/\/blogs\/(\d+)/.exec(location)![1]);
/** 1 when others may see it as far as moderation goes (not withheld), 0 when it is withheld. */
const published = async (app: { db: import('knex').Knex }, id: number): Promise<number> =>
  Number((await app.db('entities').where({ id }).first('withheld')).withheld) ? 0 : 1;

eachModApp('a held blog post is never published before a moderator approves it; a held edit withholds at once', async (t, app) => {
  const [ada, , carol] = await app.members('ada', 'bob', 'carol');
  await app.setRole(ada, 'admin');
  t.is((await (await app.as('ada')).post('/admin/moderation/words', { words: 'bitcoin', action: 'hold', replacement: '' })).status, 303);
  const events = recordEvents(app.rt, ['blogs:published', 'content:screened']);
  const b = await app.as('bob');

  const res = await b.post('/blogs', { title: 'Achetez du Bitcoin', body: 'Demandez à @carol', access: 'members', status: 'published', tags: '' });
  t.is(res.status, 303);
  const id = idOf(res.headers.location);
  t.is(await published(app, id), 0, 'saved withheld');
  t.deepEqual(
    events.map((e) => [e.name, e.payload.heldOnSave]),
    [['content:screened', true]],
    'no "published" event',
  );
  t.is((await app.db('notifications').where({ user_id: carol }).select('id')).length, 0, 'the member mentioned is not told');
  const page = await b.agent.http.get(`/blogs/${id}`);
  t.regex(page.text, /Waiting for a moderator/, 'its author sees it, marked');
  const c = await app.as('carol');
  t.is((await c.agent.http.get(`/blogs/${id}`)).status, 404);
  t.notRegex((await c.agent.http.get('/blogs')).text, /Achetez du Bitcoin/);
  t.deepEqual(
    (await openReportsOn(app.db, 'entity', id)).map((r) => r.reason),
    ['watched'],
  );
  t.is((await app.db('moderation_hidden').where({ entity_id: id }).first('held')).held ? 1 : 0, 1);
  t.is((await app.decide('ada', `entity-${id}`, 'approve')).status, 303);
  t.is((await c.agent.http.get(`/blogs/${id}`)).status, 200, 'published once approved');

  // An edit of a published post that a watched word holds: withheld in the same save.
  const clean = await b.post('/blogs', { title: 'Un billet', body: 'Rien à signaler', access: 'members', status: 'published', tags: '' });
  const other = idOf(clean.headers.location);
  t.is(await published(app, other), 1);
  events.length = 0;
  const edit = await b.post(`/blogs/${other}/edit`, {
    title: 'Un billet',
    body: 'Parlons bitcoin',
    access: 'members',
    status: 'published',
    tags: '',
  });
  t.is(edit.status, 303);
  t.is(await published(app, other), 0);
  t.deepEqual(
    events.map((e) => [e.name, e.payload.heldOnSave]),
    [['content:screened', true]],
  );
  t.is((await c.agent.http.get(`/blogs/${other}`)).status, 404);

  // A draft is not queued: it is screened again when published by an edit.
  const draft = await b.post('/blogs', { title: 'Brouillon bitcoin', body: 'à finir', access: 'members', status: 'draft', tags: '' });
  t.deepEqual(await openReportsOn(app.db, 'entity', idOf(draft.headers.location)), []);
});
