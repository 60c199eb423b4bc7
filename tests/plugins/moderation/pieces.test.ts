// Reporting and moderating comments (issue 22), through the core's pieces contract
// (core/content/pieces.ts): "Report" on others' comments; a member reports only what they see
// (404), never their own (403); the queue shows the comment in context; hide withholds it (its
// author and the moderators still see it, marked; nobody else in the thread, the count, the
// feed, the API or search); delete removes it; group admins review their group's comments only.
import { countRows } from '../../helpers/rows';
import { comment, decideComment, reportComment } from './pieces-support';
import { auditOf, eachModApp, openReportsOn } from './support';

eachModApp(
  'a member reports a comment they see from its menu; their own is 403, one they cannot see 404; a double submit leaves one',
  async (t, app) => {
    const [alice, bob] = await app.members('alice', 'bob', 'carol');
    const post = await app.post('alice', 'A walk by the river');
    const c = await comment(app, 'bob', post, 'Buy cheap watches at example.com');
    const secret = await app.quickPost(alice, 'only mine', 'private');
    const hiddenComment = await app.db.transaction(async (trx) => {
      const [row] = await trx('comments')
        .insert({ entity_id: secret, network_id: app.root, author_id: alice, body: 'private words', created_at: Date.now() })
        .returning('id');
      return Number(typeof row === 'object' ? row.id : row);
    });

    const carol = await app.as('carol');
    const page = await carol.agent.http.get(`/status/${post}`);
    t.regex(page.text, new RegExp(`href="/moderation/report/piece/comment/${c}\\?next&#x3D;%2Fstatus%2F${post}" data-action="report">Report</a>`));
    t.notRegex((await (await app.as('bob')).agent.http.get(`/status/${post}`)).text, /report\/piece\/comment/, 'not on one’s own comment');

    const form = await carol.agent.http.get(`/moderation/report/piece/comment/${c}`);
    t.is(form.status, 200);
    t.regex(form.text, /A comment posted by Bob/, 'the form says what is reported');
    const refused = await reportComment(app, 'carol', c, 'other', '  ');
    t.is(refused.status, 422);

    t.is((await reportComment(app, 'bob', c)).status, 403, 'one’s own comment');
    t.is((await reportComment(app, 'carol', hiddenComment)).status, 404, 'a comment on a post one cannot see');
    t.is((await reportComment(app, 'carol', 999999)).status, 404);
    t.is((await carol.post(`/moderation/report/piece/nothing/${c}`, { reason: 'spam', note: '' })).status, 404, 'an unknown kind');
    t.is((await app.agent().http.get(`/moderation/report/piece/comment/${c}`)).status, 302, 'a guest signs in');
    t.is(await countRows(app.db, 'moderation_reports'), 0);

    const twice = await Promise.all([reportComment(app, 'carol', c, 'spam', 'watches'), reportComment(app, 'carol', c, 'spam', 'watches')]);
    t.deepEqual(
      twice.map((r) => r.status),
      [303, 303],
      'a double submit answers as the first',
    );
    const rows = await app.db('moderation_reports').select('target_type', 'target_id', 'target_user_id', 'container_id');
    t.deepEqual(
      rows.map((r) => [r.target_type, Number(r.target_id), Number(r.target_user_id), r.container_id]),
      [['comment', c, bob, null]],
    );
    t.truthy(alice);
  },
);

eachModApp(
  'hide a comment: its author and moderators see it marked; nobody else in the thread, count, feed, API; delete removes it',
  async (t, app) => {
    const [, , , mona] = await app.members('alice', 'bob', 'carol', 'mona');
    await app.setRole(mona, 'moderator');
    const post = await app.post('alice', 'A walk by the river');
    const c = await comment(app, 'bob', post, 'Buy cheap watches at example.com');
    const kept = await comment(app, 'carol', post, 'Lovely walk');
    await reportComment(app, 'carol', c, 'spam', 'watches');

    const queue = await (await app.as('mona')).agent.http.get('/moderation');
    t.is(queue.status, 200);
    t.regex(queue.text, /Comment on “A walk by the river”/, 'the comment in context');
    t.regex(queue.text, /Buy cheap watches at example\.com/);
    t.regex(queue.text, new RegExp(`href="/status/${post}#comment-${c}"`));
    t.regex(queue.text, new RegExp(`action="/moderation/pieces/comment/${c}/decide"`));

    const hides = await Promise.all([decideComment(app, 'mona', c, 'hide'), decideComment(app, 'mona', c, 'hide')]);
    t.deepEqual(
      hides.map((r) => r.status),
      [303, 303],
      'a double submit answers as the first',
    );
    t.is(Number((await app.db('comments').where({ id: c }).first('withheld')).withheld), 1);
    t.is(Number((await app.db('comment_counts').where({ entity_id: post }).first('n')).n), 1, 'left out of the count');
    t.deepEqual(await openReportsOn(app.db, 'comment', c), []);
    const audit = await auditOf(app.db, c);
    t.deepEqual(
      audit.map((a) => a.action),
      ['moderation.hide'],
      'audited once',
    );
    t.deepEqual(JSON.parse(audit[0].after), { reports: 0, deleted: false, hidden: true });

    const carol = await app.as('carol');
    const seen = await carol.agent.http.get(`/status/${post}`);
    t.notRegex(seen.text, /cheap watches/, 'gone from the thread for others');
    t.regex(seen.text, /Lovely walk/);
    t.notRegex((await carol.agent.http.get('/activity')).text, /cheap watches/, 'gone from the feed');
    const api = await carol.agent.http.get(`/api/v1/entities/${post}/comments`);
    t.deepEqual(
      api.body.comments.map((x: { id: number }) => x.id),
      [kept],
      'gone from the API',
    );
    t.is(api.body.count, 1);
    t.is((await carol.agent.http.get(`/moderation/report/piece/comment/${c}`)).status, 404, 'nor reported again by those who do not see it');
    t.is((await app.agent().http.get(`/api/v1/entities/${post}/comments`)).body.comments?.length ?? 0, 0, 'guests are not shown it either');

    const own = await (await app.as('bob')).agent.http.get(`/status/${post}`);
    t.regex(own.text, /cheap watches/, 'its author still sees it');
    t.regex(own.text, /Hidden by a moderator\.<\/strong> Only you and the moderators see it\./);
    const mod = await (await app.as('mona')).agent.http.get(`/status/${post}`);
    t.regex(mod.text, /Hidden by a moderator\.<\/strong> Only its author and the moderators see it\./);

    // Reported again (by a moderator: only they see it now), then published again, then deleted.
    t.is((await reportComment(app, 'alice', c, 'harassment')).status, 404, 'hidden from the post’s author too');
    t.is((await reportComment(app, 'mona', c, 'harassment')).status, 303);
    t.is((await decideComment(app, 'mona', c, 'approve')).status, 303);
    t.is(Number((await app.db('comment_counts').where({ entity_id: post }).first('n')).n), 2, 'counted again');
    t.regex((await carol.agent.http.get(`/status/${post}`)).text, /cheap watches/);
    await reportComment(app, 'carol', c, 'spam');
    t.is((await decideComment(app, 'mona', c, 'delete')).status, 303);
    t.not((await app.db('comments').where({ id: c }).first('deleted_at')).deleted_at, null);
    t.is(Number((await app.db('comment_counts').where({ entity_id: post }).first('n')).n), 1);
    t.notRegex((await (await app.as('bob')).agent.http.get(`/status/${post}`)).text, /cheap watches/, 'gone for its author too');
    t.deepEqual(
      (await auditOf(app.db, c)).map((a) => a.action),
      ['moderation.hide', 'moderation.approve', 'moderation.delete'],
    );
  },
);

eachModApp('group admins review their group’s comments only; members and other networks’ moderators cannot decide', async (t, app) => {
  const [alice, bob, , dan] = await app.members('alice', 'bob', 'carol', 'dan');
  const group = await app.container(dan, [alice, bob]);
  const inGroup = await app.quickPost(alice, 'Group gossip', 'group', { containerId: group });
  const outside = await app.post('alice', 'Network post');
  const c1 = await comment(app, 'bob', inGroup, 'Rude words in the group');
  const c2 = await comment(app, 'bob', outside, 'Rude words outside');
  t.is((await reportComment(app, 'carol', c1)).status, 404, 'carol is not in the group');
  t.is((await reportComment(app, 'alice', c1)).status, 303);
  t.is((await reportComment(app, 'alice', c2)).status, 303);
  const row = await app.db('moderation_reports').where({ target_id: c1 }).first('container_id');
  t.is(Number(row.container_id), group);

  const d = await app.as('dan');
  const queue = await d.agent.http.get(`/moderation?group=${group}`);
  t.regex(queue.text, /Rude words in the group/);
  t.notRegex(queue.text, /Rude words outside/, 'their group only');
  t.is((await decideComment(app, 'dan', c2, 'hide')).status, 403, 'not outside their group');
  t.is((await decideComment(app, 'carol', c1, 'hide')).status, 403, 'a member decides nothing');
  t.is((await decideComment(app, 'dan', c1, 'hide', { group: String(group) })).status, 303);
  t.is(Number((await app.db('comments').where({ id: c1 }).first('withheld')).withheld), 1);
  t.is((await d.post(`/moderation/pieces/nothing/${c1}/decide`, { decision: 'hide' })).status, 404, 'an unknown kind');
});
