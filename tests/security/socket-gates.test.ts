/**
 * Issue 16, case 11: a WebSocket upgrade passes the same gates as a page — one gate chain,
 * used by construction by core/app.ts and core/realtime/sockets.ts. Real WebSocket clients
 * (`ws`) against a real server listening on 127.0.0.1, on SQLite and PostgreSQL. Issue 22:
 * every socket the manifests declare (`rt.sockets.all()`: chat's, alerts') is walked across
 * viewers, not only chat's.
 */
import WebSocket from 'ws';
import { listen, type ConfigInput, type RunningServer } from '../../core';
import { eachDatabase } from '../helpers/databases';
import { makeApp, type TestApp } from '../helpers/app';
import type { TestDatabase } from '../helpers/databases';
import { eachApp } from '../helpers/each-app';

const PASSWORD = 'violet staple engine 7';

interface Served extends TestApp {
  server: RunningServer;
  /** A member of `networkId` (default the root) and a session cookie for them. */
  member(username: string, networkId?: number): Promise<{ id: number; cookie: string }>;
}

/** Runs `body` against a served app, stopped (database closed) before the database is dropped. */
async function withServer(db: TestDatabase, config: ConfigInput, body: (s: Served) => Promise<void>): Promise<void> {
  const s = await served(db, config);
  try {
    await body(s);
  } finally {
    await s.server.stop();
  }
}

async function served(db: TestDatabase, config: ConfigInput = {}): Promise<Served> {
  const app = await makeApp(db, { config });
  const server = await listen(app.app, 0, '127.0.0.1');
  const rt = app.app.ruche;
  return {
    ...app,
    server,
    async member(username, networkId) {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, networkId });
      if (!('id' in r)) throw new Error(JSON.stringify(r.errors));
      return { id: r.id, cookie: `${rt.config.session.cookieName}=${await rt.sessions.create(r.id)}` };
    },
  };
}

/** Opens a socket: 'open' (then closed at once), or the HTTP status the upgrade was refused with. */
function upgrade(server: RunningServer, path: string, cookie: string | null, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { origin: server.url, ...headers };
    if (cookie) all.cookie = cookie;
    const ws = new WebSocket(server.url.replace(/^http/, 'ws') + path, { headers: all });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

eachDatabase('issue 16 case 11: an upgrade under a host the site does not answer is refused with the 404 a page gets', (t, db) =>
  withServer(db, { allowedHosts: ['community.example.com'] }, async (s) => {
    const { cookie } = await s.member('alice');
    const port = s.server.port;
    const foreign = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const page = await s.agent().http.get('/chat').set('host', foreign.host).set('cookie', cookie);
    t.is(page.status, 404, 'the page');
    t.is(await upgrade(s.server, '/chat/socket', cookie, foreign), 404, 'the socket');
    const known = { host: `community.example.com:${port}`, origin: `http://community.example.com:${port}` };
    t.is(await upgrade(s.server, '/chat/socket', cookie, known), 'open', 'an allowed host is served');
    t.is(await upgrade(s.server, '/chat/socket', cookie), 'open', 'and loopback');
  }),
);

eachDatabase('issue 16 case 11: a member who has not accepted the usage charter gets no socket (403), as forms and the API get 403', (t, db) =>
  withServer(db, {}, async (s) => {
    const rt = s.app.ruche;
    const { id, cookie } = await s.member('alice');
    t.is(await upgrade(s.server, '/chat/socket', cookie), 'open', 'no charter yet');
    await rt.networks.setCharter(rt.networks.root().id, '# Be kind');
    const api = await s.agent().http.get('/api/v1/me').set('cookie', cookie);
    t.is(api.status, 403);
    t.is(api.body.error.code, 'charter_not_accepted');
    t.is((await s.agent().http.get('/chat').set('cookie', cookie)).status, 302, 'a page sends the member to the charter');
    t.is(await upgrade(s.server, '/chat/socket', cookie), 403, 'the socket is refused');
    await rt.charters.accept(id, rt.networks.root());
    t.is(await upgrade(s.server, '/chat/socket', cookie), 'open', 'once accepted, the socket opens');
  }),
);

eachDatabase('issue 16 case 11: outsiders, networks where chat is disabled, guests and suspended members are refused before any socket', (t, db) =>
  withServer(db, {}, async (s) => {
    const rt = s.app.ruche;
    const partner = await rt.networks.create({ slug: 'partner', name: 'Partner', isolated: true });
    const outsider = await s.member('pat', partner.id);
    // A member of the partner network only, at the root: the 403 a page gives them.
    t.is((await s.agent().http.get('/chat').set('cookie', outsider.cookie)).status, 403);
    t.is(await upgrade(s.server, '/chat/socket', outsider.cookie), 403, 'an outsider gets no socket');
    t.is(await upgrade(s.server, '/n/partner/chat/socket', outsider.cookie), 'open', 'in their own network they do');
    // Chat disabled in the partner network: 404 for its pages and its socket alike.
    await rt.pluginState.disable('chat', partner.id);
    t.is((await s.agent().http.get('/n/partner/chat').set('cookie', outsider.cookie)).status, 404);
    t.is(await upgrade(s.server, '/n/partner/chat/socket', outsider.cookie), 404);
    // Guests and suspended members: 401.
    const alice = await s.member('alice');
    t.is(await upgrade(s.server, '/chat/socket', null), 401);
    await rt.users.setStatus(alice.id, 'suspended');
    t.is(await upgrade(s.server, '/chat/socket', alice.cookie), 401);
    t.is(await upgrade(s.server, '/nope', alice.cookie), 404, 'a path without a socket');
  }),
);

eachDatabase('issue 22: every socket the manifests declare (chat, alerts) is walked: who is refused before any socket, and who gets one', (t, db) =>
  withServer(db, {}, async (s) => {
    const rt = s.app.ruche;
    const root = rt.networks.root().id;
    // Alerts are off by default: on, as an installation using them.
    await rt.pluginState.enable('alerts');
    const sockets = rt.sockets.all().sort((a, b) => a.path.localeCompare(b.path));
    // Read from the socket table: a socket a plugin adds is walked the same way.
    const owners = new Map(sockets.map((x) => [x.path, x.owner]));
    t.is(owners.get('/chat/socket'), 'chat');
    t.is(owners.get('/alerts/socket'), 'alerts');
    const partner = await rt.networks.create({ slug: 'partner', name: 'Partner', isolated: true });
    const outsider = await s.member('pat', partner.id);
    const alice = await s.member('alice');
    const sam = await s.member('sam');
    for (const { path, owner, capability, outsiders } of sockets) {
      t.is(await upgrade(s.server, path, alice.cookie), 'open', `${path}: a member`);
      t.is(await upgrade(s.server, path, null), 401, `${path}: a guest`);
      t.is(await upgrade(s.server, path, outsider.cookie), outsiders ? 'open' : 403, `${path}: a member of an isolated partner network`);
      if (capability) {
        // Taken from members: refused as the pages of the capability are.
        await rt.permissions.setGrant(root, capability, 'member', false);
        t.is(await upgrade(s.server, path, alice.cookie), 403, `${path}: without ${capability}`);
        await rt.permissions.setGrant(root, capability, 'member', true);
      }
      await rt.pluginState.disable(owner);
      t.is(await upgrade(s.server, path, alice.cookie), 404, `${path}: ${owner} disabled`);
      await rt.pluginState.enable(owner);
      t.is(await upgrade(s.server, path, alice.cookie), 'open', `${path}: ${owner} enabled again`);
    }
    await rt.users.setStatus(sam.id, 'suspended');
    for (const { path } of sockets) t.is(await upgrade(s.server, path, sam.cookie), 401, `${path}: a suspended member`);
  }),
);

eachApp('issue 16 case 11: pages and upgrades run the very same gate chain', makeApp, async (t, { app }) => {
  const gates = app.gates;
  t.true(gates.length >= 5);
  const start = app.middleware.indexOf(gates[0]);
  t.true(start > 0, 'the app runs the gates');
  t.deepEqual(app.middleware.slice(start, start + gates.length), gates, 'all of them, in order, one after the other');
});
