// Reporting a private message (issue 22): only a participant may (404 for anyone else, 403 for
// one's own); the moderators see that message alone in the queue, never the conversation; hidden,
// its author still reads it, marked, and the other participants read that a moderator hid it
// (the page, the API, the inbox's excerpt, the search).
import type { Response } from 'supertest';
import { reportPiece, send } from './pieces-support';
import { auditOf, eachModApp, openReportsOn, type ModApp } from './support';

const reportMessage = (app: ModApp, username: string, id: number): Promise<Response> =>
  reportPiece(app, username, 'message', id, 'harassment', 'Insults');

eachModApp('a participant reports a message; moderators see that message alone; hidden, its author still reads it, marked', async (t, app) => {
  const [, , , mona] = await app.members('bob', 'carol', 'dave', 'mona');
  await app.setRole(mona, 'moderator');
  const { conversation, message } = await send(app, 'bob', 'carol', 'You are an idiot');
  const earlier = (await app.db('messages').where({ conversation_id: conversation }).first('body')) as { body: string };
  t.is(earlier.body, 'You are an idiot');

  const c = await app.as('carol');
  const page = await c.agent.http.get(`/messages/${conversation}`);
  t.regex(page.text, new RegExp(`href="/moderation/report/piece/message/${message}\\?next&#x3D;`), 'Report on the other’s message');
  t.notRegex((await (await app.as('bob')).agent.http.get(`/messages/${conversation}`)).text, /report\/piece\/message/);
  t.is((await reportMessage(app, 'dave', message)).status, 404, 'not a participant');
  t.is((await reportMessage(app, 'mona', message)).status, 404, 'a moderator is not a participant either');
  t.is((await reportMessage(app, 'bob', message)).status, 403, 'one’s own');
  const twice = await Promise.all([reportMessage(app, 'carol', message), reportMessage(app, 'carol', message)]);
  t.deepEqual(
    twice.map((r) => r.status),
    [303, 303],
  );
  t.is((await openReportsOn(app.db, 'message', message)).length, 1);

  const m = await app.as('mona');
  const queue = await m.agent.http.get('/moderation');
  t.regex(queue.text, /Private message in “Hello”/);
  t.regex(queue.text, /You are an idiot/);
  t.notRegex(queue.text, new RegExp(`href="/messages/${conversation}`), 'no way into the conversation');
  t.is((await m.agent.http.get(`/messages/${conversation}`)).status, 404);

  const hides = await Promise.all([
    m.post(`/moderation/pieces/message/${message}/decide`, { decision: 'hide' }),
    m.post(`/moderation/pieces/message/${message}/decide`, { decision: 'hide' }),
  ]);
  t.deepEqual(
    hides.map((r) => r.status),
    [303, 303],
  );
  t.deepEqual(
    (await auditOf(app.db, message)).map((a) => a.action),
    ['moderation.hide'],
  );
  const seen = await c.agent.http.get(`/messages/${conversation}`);
  t.notRegex(seen.text, /You are an idiot/);
  t.regex(seen.text, /This message was hidden by a moderator\./);
  t.notRegex((await c.agent.http.get('/messages')).text, /You are an idiot/, 'nor in the inbox’s excerpt');
  t.notRegex((await c.agent.http.get('/messages/search?q=idiot')).text, /You are an idiot/, 'nor found');
  const api = await c.agent.http.get(`/api/v1/conversations/${conversation}`);
  t.is(api.status, 200);
  t.false(JSON.stringify(api.body).includes('idiot'), 'nor in the API');
  const own = await (await app.as('bob')).agent.http.get(`/messages/${conversation}`);
  t.regex(own.text, /You are an idiot/);
  t.regex(own.text, /Hidden by a moderator\.<\/strong> Only you and the moderators see it\./);

  t.is((await reportMessage(app, 'carol', message)).status, 404, 'hidden from carol now: nothing more to report');
  t.truthy(mona);
});
