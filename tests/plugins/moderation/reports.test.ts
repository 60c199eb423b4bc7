// Reporting through the actions menu the core renders on every card: a member reports what they
// see, with a reason; a double submit leaves one report; bad input keeps the text; what they cannot
// see answers 404, their own content 403; members are reported from their profile.
import { countRows } from '../../helpers/rows';
import { eachModApp, openReportsOn } from './support';

eachModApp('a member reports a post from its actions menu; one report per member, the text kept when refused', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const bob = await app.member('bob', 'Bob');
  const post = await app.post('alice', 'Buy cheap watches at example.com');
  const b = await app.as('bob');

  const page = await b.agent.http.get(`/status/${post}`);
  t.regex(page.text, /<details class="entity-actions">/, 'the core renders the actions menu');
  t.regex(page.text, new RegExp(`href="/moderation/report/entity/${post}\\?next&#x3D;%2Fstatus%2F${post}" data-action="report">Report</a>`));
  const own = await (await app.as('alice')).agent.http.get(`/status/${post}`);
  t.notRegex(own.text, /data-action="report"/, 'nobody reports their own content');

  const form = await b.agent.http.get(`/moderation/report/entity/${post}?next=/status/${post}`);
  t.is(form.status, 200);
  t.regex(form.text, /Content posted by Alice/);
  t.regex(form.text, /value="confidential"/);

  const other = await app.report('bob', post, 'other', '   ');
  t.is(other.status, 422);
  t.regex(other.text, /Say in a few words what is wrong\./);
  const unknown = await app.report('bob', post, 'bogus', 'keep these words');
  t.is(unknown.status, 422);
  t.regex(unknown.text, /Choose a reason\./);
  t.regex(unknown.text, /keep these words<\/textarea>/, 'what the member typed is kept');
  t.regex((await app.report('bob', post, 'other', 'x'.repeat(1001))).text, /Keep it under 1,000 characters\./);
  t.is(await countRows(app.db, 'moderation_reports'), 0);

  const sent = await app.report('bob', post, 'spam', 'Selling watches');
  t.is(sent.status, 303);
  t.is(sent.headers.location, `/status/${post}`);
  const twice = await Promise.all([app.report('bob', post, 'spam', 'Selling watches'), app.report('bob', post, 'spam', 'Selling watches')]);
  t.deepEqual(
    twice.map((r) => r.status),
    [303, 303],
    'a double submit answers as the first',
  );
  t.deepEqual(await openReportsOn(app.db, 'entity', post), [{ reporter_id: bob, reason: 'spam', note: 'Selling watches' }]);
  const row = await app.db('moderation_reports').first('target_user_id', 'network_id', 'container_id');
  t.deepEqual([Number(row.target_user_id), Number(row.network_id), row.container_id], [alice, app.root, null]);

  const mine = await b.agent.http.get('/moderation/mine');
  t.regex(mine.text, /Content posted by Alice · Spam/);
  t.regex(mine.text, /Waiting for review/);
});

eachModApp('what a member cannot see answers 404, their own content 403, guests sign in', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  const secret = await app.quickPost(alice, 'only mine', 'private');
  const mine = await app.quickPost(alice, 'mine', 'members');
  const b = await app.as('bob');
  t.is((await b.agent.http.get(`/moderation/report/entity/${secret}`)).status, 404);
  t.is((await app.report('bob', secret)).status, 404);
  t.is((await app.report('bob', 999999)).status, 404);
  const own = await app.report('alice', mine);
  t.is(own.status, 403);
  t.regex(own.text, /You cannot report your own content\./);
  const guest = await app.agent().http.get(`/moderation/report/entity/${mine}`);
  t.is(guest.status, 302);
  t.regex(guest.headers.location ?? '', /^\/login\?next=/);
  t.is(await countRows(app.db, 'moderation_reports'), 0);
});

eachModApp('a member is reported from their profile; nobody reports themselves', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  const b = await app.as('bob');
  const profile = await b.agent.http.get('/people/alice');
  t.is(profile.status, 200);
  t.regex(profile.text, /href="\/moderation\/report\/member\/alice\?next&#x3D;%2Fpeople%2Falice">Report this member<\/a>/);
  t.notRegex((await (await app.as('alice')).agent.http.get('/people/alice')).text, /Report this member/);

  const form = await b.agent.http.get('/moderation/report/member/alice');
  t.regex(form.text, /The member Alice/);
  t.is((await b.post('/moderation/report/member/alice', { reason: 'harassment', note: '' })).status, 303);
  t.deepEqual(
    (await openReportsOn(app.db, 'member', alice)).map((r) => r.reason),
    ['harassment'],
  );
  t.is((await b.post('/moderation/report/member/bob', { reason: 'spam' })).status, 403);
  t.is((await b.post('/moderation/report/member/nobody', { reason: 'spam' })).status, 404);
});
