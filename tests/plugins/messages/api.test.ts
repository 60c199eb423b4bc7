// The JSON API of messages (plugins/messages/api-routes.ts): the inbox paged by an opaque
// cursor (nothing lost or repeated while conversations start between requests), a
// conversation for its participants only (read as its page reads it), starting and replying
// with the pages' checks, blocks and idempotency keys; a read token sends nothing.
import test from 'ava';
import request from 'supertest';
import { apiClients, walkWhileAdding } from '../../helpers/api-clients';
import { countRows } from '../../helpers/rows';
import { eachMsgApp } from './support';

void test;

eachMsgApp('messages through the API: keyset inbox, participants only, start and reply as the pages', async (t, app) => {
  const api = request(app.app.callback());
  const ana = await app.member('ana', 'Ana Lopez');
  const ben = await app.member('ben', 'Ben Okafor');
  const cleo = await app.member('cleo', 'Cleo Park');
  const as = await apiClients(app, { ana: [ana, 'write'], ben: [ben, 'write'], cleo: [cleo, 'write'], anaRead: [ana, 'read'] });

  // Starting: a read token cannot; a write token does, once per idempotency key.
  t.is((await as('anaRead').post('/api/v1/conversations', { to: ['ben'], body: 'Hello' })).status, 403);
  t.is(await countRows(app.db, 'messages'), 0, 'nothing sent with a read token');
  const first = await as('ana').post('/api/v1/conversations', { to: ['ben'], subject: 'Plans', body: 'Hello **Ben**' }, 'start-1');
  t.is(first.status, 201);
  t.like(first.body.conversation, { kind: 'direct', title: 'Plans', subject: 'Plans', href: `/messages/${first.body.conversation.id}` });
  t.like(first.body.message, {
    seq: 1,
    body: 'Hello **Ben**',
    html: '<p>Hello <strong>Ben</strong></p>\n',
    author: { id: ana, username: 'ana', displayName: 'Ana Lopez' },
  });
  const again = await as('ana').post('/api/v1/conversations', { to: ['ben'], subject: 'Plans', body: 'Hello **Ben**' }, 'start-1');
  t.deepEqual([again.status, again.body, again.headers['idempotent-replayed']], [201, first.body, 'true'], 'a retry answers as the first');
  t.is(await countRows(app.db, 'messages'), 1, 'one message for two requests with one key');
  const direct = Number(first.body.conversation.id);

  // The page's checks, localised.
  const unknown = await as('ana').post('/api/v1/conversations', { to: ['nobody'], body: 'Hi' });
  t.is(unknown.status, 400);
  t.regex(unknown.body.error.message, /nobody/);
  const blank = await as('ana').post('/api/v1/conversations', { to: ['ben'], body: '   ' });
  t.is(blank.status, 400);
  const missing = await as('ana').post('/api/v1/conversations', { body: 'Hi' });
  t.deepEqual([missing.status, Object.keys(missing.body.error.fields)], [400, ['body.to']]);
  const french = await as('ana')
    .post('/api/v1/conversations', { to: ['ben'], body: '' })
    .set('Accept-Language', 'fr');
  t.is(french.status, 400);
  t.notRegex(JSON.stringify(french.body.error.fields), /characters/, 'in the reader’s language');

  // Reading: participants only, the same 404 for anyone else as for a missing one; read as the page reads.
  const read = await as('ben').get(`/api/v1/conversations/${direct}`);
  t.is(read.status, 200);
  t.deepEqual(read.body.participants.map((p: { username: string }) => p.username).sort(), ['ana', 'ben']);
  t.is(read.body.messages[0].body, 'Hello **Ben**');
  t.is((await as('cleo').get(`/api/v1/conversations/${direct}`)).status, 404);
  t.is((await as('cleo').get('/api/v1/conversations/999999')).status, 404);
  t.is((await api.get(`/api/v1/conversations/${direct}`)).status, 401, 'a guest is asked to authenticate');
  const benInbox = (await as('ben').get('/api/v1/conversations')).body.items;
  t.like(benInbox[0], { id: direct, unread: 0, archived: false, participants: [{ username: 'ana' }] });

  // Replying: a participant; anyone else gets the 404.
  const reply = await as('ben').post(`/api/v1/conversations/${direct}/messages`, { body: 'Hi Ana' });
  t.is(reply.status, 201);
  t.like(reply.body.message, { seq: 2, body: 'Hi Ana', author: { username: 'ben' } });
  t.is((await as('cleo').post(`/api/v1/conversations/${direct}/messages`, { body: 'Me too' })).status, 404);
  t.like((await as('ana').get('/api/v1/conversations')).body.items[0], { id: direct, unread: 1, last: { body: 'Hi Ana' } });

  // Older messages by the `next` link, newest first, none repeated.
  for (let i = 3; i <= 7; i++) await as('ana').post(`/api/v1/conversations/${direct}/messages`, { body: `Message ${i}` });
  const seqs: number[] = [];
  for (let next: string | null = `/api/v1/conversations/${direct}?limit=3`; next;) {
    const page = await as('ben').get(next);
    t.is(page.status, 200);
    seqs.push(...page.body.messages.map((m: { seq: number }) => m.seq));
    next = page.body.next;
  }
  t.deepEqual(seqs, [7, 6, 5, 4, 3, 2, 1]);

  // Blocks: as the page, a member who blocked (or was blocked) is not written to.
  await app.service.block(app.rt.networks.root().id, cleo, ana);
  const blocked = await as('ana').post('/api/v1/conversations', { to: ['cleo'], body: 'Hello Cleo' });
  t.is(blocked.status, 403);
  t.truthy(blocked.body.error.message);
  await app.service.blocks.unblock(cleo, ana);

  // The inbox by cursor: conversations started between requests (they come first) neither
  // repeat one already listed nor make one be skipped.
  const others: number[] = [];
  for (let i = 0; i < 6; i++) {
    const who = await app.member(`person${i}`, `Person ${i}`);
    others.push(await app.start(who, ['ana'], `Hello from ${i}`));
  }
  // Someone new writes to Ana between requests.
  const inbox = await walkWhileAdding(as('ana'), { path: '/api/v1/conversations', key: 'items', pageSize: 2 }, async (round) =>
    app.start(await app.member(`latecomer${round}`, `Late ${round}`), ['ana'], 'A late hello'),
  );
  t.is(inbox.before.length, 7);
  for (const link of inbox.links) t.regex(link, /^\/api\/v1\/conversations\?limit=2&after=[A-Za-z0-9_-]+$/);
  t.deepEqual(inbox.walked, inbox.before, 'every conversation of the first request, once, in order');
  const bad = await as('ana').get('/api/v1/conversations?after=nonsense');
  t.deepEqual([bad.status, Object.keys(bad.body.error.fields)], [400, ['query.after']]);
  t.is(
    (await as('ana').get(`/api/v1/conversations?after=${Buffer.from('["Ana", 12]').toString('base64url')}`)).status,
    400,
    'a cursor of another list',
  );

  // The archive, as its page.
  await app.form('ana', `/messages/${others[0]}/archive`);
  t.deepEqual(
    ((await as('ana').get('/api/v1/conversations?archived=true')).body.items as { id: number }[]).map((c) => c.id),
    [others[0]],
  );
});
