/**
 * Issue 22: a member's open sockets (chat, alerts) close when they are banned from the network,
 * their account is suspended or made non-active, or their sessions all end (sign out everywhere,
 * the members console's "end all sessions") — in every process, through the core pubsub. Real WebSocket
 * clients (`ws`) against a real server on 127.0.0.1. On PostgreSQL the ban and the suspension
 * are made by a second app on the same database (another process's runtime: its own pubsub
 * connection, as `ruche start --workers 2` runs); on SQLite a lone process has the memory pubsub,
 * so by the same app.
 */
import WebSocket from 'ws';
import { createApp, listen, type RucheApp, type RunningServer } from '../../core';
import type { ExecutionContext } from 'ava';
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

const PASSWORD = 'violet staple engine 7';
const OPEN_TIMEOUT = 30_000;

/** An open socket on `path` and a promise of its close code (rejected if it stays open for `OPEN_TIMEOUT`). */
function openSocket(server: RunningServer, path: string, cookie: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.url.replace(/^http/, 'ws') + path, { headers: { origin: server.url, cookie } });
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.once('open', () => resolve({ ws, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The close code, or 'open' if the socket is still open after `ms`. */
const closeWithin = (socket: { closed: Promise<number> }, ms: number): Promise<number | 'open'> =>
  Promise.race([socket.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), ms).unref())]);

/** The status an upgrade is refused with, or 'open'. */
function upgradeStatus(server: RunningServer, path: string, cookie: string): Promise<number | 'open'> {
  return openSocket(server, path, cookie).then(
    ({ ws }) => {
      ws.close();
      return 'open' as const;
    },
    (e: Error) => Number(/upgrade refused: (\d+)/.exec(e.message)?.[1] ?? 0),
  );
}

/** A new member of the root network and the session cookie of one of their sessions. */
async function signedInMember(rt: RucheApp['ruche'], username: string): Promise<{ id: number; cookie: string }> {
  const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  if (!('id' in r)) throw new Error(JSON.stringify(r.errors));
  return { id: r.id, cookie: `${rt.config.session.cookieName}=${await rt.sessions.create(r.id)}` };
}

type Member = { id: number; cookie: string };
type Socket = { ws: WebSocket; closed: Promise<number> };

/** What a sockets test works with: the listening app's runtime, another process's, the server, members and their sockets. */
interface SocketWorld {
  rt: RucheApp['ruche'];
  /** Another process's runtime on PostgreSQL (its own LISTEN connection); the same one on SQLite. */
  other: RucheApp;
  server: RunningServer;
  /** A new member of the root network, signed in. */
  member(username: string): Promise<Member>;
  /** An open socket of `who` on `path` (the chat's by default), terminated when the test ends. */
  open(who: Member, path?: string): Promise<Socket>;
}

/** A test on each database of an app listening on 127.0.0.1 with `plugins` enabled; its sockets and servers go at the end. */
function socketsTest(title: string, plugins: readonly string[], fn: (t: ExecutionContext, w: SocketWorld) => Promise<void>): void {
  eachDatabase(title, async (t, db) => {
    const app = await makeApp(db);
    const server = await listen(app.app, 0, '127.0.0.1');
    for (const id of plugins) await app.app.ruche.pluginState.enable(id);
    const other: RucheApp = db.kind === 'postgres' ? await createApp(app.config, { cwd: db.dataDir }) : app.app;
    const sockets: WebSocket[] = [];
    try {
      const rt = app.app.ruche;
      const open = async (who: Member, path = '/chat/socket'): Promise<Socket> => {
        const s = await openSocket(server, path, who.cookie);
        sockets.push(s.ws);
        return s;
      };
      await fn(t, { rt, other, server, member: (username) => signedInMember(rt, username), open });
    } finally {
      for (const ws of sockets) ws.terminate();
      await server.stop();
      if (other !== app.app) await other.close();
    }
  });
}

socketsTest(
  'a banned or suspended member’s open sockets close at once, in every process; the others’ stay open',
  ['alerts'],
  async (t, { rt, other, server, member, open }) => {
    const root = rt.networks.root().id;
    const admin = (await rt.db('users').where({ username: 'admin' }).first('id')) as { id: number };
    const [bob, carol, dave] = [await member('bob'), await member('carol'), await member('dave')];
    const bobChat = await open(bob);
    const bobAlerts = await open(bob, '/alerts/socket');
    const carolChat = await open(carol);
    const daveChat = await open(dave);

    const banned = await other.ruche.bans.ban(root, bob.id, 'Spam', admin.id);
    t.deepEqual(banned, { role: 'member' });
    t.is(await closeWithin(bobChat, OPEN_TIMEOUT), 4403, 'the chat socket of the banned member closes');
    t.is(await closeWithin(bobAlerts, OPEN_TIMEOUT), 4403, 'and the alerts one');
    t.not(await upgradeStatus(server, '/chat/socket', bob.cookie), 'open', 'a new one is refused');

    // A ban inside the caller's transaction closes them once it is committed.
    await other.ruche.db.transaction((trx) => other.ruche.bans.ban(root, dave.id, 'Spam', admin.id, trx));
    t.is(await closeWithin(daveChat, OPEN_TIMEOUT), 4403, 'banned in a transaction: closed once committed');

    t.is(await closeWithin(carolChat, 300), 'open', 'the others stay open');
    const suspended = await other.ruche.suspensions.suspend(carol.id, { reason: 'Harassment', until: null }, admin.id);
    t.false('refused' in suspended);
    t.is(await closeWithin(carolChat, OPEN_TIMEOUT), 4403, 'the suspended member’s socket closes');
    t.is(await upgradeStatus(server, '/chat/socket', carol.cookie), 401, 'signed out: a new one is refused');
  },
);

socketsTest(
  'a member made non-active or signed out everywhere has their open sockets closed, in every process',
  [],
  async (t, { other, server, member, open }) => {
    const [erin, fred, gina, hugo] = [await member('erin'), await member('fred'), await member('gina'), await member('hugo')];
    const [erinChat, fredChat, ginaChat, hugoChat] = [await open(erin), await open(fred), await open(gina), await open(hugo)];

    await other.ruche.users.setStatus(erin.id, 'former');
    t.is(await closeWithin(erinChat, OPEN_TIMEOUT), 4403, 'made non-active: the socket closes');
    t.is(await upgradeStatus(server, '/chat/socket', erin.cookie), 401, 'signed out: a new one is refused');

    await other.ruche.users.signOutEverywhere(fred.id);
    t.is(await closeWithin(fredChat, OPEN_TIMEOUT), 4403, 'signed out everywhere: the socket closes');
    t.is(await upgradeStatus(server, '/chat/socket', fred.cookie), 401);

    await other.ruche.sessions.destroyAllFor(gina.id);
    t.is(await closeWithin(ginaChat, OPEN_TIMEOUT), 4403, 'every session ended (members console): the socket closes');

    await other.ruche.users.setStatus(hugo.id, 'active');
    t.is(await closeWithin(hugoChat, 300), 'open', 'made active again: nothing closes');
  },
);

socketsTest(
  'a member whose role changes or who leaves a network has their open sockets closed; an unchanged role keeps them',
  [],
  async (t, { rt, other, server, member, open }) => {
    const root = rt.networks.root().id;
    const [ines, jack] = [await member('ines'), await member('jack')];
    const [inesChat, jackChat] = [await open(ines), await open(jack)];

    t.true(await other.ruche.users.setRole(ines.id, root, 'member'));
    t.is(await closeWithin(inesChat, 300), 'open', 'the same role again: nothing closes');
    t.is(
      await rt
        .db('sessions')
        .where({ user_id: ines.id })
        .count<{ n: number | string }[]>('id as n')
        .first()
        .then((r) => Number(r?.n)),
      1,
      'and the session stays',
    );

    t.true(await other.ruche.users.setRole(ines.id, root, 'moderator'));
    t.is(await closeWithin(inesChat, OPEN_TIMEOUT), 4403, 'a new role: the socket opened with the old one closes');
    t.is(await upgradeStatus(server, '/chat/socket', ines.cookie), 401, 'signed out: a new one is refused');
    t.is((await rt.db('memberships').where({ user_id: ines.id, network_id: root }).first('role'))?.role, 'moderator');

    await other.ruche.users.removeMembership(jack.id, root);
    t.is(await closeWithin(jackChat, OPEN_TIMEOUT), 4403, 'taken out of the network: the socket closes');
    t.falsy(await rt.db('memberships').where({ user_id: jack.id, network_id: root }).first('role'));
  },
);
