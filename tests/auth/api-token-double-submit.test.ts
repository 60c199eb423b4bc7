/**
 * A token form submitted twice (core/auth/api-tokens.ts `createOnce`): each rendering of the
 * form carries a nonce, stored with the token it made and unique per member, so two posts of
 * one form — at the same time or one after the other — make one token. Both answer the same
 * page (201, "Token … created"); the first shows the secret, the second says it was shown to
 * the first and does not show it again. Your account → API tokens, and a bot's page (one
 * `core.bot.tokenCreate` audit entry). A new rendering of the form makes a new token. Both
 * databases.
 */
import type { ExecutionContext } from 'ava';
import type { Response } from 'supertest';
import type { TestAgent } from '../helpers/app';
import { signedIn } from '../helpers/members';
import { eachGroupApp, type GroupApp } from '../plugins/groups/support';

const TOKEN = /ruche_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,100}/g;
const NONCE = /name="formNonce" value="([A-Za-z0-9_-]+)"/;

/** The form's nonce and CSRF token as the page at `path` renders them. */
async function formOf(agent: TestAgent, path: string): Promise<{ _csrf: string; formNonce: string }> {
  const page = await agent.http.get(path);
  return { _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], formNonce: NONCE.exec(page.text)![1] };
}

/** Two posts of one form at once: one token, both answered alike, the secret once. */
async function doubleSubmit(t: ExecutionContext, app: GroupApp, agent: TestAgent, page: string, action: string, userId: number, name: string) {
  const form = { ...(await formOf(agent, page)), name, scope: 'write' };
  const post = (): Promise<Response> => agent.http.post(action).type('form').send(form);
  const answers = await Promise.all([post(), post()]);
  t.deepEqual(
    answers.map((r) => r.status),
    [201, 201],
    'both answered as the first',
  );
  for (const r of answers) t.regex(r.text, new RegExp(`Token “${name}” created`));
  const secrets = answers.map((r) => r.text.match(TOKEN) ?? []);
  t.deepEqual(secrets.map((s) => s.length).sort(), [0, 1], 'the secret is shown once');
  t.true(
    answers.some((r) => r.text.includes('This form was sent twice')),
    'the other answer says why it is not shown',
  );
  const rows = await app.rt.db('api_tokens').where({ user_id: userId, name }).select('id', 'form_nonce');
  t.is(rows.length, 1, 'one token');
  t.is(rows[0].form_nonce, form.formNonce);
  // Sent again later (the back button): still one token, still not shown.
  const later = await post();
  t.is(later.status, 201);
  t.is((later.text.match(TOKEN) ?? []).length, 0);
  t.is((await app.rt.db('api_tokens').where({ user_id: userId, name }).count({ n: '*' }).first())!.n, rows.length);
  return rows[0].id as number;
}

eachGroupApp('a token form submitted twice at once makes one token, on the account page and a bot’s page', async (t, app) => {
  const rt = app.rt;
  const bobId = await app.member('bob');
  const bob = await signedIn(app, 'bob');
  await doubleSubmit(t, app, bob, '/account/tokens', '/account/tokens', bobId, 'Weekly report');
  // A fresh rendering of the form makes another token.
  const again = await bob.http
    .post('/account/tokens')
    .type('form')
    .send({ ...(await formOf(bob, '/account/tokens')), name: 'Weekly report', scope: 'read' });
  t.is(again.status, 201);
  t.is((again.text.match(TOKEN) ?? []).length, 1);
  t.is(Number((await rt.db('api_tokens').where({ user_id: bobId }).count({ n: '*' }).first())!.n), 2);
  // Without a nonce (a script posting the form), a token is made each time, as before.
  const csrf = await bob.csrf('/account/tokens');
  for (let i = 0; i < 2; i++)
    t.is((await bob.http.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'Plain', scope: 'read' })).status, 201);
  t.is(Number((await rt.db('api_tokens').where({ user_id: bobId, name: 'Plain' }).count({ n: '*' }).first())!.n), 2);

  const admin = await signedIn(app, 'admin');
  const created = await admin.http
    .post('/admin/bots')
    .type('form')
    .send({ _csrf: await admin.csrf('/admin/bots'), displayName: 'CI Bot', username: 'ci-bot', scope: 'network' });
  t.is(created.status, 303);
  const botId = Number(/(\d+)$/.exec(created.headers.location)![1]);
  const tokenId = await doubleSubmit(t, app, admin, `/admin/bots/${botId}`, `/admin/bots/${botId}/tokens`, botId, 'CI server');
  const audit = await rt
    .db('audit_log')
    .where({ action: 'core.bot.tokenCreate', object_id: String(botId) })
    .select('after');
  t.is(audit.length, 1, 'one audit entry, with the one token');
  t.like(JSON.parse(audit[0].after), { token: Number(tokenId), name: 'CI server' });
});
