import test, { type ExecutionContext } from 'ava';
import { createApp, loadConfig, type RucheApp } from '../../core';
import { verifyPassword } from '../../core/auth/passwords';
import { Sessions } from '../../core/auth/sessions';
import { MemoryPubSub } from '../../core/realtime/pubsub';
import { makeAgent } from '../helpers/app';
import { databaseKinds } from '../helpers/databases';
import { assertOneLineError, run, tempDir } from './helpers';
import { addParis, installed, type Installed } from './setup';

const PASSWORD = 'correct horse battery';
const OTHER_PASSWORD = 'purple monkey dishwasher';

interface UserRow {
  id: number;
  username: string;
  email: string;
  status: string;
  rootAdmin: boolean;
  role: string | null;
}

async function users(i: Installed): Promise<UserRow[]> {
  const r = await i.ruche('user', 'list', '--json');
  if (r.code !== 0) throw new Error(`user list failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as UserRow[];
}

/** Adds a member through the CLI; returns their id. */
async function addUser(t: ExecutionContext, i: Installed, ...args: string[]): Promise<number> {
  const r = await i.ruche('user', 'add', ...args);
  t.is(r.code, 0, r.stderr);
  const m = /^Added \S+ \(id (\d+), /m.exec(r.stdout);
  if (!m) throw new Error(`unexpected output of user add: ${r.stdout}`);
  return Number(m[1]);
}

const addJane = (t: ExecutionContext, i: Installed): Promise<number> =>
  addUser(t, i, '--email', 'jane@example.com', '--username', 'jane', '--password', PASSWORD);

const passwordHash = async (i: Installed, id: number): Promise<string> =>
  (await i.db()('users').where({ id }).first('password_hash')).password_hash as string;
const sessionCount = async (i: Installed, id: number): Promise<number> => (await i.db()('sessions').where({ user_id: id })).length;

/** The install served in-process, as `ruche start` would serve it. */
async function webApp(t: ExecutionContext, i: Installed): Promise<RucheApp> {
  const app = await createApp(loadConfig({ cwd: i.cwd, env: { ...i.env, RUCHE_LOG__LEVEL: 'silent' } }), { cwd: i.cwd });
  t.teardown(() => app.close());
  return app;
}

/** Posts the sign-in form with a fresh agent; 303 means signed in. */
async function signIn(app: RucheApp, login: string, password: string) {
  const agent = makeAgent(app);
  const csrf = await agent.csrf('/login');
  const res = await agent.http.post('/login').type('form').send({ _csrf: csrf, login, password });
  return { status: res.status, text: res.text, agent };
}

/** Jane's right password is refused because of the suspension, and the page says so. */
async function assertSuspendedSignIn(t: ExecutionContext, app: RucheApp): Promise<void> {
  const r = await signIn(app, 'jane', PASSWORD);
  t.true(r.status >= 400 && r.status < 500, `refused, got ${r.status}`);
  t.regex(r.text, /This account is suspended\. Contact an administrator\./);
}

for (const kind of databaseKinds()) {
  test(`user add needs --password without a terminal; the new member is listed and can sign in [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const refused = await i.ruche('user', 'add', '--email', 'jane@example.com');
    assertOneLineError(t, refused, /^ruche: no terminal to ask for the password in: give it with --password$/);
    t.deepEqual(await users(i), []);

    const r = await i.ruche('user', 'add', '--email', 'Jane.Doe+news@Example.com', '--name', 'Jane Doe', '--password', PASSWORD);
    t.is(r.code, 0, r.stderr);
    t.regex(
      r.stdout,
      /^Added jane\.doe \(id \d+, jane\.doe\+news@example\.com\)\.\n {2}role: member in the root network$/m,
      'username made from the email',
    );
    const bossId = await addUser(t, i, '--email', 'boss@example.com', '--username', 'boss', '--password', OTHER_PASSWORD, '--root-admin');

    const list = await users(i);
    t.like(list[0], { username: 'jane.doe', email: 'jane.doe+news@example.com', status: 'active', rootAdmin: false, role: 'member' });
    t.deepEqual(list[1], { id: bossId, username: 'boss', email: 'boss@example.com', status: 'active', rootAdmin: true, role: 'admin' });
    const jane = await i.db()('users').where({ username: 'jane.doe' }).first('display_name', 'email_verified_at', 'password_hash');
    t.is(jane.display_name, 'Jane Doe');
    t.truthy(jane.email_verified_at, 'an administrator typed the email');
    t.true(await verifyPassword(PASSWORD, jane.password_hash));

    const app = await webApp(t, i);
    t.is((await signIn(app, 'jane.doe', PASSWORD)).status, 303);
    t.is((await signIn(app, 'boss@example.com', OTHER_PASSWORD)).status, 303);
  });

  test(`user add refuses taken and malformed fields with the core's English messages [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    await addJane(t, i);
    const bob = ['--email', 'bob@example.com', '--username', 'bob'];
    const cases: [string[], RegExp][] = [
      [
        ['--email', 'JANE@example.com', '--username', 'other', '--password', PASSWORD],
        /^ruche: --email: An account already uses this email address\.$/,
      ],
      [['--email', 'other@example.com', '--username', 'Jane', '--password', PASSWORD], /^ruche: --username: This username is already taken\.$/],
      [
        ['--email', 'jane@elsewhere.org', '--password', PASSWORD],
        /^ruche: username "jane" \(made from the email\): This username is already taken\. Choose one with --username\.$/,
      ],
      [
        ['--email', 'Jane@example.com', '--username', 'jane', '--password', PASSWORD],
        /--username: This username is already taken\. --email: An account already uses this email address\./,
      ],
      [[...bob, '--password', 'short'], /^ruche: --password: The password needs at least 10 characters\.$/],
      [[...bob, '--password', '12345678901'], /--password: This password is too easy to guess\./],
      [[...bob, '--password', 'bob is my name'], /--password: The password must not contain your username or email address\./],
      [['--email', 'not-an-email', '--username', 'bob', '--password', PASSWORD], /^ruche: --email: This does not look like an email address\.$/],
      [['--email', 'x@example.com', '--password', PASSWORD], /--username: none can be made from "x@example\.com"; choose one with --username/],
      [[...bob, '--password', PASSWORD, '--role', 'boss'], /argument 'boss' is invalid\. Allowed choices are admin, moderator, member/],
      [[...bob, '--password', PASSWORD, '--network', 'paris'], /there is no network "paris" \(known: root\)/],
      [['--username', 'bob', '--password', PASSWORD], /required option '--email <email>' not specified/],
    ];
    for (const [args, message] of cases) assertOneLineError(t, await i.ruche('user', 'add', ...args), message);
    t.deepEqual(
      (await users(i)).map((u) => u.username),
      ['jane'],
      'nothing was added',
    );
  });

  test(`user role changes the role seen by user list --json and ends the member's sessions [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const id = await addJane(t, i);
    const sessions = new Sessions(i.db(), { idleMinutes: 60, absoluteDays: 1 }, new MemoryPubSub());
    await sessions.create(id);
    await sessions.create(id);

    const r = await i.ruche('user', 'role', 'jane', 'moderator');
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^jane is now moderator in the root network; their sessions ended/m);
    t.is((await users(i))[0].role, 'moderator');
    t.is(await sessionCount(i, id), 0);

    t.is((await i.ruche('user', 'role', 'JANE@example.com', 'admin')).code, 0, 'by email, any case');
    t.like((await users(i))[0], { role: 'admin', rootAdmin: false });
    t.regex((await i.ruche('user', 'role', 'jane', 'admin')).stdout, /^jane is already admin in the root network\.$/m);
    assertOneLineError(
      t,
      await i.ruche('user', 'role', 'jane', 'king'),
      /value 'king' is invalid for argument 'role'\. Allowed choices are admin, moderator, member/,
    );
    assertOneLineError(t, await i.ruche('user', 'role', 'jane'), /missing required argument 'role'/);

    // A sub-network: the role there, the root role untouched.
    const root = await i.db()('networks').where({ slug: 'root' }).first('id');
    const parisId = await addParis(i);
    t.regex((await i.ruche('user', 'role', 'jane', 'moderator', '--network', 'paris')).stdout, /jane is now moderator in network "paris"/);
    t.is((await i.db()('memberships').where({ user_id: id, network_id: parisId }).first('role')).role, 'moderator');
    t.is((await users(i))[0].role, 'admin');

    const leoId = await addUser(t, i, '--email', 'leo@example.com', '--password', PASSWORD, '--role', 'moderator', '--network', 'paris');
    const roles = await i.db()('memberships').where({ user_id: leoId }).orderBy('network_id').select('network_id', 'role');
    t.deepEqual(
      roles.map((m: { network_id: number | string; role: string }) => [Number(m.network_id), m.role]),
      [
        [Number(root.id), 'member'],
        [parisId, 'moderator'],
      ],
    );
    const audit = (await i
      .db()('audit_log')
      .where({ action: 'core.user.role' })
      .orderBy('id')
      .select('network_id', 'object_id', 'before', 'after')) as Record<string, unknown>[];
    t.deepEqual(
      audit.map((r) => [Number(r.network_id), r.object_id, r.before, r.after]),
      [
        [Number(root.id), String(id), '{"role":"member"}', '{"role":"moderator"}'],
        [Number(root.id), String(id), '{"role":"moderator"}', '{"role":"admin"}'],
        [parisId, String(id), '{"role":null}', '{"role":"moderator"}'],
      ],
      'every role change is in the audit log',
    );
  });

  test(`user reset-password: given, refused, generated; the member signs in with the new one only, their API tokens revoked (issue 16 case 12) [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const id = await addJane(t, i);
    const app = await webApp(t, i);
    t.is((await signIn(app, 'jane', PASSWORD)).status, 303);
    t.is(await sessionCount(i, id), 1);
    // Issue 16 case 12: an API token taken with the old password stops working.
    const { token } = await app.ruche.apiTokens.create(id, 'script');
    const me = async () => (await makeAgent(app).http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status;
    t.is(await me(), 200);

    const given = await i.ruche('user', 'reset-password', 'jane@example.com', '--password', OTHER_PASSWORD);
    t.is(given.code, 0, given.stderr);
    t.regex(given.stdout, /^New password set for jane; their sessions ended and their API tokens were revoked\.$/m);
    t.is(await me(), 401, 'the API token is revoked (issue 16 case 12)');
    t.notRegex(given.stdout, /password:/, 'a given password is not printed');
    t.is(await sessionCount(i, id), 0);
    t.true(await verifyPassword(OTHER_PASSWORD, await passwordHash(i, id)));
    const old = await signIn(app, 'jane', PASSWORD);
    t.is(old.status, 422);
    t.regex(old.text, /The username or password is not right\./);
    t.is((await signIn(app, 'jane', OTHER_PASSWORD)).status, 303);

    const hash = await passwordHash(i, id);
    assertOneLineError(
      t,
      await i.ruche('user', 'reset-password', 'jane', '--password', 'short'),
      /^ruche: --password: The password needs at least 10 characters\.$/,
    );
    assertOneLineError(
      t,
      await i.ruche('user', 'reset-password', 'jane', '--password', 'jane rules the world'),
      /--password: The password must not contain your username or email address\./,
    );
    t.is(await passwordHash(i, id), hash, 'unchanged after a refusal');

    const generated = await i.ruche('user', 'reset-password', 'jane');
    t.is(generated.code, 0, generated.stderr);
    const m = /^ {2}password: (\S+)$/m.exec(generated.stdout);
    t.truthy(m, generated.stdout);
    t.regex(generated.stdout, /shown only this once/);
    t.regex(m![1], /^[A-Za-z0-9_-]{24}$/);
    t.true(await verifyPassword(m![1], await passwordHash(i, id)));
    t.is((await signIn(app, 'jane', OTHER_PASSWORD)).status, 422);
    t.is((await signIn(app, 'jane', m![1])).status, 303);
  });

  test(`user suspend blocks sign-in and ends sessions at once; --undo and unsuspend lift it [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const id = await addJane(t, i);
    const app = await webApp(t, i);
    const { agent } = await signIn(app, 'jane', PASSWORD);
    t.is((await agent.http.get('/account')).status, 200);

    const r = await i.ruche('user', 'suspend', 'jane');
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^Suspended jane: they cannot sign in, and their 1 open session ended\.$/m);
    t.is(await sessionCount(i, id), 0);
    const after = await agent.http.get('/account');
    t.is(after.status, 302, 'the open session no longer works');
    t.regex(after.headers.location ?? '', /\/login\?next=/);
    await assertSuspendedSignIn(t, app);
    t.is((await users(i))[0].status, 'suspended');
    t.regex((await i.ruche('user', 'suspend', 'jane')).stdout, /^jane is already suspended\.$/m);

    const undo = await i.ruche('user', 'suspend', '--undo', 'jane');
    t.is(undo.code, 0, undo.stderr);
    t.regex(undo.stdout, /^jane is active again and can sign in\.$/m);
    t.is((await signIn(app, 'jane', PASSWORD)).status, 303);

    t.is((await i.ruche('user', 'suspend', 'jane@example.com')).code, 0);
    await assertSuspendedSignIn(t, app);
    t.is((await i.ruche('user', 'unsuspend', 'jane')).code, 0);
    t.is((await users(i))[0].status, 'active');
    t.regex((await i.ruche('user', 'unsuspend', 'jane')).stdout, /^jane is not suspended \(status: active\)\.$/m);
    const audit = (await i.db()('audit_log').orderBy('id').select('action', 'actor_id', 'object_id', 'after')) as Record<string, unknown>[];
    t.deepEqual(
      audit.map((r) => [r.action, r.actor_id, r.object_id, r.after]),
      [
        ['core.user.suspend', null, String(id), '{"status":"suspended","reason":"suspended from the command line","until":null}'],
        ['core.user.unsuspend', null, String(id), '{"status":"active"}'],
        ['core.user.suspend', null, String(id), '{"status":"suspended","reason":"suspended from the command line","until":null}'],
        ['core.user.unsuspend', null, String(id), '{"status":"active"}'],
      ],
      'each suspension and its lifting are in the audit log (from the command line: no actor)',
    );

    // A reason and an end: both kept; a bad date or a past end is refused in one line, and nothing changes.
    assertOneLineError(
      t,
      await i.ruche('user', 'suspend', 'jane', '--until', '2026-02-30'),
      /--until: "2026-02-30" is not a date; give it as YYYY-MM-DD/,
    );
    assertOneLineError(
      t,
      await i.ruche('user', 'suspend', 'jane', '--until', '2001-01-01'),
      /--until: The end of a suspension must be in the future\./,
    );
    assertOneLineError(t, await i.ruche('user', 'suspend', 'jane', '--reason', ' '), /--reason: Say why the member is suspended\./);
    t.is((await users(i))[0].status, 'active');
    const timed = await i.ruche('user', 'suspend', 'jane', '--reason', 'Spam in three groups', '--until', '2999-01-02');
    t.regex(timed.stdout, /^Suspended jane until 2999-01-02: /m);
    const row = await i.db()('users').where({ id }).first('suspension_reason', 'suspended_until');
    t.deepEqual([row.suspension_reason, Number(row.suspended_until)], ['Spam in three groups', Date.UTC(2999, 0, 2)]);
    t.is((await i.ruche('user', 'unsuspend', 'jane')).code, 0);
    t.is((await i.db()('users').where({ id }).first('suspension_reason')).suspension_reason, null, 'lifting forgets the reason');

    await addUser(t, i, '--email', 'boss@example.com', '--password', OTHER_PASSWORD, '--root-admin');
    assertOneLineError(
      t,
      await i.ruche('user', 'suspend', 'boss'),
      /boss is the only active administrator of the whole installation; make another one first/,
    );
    t.is((await users(i))[1].status, 'active');
  });

  test(`user commands name an unknown member in one line [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    for (const args of [
      ['role', 'ghost', 'admin'],
      ['reset-password', 'ghost', '--password', PASSWORD],
      ['suspend', 'ghost'],
      ['suspend', '--undo', 'ghost'],
      ['unsuspend', 'ghost'],
    ]) {
      assertOneLineError(t, await i.ruche('user', ...args), /^ruche: there is no member with the username "ghost"$/);
    }
    assertOneLineError(
      t,
      await i.ruche('user', 'suspend', 'ghost@example.com'),
      /^ruche: there is no member with the email address "ghost@example\.com"$/,
    );
  });
}

test('user list prints a table, or says there is nobody', async (t) => {
  const i = await installed(t, 'sqlite');
  t.regex((await i.ruche('user', 'list')).stdout, /^No members yet\.$/m);
  await addJane(t, i);
  await addUser(t, i, '--email', 'boss@example.com', '--password', OTHER_PASSWORD, '--root-admin');
  const r = await i.ruche('user', 'list');
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^ID +USERNAME +EMAIL +STATUS +ROOT ADMIN +ROLE$/m);
  t.regex(r.stdout, /^1 +jane +jane@example\.com +active +no +member$/m);
  t.regex(r.stdout, /^2 +boss +boss@example\.com +active +yes +admin$/m);
});

test('user commands before install say so in one line', async (t) => {
  const r = await run(['user', 'list'], tempDir(t), { RUCHE_SECRET: 'x'.repeat(40) });
  assertOneLineError(t, r, /E_NOT_INSTALLED: .*run `ruche install`/);
});
