/**
 * Manifest `sockets` (guarded like routes) and filter handlers that receive the runtime
 * (issue 17): a plugin declares its WebSocket path and its filters in its manifest only.
 * Real WebSocket clients against a server on 127.0.0.1, on SQLite and PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import WebSocket from 'ws';
import { listen, type RunningServer } from '../../core';
import { validateManifest } from '../../core/plugins/validate';
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

const PASSWORD = 'violet staple engine 7';

/** A plugin whose socket answers with who opened it and the app's site, and whose filter reads the runtime. */
function socketPlugin(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-sock-'));
  fs.mkdirSync(path.join(root, 'sock'));
  fs.writeFileSync(
    path.join(root, 'sock', 'plugin.js'),
    `exports.default = { id: 'sock', version: '1.0.0', name: 'Sock', description: 'Sock', core: '^1.0.0', defaultEnabled: true,
       permissions: [{ id: 'sock.use', defaultRoles: ['admin'], description: 'sock.use' }],
       sockets: [
         { path: '/sock/admins', capability: 'sock.use', handler: (ws, req, rt) => ws.send(JSON.stringify({ who: req.viewer.username, site: rt.config.siteUrl })) },
         { path: '/sock/members', public: true, handler: (ws, req) => ws.send(JSON.stringify({ who: req.viewer.username })) },
       ],
       hooks: [{ kind: 'filter', name: 'menu:main', options: {},
         handler: (items, ctx, rt) => [...items, { id: 'sock', label: 'Plugins: ' + rt.plugins.list().length, href: '/', order: 1, active: false }] }] };`,
  );
  return root;
}

/** The first message of a socket, or the status its upgrade was refused with. */
function firstMessage(server: RunningServer, path: string, cookie: string | null): Promise<Record<string, unknown> | number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { origin: server.url };
    if (cookie) headers.cookie = cookie;
    const ws = new WebSocket(server.url.replace(/^http/, 'ws') + path, { headers });
    ws.once('message', (data) => {
      ws.close();
      resolve(JSON.parse(String(data)) as Record<string, unknown>);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

test('a socket declares exactly one of capability or public: true', (t) => {
  const base = { id: 'bad', version: '1.0.0', name: 'B', description: 'B', core: '^1.0.0' };
  const handler = () => undefined;
  t.throws(() => validateManifest({ ...base, sockets: [{ path: '/s', handler }] }, 'bad'), { message: /sockets\.0.*capability or public/ });
  t.throws(() => validateManifest({ ...base, sockets: [{ path: 's', handler, public: true }] }, 'bad'), { message: /must start with \// });
  t.notThrows(() => validateManifest({ ...base, sockets: [{ path: '/s', handler, public: true }] }, 'bad'));
});

eachDatabase('manifest sockets are guarded like routes, and handlers and filters receive the runtime', async (t, db) => {
  const app = await makeApp(db, { config: { plugins: { dirs: [socketPlugin()] } } });
  const server = await listen(app.app, 0, '127.0.0.1');
  try {
    const rt = app.app.ruche;
    const r = await rt.users.create({ username: 'mia', email: 'mia@example.com', password: PASSWORD });
    if (!('id' in r)) throw new Error(JSON.stringify(r.errors));
    const member = `${rt.config.session.cookieName}=${await rt.sessions.create(r.id)}`;
    const admin = `${rt.config.session.cookieName}=${await rt.sessions.create((await rt.users.findByLogin('admin'))!.id)}`;

    t.deepEqual(await firstMessage(server, '/sock/admins', admin), { who: 'admin', site: rt.config.siteUrl }, 'the handler gets the runtime');
    t.is(await firstMessage(server, '/sock/admins', member), 403, 'a member without the capability is refused');
    t.is(await firstMessage(server, '/sock/admins', null), 401, 'a guest is refused');
    t.deepEqual(await firstMessage(server, '/sock/members', member), { who: 'mia' }, 'public: any signed-in member');
    t.is(await firstMessage(server, '/sock/members', null), 401, 'public sockets still need a signed-in member');
    await rt.pluginState.disable('sock');
    t.is(await firstMessage(server, '/sock/members', member), 404, 'a disabled plugin has no socket');

    await rt.pluginState.enable('sock');
    const home = await app.agent().http.get('/');
    t.regex(home.text, new RegExp(`Plugins: ${rt.plugins.list().length}`), 'the filter handler read the runtime');
  } finally {
    await server.stop();
  }
});
