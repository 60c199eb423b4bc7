/**
 * The OpenAPI document is generated from the route declarations: every API route of the
 * network is in it with its method, and every answer a client gets from every API route in a
 * run through them matches the response schema declared (hence documented) for the route. The
 * readable reference lists the same routes (both databases).
 *
 * A new API route fails the coverage check below until this run calls it: add its call.
 */
import request from 'supertest';
import type { ExecutionContext } from 'ava';
import type { RouteDef } from '../../core';
import { ADMIN } from '../helpers/app';
import { eachApp } from '../helpers/each-app';
import { discApp, type DiscApp } from '../plugins/discussions/support';

interface Checked {
  (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: Record<string, unknown>): Promise<request.Response>;
  covered: Set<string>;
}

/** Calls the API with a token, and checks each 2xx answer against the schema its route declares. */
function checkedApi(t: ExecutionContext, app: DiscApp, token: string): Checked {
  const routes = app.rt.routes
    .served()
    .filter((r) => r.def.api)
    .map((r) => ({ def: r.def, re: new RegExp(`^${r.def.path.replace(/:\w+/g, '[^/]+')}$`) }));
  const api = request(app.app.callback());
  const covered = new Set<string>();
  const call = (async (method, url, body) => {
    const path = url.split('?')[0];
    const route = routes.find((r) => r.def.method === method && r.re.test(path));
    if (!route) throw new Error(`no API route answers ${method} ${path}`);
    let req = api[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url).set('authorization', `Bearer ${token}`);
    if (body) req = req.send(body);
    const res = await req;
    t.true(res.status >= 200 && res.status < 300, `${method} ${url} answered ${res.status}: ${res.text.slice(0, 200)}`);
    const declared = (route.def as RouteDef).api!.response;
    t.truthy(declared, `${route.def.name} declares its response`);
    const parsed = declared?.safeParse(res.body);
    t.true(
      parsed?.success ?? false,
      `${route.def.name}: the answer matches its declared schema: ${JSON.stringify(parsed?.error?.issues.slice(0, 3))}`,
    );
    covered.add(route.def.name);
    return res;
  }) as Checked;
  call.covered = covered;
  return call;
}

eachApp('the OpenAPI document lists every API route, and every answer matches its declared schema', discApp, async (t, app) => {
  const token = (await app.rt.apiTokens.create(1, 'openapi', 'write')).token;
  const call = checkedApi(t, app, token);

  const doc = (await call('GET', '/api/v1/openapi.json')).body;
  t.is(doc.openapi, '3.1.0');
  const documented = new Map<string, string>();
  for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { operationId: string; responses: object }>>))
    for (const [method, op] of Object.entries(ops)) documented.set(op.operationId, `${method.toUpperCase()} ${p}`);
  const root = app.rt.networks.root().id;
  const apiRoutes = app.rt.routes.served().filter((r) => r.def.path.startsWith('/api/') && app.rt.pluginState.isEnabled(r.owner, root));
  t.true(apiRoutes.length >= 15);
  for (const r of apiRoutes)
    t.is(documented.get(r.def.name), `${r.def.method} ${r.def.path.replace(/:(\w+)/g, '{$1}')}`, `${r.def.name} is documented`);
  t.is(documented.size, apiRoutes.length, 'nothing but the API routes');
  const reply = doc.paths['/api/v1/discussions/{id}/replies'].post;
  t.is(reply['x-ruche-scope'], 'write');
  t.deepEqual(
    reply.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ['path:id', 'header:Idempotency-Key'],
  );
  t.truthy(reply.responses['201'].content['application/json'].schema.properties.href);

  // A run through every route, each answer checked against its schema.
  await call('GET', '/api/v1/me');
  const posted = (await call('POST', '/api/v1/status', { body: 'Hello from the API #openapi' })).body;
  await call('GET', '/api/v1/activity');
  await call('GET', '/api/v1/feed');
  await app.member('olivia');
  t.is((await call('GET', '/api/v1/mentions?q=oli')).body.members[0].username, 'olivia');
  t.is((await call('GET', '/api/v1/people/olivia')).body.username, 'olivia');
  await call('POST', `/api/v1/entities/${posted.id}/reactions`, { reaction: 'like' });
  await call('GET', `/api/v1/entities/${posted.id}/reactions`);
  await call('DELETE', `/api/v1/entities/${posted.id}/reactions`);
  const comment = (await call('POST', `/api/v1/entities/${posted.id}/comments`, { body: 'A comment' })).body.comment;
  await call('GET', `/api/v1/entities/${posted.id}/comments`);
  await call('DELETE', `/api/v1/comments/${comment.id}`);
  await call('GET', `/api/v1/entities/${posted.id}/comments`);
  t.is((await call('GET', `/api/v1/status/${posted.id}`)).body.body, 'Hello from the API #openapi');
  t.is((await call('PATCH', `/api/v1/status/${posted.id}`, { body: 'Edited from the API' })).body.body, 'Edited from the API');
  const blog = (await call('POST', '/api/v1/blogs', { title: 'Documented post', body: 'Words.', status: 'published' })).body;
  t.is((await call('GET', '/api/v1/blogs')).body.posts[0].id, blog.id);
  t.is((await call('GET', `/api/v1/blogs/${blog.id}`)).body.title, 'Documented post');
  t.truthy((await call('POST', '/api/v1/discussions', { title: 'Started from the API', body: 'Words.' })).body.id);
  const topic = await app.topic(1, { title: 'Documented' });
  await app.reply(1, topic, 'First');
  await call('POST', `/api/v1/discussions/${topic}/replies`, { body: 'Second' });
  await call('GET', '/api/v1/discussions');
  await call('GET', `/api/v1/discussions/${topic}`);
  const olivia = Number((await app.db('users').where({ username: 'olivia' }).first('id')).id);
  await app.rt.hooks.emit('likes:reacted', { networkId: root, entityId: posted.id, userId: olivia, ownerId: 1, reaction: 'like', previous: null });
  const line = (await call('GET', '/api/v1/notifications?limit=5')).body.items[0];
  await call('POST', `/api/v1/notifications/${line.id}/read`);
  await call('DELETE', `/api/v1/status/${posted.id}`);
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const made = await admin.http
    .post('/groups')
    .type('form')
    .send({
      _csrf: await admin.csrf('/groups/new'),
      name: 'Documented group',
      description: 'For the reference.',
      category: 'social',
      visibility: 'closed',
    });
  const group = (await call('GET', `/api/v1/groups/${/\/groups\/(\d+)/.exec(made.headers.location ?? '')?.[1]}`)).body;
  t.like(group, { name: 'Documented group', visibility: 'closed', members: 1, role: 'admin', canManage: true });
  t.is((await call('GET', '/api/v1/groups')).body.groups[0].id, group.id);
  t.is((await call('GET', `/api/v1/groups/${group.id}/members`)).body.members[0].username, ADMIN.username);
  const opened = await app.rt.apiTokens.create(olivia, 'openapi', 'write');
  const asOlivia = checkedApi(t, app, opened.token);
  t.is((await asOlivia('POST', `/api/v1/groups/${group.id}/join`)).body.state, 'requested');
  await app.db('container_members').insert({ container_id: group.id, user_id: olivia, role: 'member', created_at: Date.now() });
  t.is((await asOlivia('POST', `/api/v1/groups/${group.id}/leave`)).body.state, 'left');
  // Follows and connections, between Olivia and the admin.
  const adminName = ADMIN.username;
  t.is((await asOlivia('POST', `/api/v1/people/${adminName}/follow`)).body.state, 'following');
  t.is((await call('GET', `/api/v1/people/${adminName}/followers`)).body.people[0].username, 'olivia');
  t.is((await call('GET', '/api/v1/people/olivia/following')).body.people[0].username, adminName);
  t.is((await asOlivia('POST', `/api/v1/people/${adminName}/unfollow`)).body.state, 'not-following');
  t.is((await asOlivia('POST', `/api/v1/people/${adminName}/connect`)).body.state, 'requested');
  const received = (await call('GET', '/api/v1/connections/requests')).body.received[0].requestId;
  t.is((await call('POST', `/api/v1/connections/requests/${received}/accept`)).body.state, 'accepted');
  t.is((await call('GET', '/api/v1/people/olivia/connections')).body.people[0].username, adminName);
  t.is((await asOlivia('POST', `/api/v1/people/${adminName}/disconnect`)).body.state, 'not-connected');
  await asOlivia('POST', `/api/v1/people/${adminName}/connect`);
  const toDecline = (await call('GET', '/api/v1/connections/requests')).body.received[0].requestId;
  t.is((await call('POST', `/api/v1/connections/requests/${toDecline}/decline`)).body.state, 'declined');
  await call('POST', '/api/v1/people/olivia/connect');
  const toCancel = (await call('GET', '/api/v1/connections/requests')).body.sent[0].requestId;
  t.is((await call('POST', `/api/v1/connections/requests/${toCancel}/cancel`)).body.state, 'cancelled');
  // Messages: Olivia writes to the admin, who lists, reads and answers.
  const started = (await asOlivia('POST', '/api/v1/conversations', { to: [adminName], subject: 'Documented', body: 'Hello' })).body;
  t.is((await call('GET', '/api/v1/conversations')).body.items[0].id, started.conversation.id);
  t.is((await call('GET', `/api/v1/conversations/${started.conversation.id}`)).body.messages[0].body, 'Hello');
  t.is((await call('POST', `/api/v1/conversations/${started.conversation.id}/messages`, { body: 'Hi' })).body.message.seq, 2);
  for (const name of asOlivia.covered) call.covered.add(name);
  const missing = [...documented.keys()].filter((name) => !call.covered.has(name));
  t.deepEqual(missing, [], 'every documented route was called (add a call for a new one)');

  // The readable reference: server-rendered, every route, in the member's language.
  const page = await app.agent().http.get('/api-docs');
  t.is(page.status, 200);
  for (const [, where] of documented) t.true(page.text.includes(where.split(' ')[1]), `${where} is on the reference page`);
  t.notRegex(page.text, /<script[^>]+src="https?:/, 'no script from elsewhere');
  const fr = await app.agent().http.get('/api-docs').set('accept-language', 'fr');
  t.regex(fr.text, /Référence de l’API/);
});
