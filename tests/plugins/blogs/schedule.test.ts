// Drafts and scheduled posts: seen by their author only, in no list or feed; the job
// publishes a scheduled post once at its date (one activity row, one event); rescheduling
// moves the job, unscheduling and deleting cancel it.
import { ADMIN } from '../../helpers/app';
import { createdId, eachBlogApp, local } from './support';

const HOUR = 3_600_000;
const nextMinute = (ms: number): number => Math.ceil(ms / 60_000) * 60_000;

eachBlogApp('blogs: drafts are seen by their author only and appear nowhere else', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  await app.member('mod', { role: 'moderator' });
  await app.allowGuests(true);
  const a = await app.as('alice');
  const id = createdId(await a.post('/blogs', { title: 'Secret draft', body: 'Not yet', access: 'public', status: 'draft' }));
  t.is((await app.db('activity').where({ entity_id: id })).length, 0);
  t.deepEqual(app.events, []);
  const own = await a.get(`/blogs/${id}`);
  t.is(own.status, 200);
  t.true(own.text.includes('This is a draft: only you can see it.'));
  const mine = await a.get('/blogs/by/alice');
  t.true(mine.text.includes('Your drafts and scheduled posts') && mine.text.includes(`data-post="${id}"`));
  const card = mine.text.split(`data-post="${id}"`)[1].split('</article>')[0];
  t.notRegex(card, /·\s*·/, 'a draft has no date: one separator, not two (issue 27)');
  t.false((await a.get('/blogs')).text.includes(`data-post="${id}"`), 'not in the network list, even for its author');
  for (const name of ['bob', 'mod', ADMIN.username]) {
    const m = await app.as(name);
    t.is((await m.get(`/blogs/${id}`)).status, 404, `${name}: post page`);
    t.is((await m.get(`/blogs/${id}/edit`)).status, 404, `${name}: edit page`);
    for (const list of ['/blogs', '/blogs/by/alice']) t.false((await m.get(list)).text.includes('Secret draft'), `${name}: ${list}`);
  }
  const guest = app.guest();
  t.is((await guest.http.get(`/blogs/${id}`)).status, 302);
  t.false((await guest.http.get('/blogs')).text.includes('Secret draft'));

  // publishing the draft: once, with its activity; back to draft: the activity goes
  t.is((await a.post(`/blogs/${id}/edit`, { title: 'Secret draft', body: 'Now', access: 'public', status: 'published' })).status, 303);
  t.is((await app.db('activity').where({ entity_id: id, verb: 'published' })).length, 1);
  t.is(app.events.length, 1);
  t.is((await guest.http.get(`/blogs/${id}`)).status, 200);
  await a.post(`/blogs/${id}/edit`, { title: 'Secret draft', body: 'Now', access: 'public', status: 'draft' });
  t.is((await app.db('activity').where({ entity_id: id })).length, 0);
  t.is((await (await app.as('bob')).get(`/blogs/${id}`)).status, 404);
});

eachBlogApp('blogs: scheduled posts are published once by the job at their date; reschedule and delete move and cancel it', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const a = await app.as('alice');
  const b = await app.as('bob');
  const at = nextMinute(Date.now()) + HOUR;
  const id = createdId(await a.post('/blogs', { title: 'Future news', body: 'Soon', access: 'members', status: 'scheduled', publish_at: local(at) }));
  const job = await app.rt.jobs.find(`blogs.publish:${id}`);
  t.is(job?.status, 'pending');
  t.is(Number(job?.run_at), at);
  t.is((await b.get(`/blogs/${id}`)).status, 404, 'not visible before its date');
  t.false((await b.get('/blogs')).text.includes('Future news'));
  const own = await a.get(`/blogs/${id}`);
  t.true(own.text.includes('It will be published on'));
  t.true((await a.get(`/blogs/${id}/edit`)).text.includes(`value="${local(at)}"`));

  t.is(await app.rt.jobs.runDue({ now: at - 1000 }), 0, 'nothing due yet');
  // rescheduling moves the job
  const later = at + 24 * HOUR;
  t.is(
    (await a.post(`/blogs/${id}/edit`, { title: 'Future news', body: 'Soon', access: 'members', status: 'scheduled', publish_at: local(later) }))
      .status,
    303,
  );
  t.is(Number((await app.rt.jobs.find(`blogs.publish:${id}`))?.run_at), later);
  t.is((await app.db('jobs').where({ kind: 'blogs.publish' })).length, 1, 'one job, moved');
  t.is(await app.rt.jobs.runDue({ now: at + 1000 }), 0, 'the old date does nothing');
  t.is((await app.db('blog_posts').where({ entity_id: id }).first()).status, 'scheduled');

  t.is(await app.rt.jobs.runDue({ now: later }), 1);
  const row = await app.db('blog_posts').where({ entity_id: id }).first();
  t.is(row.status, 'published');
  t.is(Number(row.published_at), later);
  t.deepEqual(await app.db('activity').where({ entity_id: id }).pluck('verb'), ['published']);
  t.is(Number((await app.db('activity').where({ entity_id: id }).first()).actor_id), alice);
  t.deepEqual(
    app.events.map((e) => e.name),
    ['blogs:published'],
  );
  // idempotent: running again, or the handler twice, publishes nothing more
  t.is(await app.rt.jobs.runDue({ now: later + HOUR }), 0);
  t.false(await app.svc.publishDue(id, later + HOUR));
  t.is((await app.db('activity').where({ entity_id: id })).length, 1);
  t.is(app.events.length, 1);
  t.is((await b.get(`/blogs/${id}`)).status, 200);
  t.true((await b.get('/blogs')).text.includes('Future news'));
  if (app.rt.routes.get('activity.network')) {
    const feed = await b.get('/activity');
    t.true(feed.text.includes('Future news') && feed.text.includes(`href="/blogs/${id}"`), 'described in the activity feed');
  }

  // deleting a scheduled post cancels its job; unscheduling (to draft) too
  const gone = createdId(await a.post('/blogs', { title: 'Never', body: 'x', access: 'members', status: 'scheduled', publish_at: local(at) }));
  t.truthy(await app.rt.jobs.find(`blogs.publish:${gone}`));
  t.is((await a.post(`/blogs/${gone}/delete`)).status, 303);
  t.is(await app.rt.jobs.find(`blogs.publish:${gone}`), undefined);
  const drafted = createdId(await a.post('/blogs', { title: 'Maybe', body: 'x', access: 'members', status: 'scheduled', publish_at: local(at) }));
  await a.post(`/blogs/${drafted}/edit`, { title: 'Maybe', body: 'x', access: 'members', status: 'draft' });
  t.is(await app.rt.jobs.find(`blogs.publish:${drafted}`), undefined);
  t.is(await app.rt.jobs.runDue({ now: later + 2 * HOUR }), 0);
  t.is((await app.db('blog_posts').whereIn('entity_id', [gone, drafted]).where({ status: 'published' })).length, 0);
  t.is(app.events.filter((e) => e.name === 'blogs:published').length, 1);
  // a post deleted after its job was claimed is not published (the handler checks)
  const late = await app.write(alice, { title: 'Late', status: 'scheduled', publishAt: at });
  await app.rt.entities.softDelete(late);
  t.false(await app.svc.publishDue(late, at + 1));
});

eachBlogApp(
  'blogs: the date of a scheduled post is read and shown in the member’s time zone (account page), else their browser’s (issue 27)',
  async (t, app) => {
    const alice = await app.member('alice');
    await app.member('bruno');
    await app.rt.users.setTimeZone(alice, 'Europe/Paris');
    const a = await app.as('alice');
    const form = await a.get('/blogs/new');
    t.regex(form.text, /In your time zone: <strong>Europe\/Paris<\/strong>/);
    // 09:00 in Paris on a summer day is 07:00 UTC; a browser zone sent along does not override the account's.
    const fields = { title: 'Summer news', body: 'Soon', access: 'members', status: 'scheduled' };
    const id = createdId(await a.post('/blogs', { ...fields, publish_at: '2030-06-01T09:00', time_zone: 'Asia/Tokyo' }));
    t.is(Number((await app.db('blog_posts').where({ entity_id: id }).first()).publish_at), Date.UTC(2030, 5, 1, 7, 0));
    t.is(Number((await app.rt.jobs.find(`blogs.publish:${id}`))?.run_at), Date.UTC(2030, 5, 1, 7, 0));
    t.true((await a.get(`/blogs/${id}/edit`)).text.includes('value="2030-06-01T09:00"'), 'shown back in Paris time');
    // In winter Paris is UTC+1.
    await a.post(`/blogs/${id}/edit`, { ...fields, publish_at: '2030-12-01T09:00' });
    t.is(Number((await app.db('blog_posts').where({ entity_id: id }).first()).publish_at), Date.UTC(2030, 11, 1, 8, 0));

    // Without a zone on the account: the browser's (time-zone.js fills the hidden field), else UTC.
    const b = await app.as('bruno');
    const blank = await b.get('/blogs/new');
    t.regex(blank.text, /<input type="hidden" name="time_zone" value="" data-browser-zone>/);
    t.regex(blank.text, /href="\/account#account-zone"/);
    const ny = createdId(await b.post('/blogs', { ...fields, publish_at: '2030-06-01T09:00', time_zone: 'America/New_York' }));
    t.is(Number((await app.db('blog_posts').where({ entity_id: ny }).first()).publish_at), Date.UTC(2030, 5, 1, 13, 0));
    const utc = createdId(await b.post('/blogs', { ...fields, publish_at: '2030-06-01T09:00', time_zone: 'Nowhere/Atlantis' }));
    t.is(Number((await app.db('blog_posts').where({ entity_id: utc }).first()).publish_at), Date.UTC(2030, 5, 1, 9, 0));
    // A refused form keeps the zone it was typed in.
    const refused = await b.post('/blogs', { ...fields, title: '', publish_at: '2030-06-01T09:00', time_zone: 'America/New_York' });
    t.is(refused.status, 400);
    t.regex(refused.text, /name="time_zone" value="America\/New_York"/);
  },
);
