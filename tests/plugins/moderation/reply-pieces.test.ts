// Reporting and moderating discussion replies (issue 22) through the core's pieces contract: "Report"
// on others' replies; a member reports only what they see; hide withholds the reply (its author and
// the moderators see it marked; nobody else on the topic's page, its API, its count or its search);
// delete removes it; audited in the decision's transaction.
import type { Response } from 'supertest';
import { decidePiece, reply, reportPiece, topic } from './pieces-support';
import { auditOf, eachModApp, openReportsOn, type ModApp } from './support';

const reportReply = (app: ModApp, username: string, id: number, reason = 'spam'): Promise<Response> =>
  reportPiece(app, username, 'reply', id, reason);

const decideReply = (app: ModApp, username: string, id: number, decision: string): Promise<Response> =>
  decidePiece(app, username, 'reply', id, decision);

eachModApp('replies: reported from their menu, hidden (author and moderators see it marked), shown again, deleted', async (t, app) => {
  const [alice, bob, carol, mona] = await app.members('alice', 'bob', 'carol', 'mona');
  await app.setRole(mona, 'moderator');
  const topicId = await topic(app, 'alice', 'Where to walk?');
  const r = await reply(app, 'bob', topicId, 'Buy cheap watches at example.com');
  const kept = await reply(app, 'carol', topicId, 'By the river');

  const c = await app.as('carol');
  const page = await c.agent.http.get(`/discussions/${topicId}`);
  t.regex(page.text, new RegExp(`href="/moderation/report/piece/reply/${r}\\?next&#x3D;`));
  t.notRegex((await (await app.as('bob')).agent.http.get(`/discussions/${topicId}`)).text, new RegExp(`report/piece/reply/${r}`));
  t.is((await reportReply(app, 'bob', r)).status, 403);
  const twice = await Promise.all([reportReply(app, 'carol', r), reportReply(app, 'carol', r)]);
  t.deepEqual(
    twice.map((x) => x.status),
    [303, 303],
  );
  t.is((await openReportsOn(app.db, 'reply', r)).length, 1);

  const queue = await (await app.as('mona')).agent.http.get('/moderation');
  t.regex(queue.text, /Reply in “Where to walk\?”/);
  t.regex(queue.text, /Buy cheap watches/);
  t.regex(queue.text, new RegExp(`href="/discussions/replies/${r}"`));

  const hides = await Promise.all([decideReply(app, 'mona', r, 'hide'), decideReply(app, 'mona', r, 'hide')]);
  t.deepEqual(
    hides.map((x) => x.status),
    [303, 303],
  );
  t.is(Number((await app.db('discussion_topics').where({ entity_id: topicId }).first('reply_count')).reply_count), 1, 'out of the count');
  const seen = await c.agent.http.get(`/discussions/${topicId}`);
  t.notRegex(seen.text, /cheap watches/);
  t.regex(seen.text, /By the river/);
  const api = await c.agent.http.get(`/api/v1/discussions/${topicId}`);
  t.deepEqual(
    api.body.replies.map((x: { id: number }) => x.id),
    [kept],
  );
  t.is((await c.agent.http.get(`/discussions/replies/${r}`)).status, 404, 'its permalink is gone for others');
  t.notRegex((await c.agent.http.get(`/discussions/${topicId}/search?q=watches`)).text, /cheap watches/, 'and from the thread’s search');
  const own = await (await app.as('bob')).agent.http.get(`/discussions/${topicId}`);
  t.regex(own.text, /cheap watches/);
  t.regex(own.text, /Hidden by a moderator\.<\/strong> Only you and the moderators see it\./);
  t.regex((await (await app.as('mona')).agent.http.get(`/discussions/${topicId}`)).text, /Only its author and the moderators see it\./);
  t.deepEqual(
    (await auditOf(app.db, r)).map((a) => a.action),
    ['moderation.hide'],
  );

  await reportReply(app, 'mona', r, 'harassment');
  t.is((await decideReply(app, 'mona', r, 'approve')).status, 303);
  t.is(Number((await app.db('discussion_topics').where({ entity_id: topicId }).first('reply_count')).reply_count), 2, 'counted again');
  t.regex((await c.agent.http.get(`/discussions/${topicId}`)).text, /cheap watches/);
  await reportReply(app, 'carol', r);
  t.is((await decideReply(app, 'mona', r, 'delete')).status, 303);
  t.not((await app.db('discussion_replies').where({ id: r }).first('deleted_at')).deleted_at, null);
  t.is(Number((await app.db('discussion_topics').where({ entity_id: topicId }).first('reply_count')).reply_count), 1);
  t.truthy(alice && bob && carol);
});
