// A member's data rights (core/members/): "Download my data" builds a ZIP of everything of every
// kind (read back and checked entry by entry), served to that member alone for 48 hours;
// "Delete my account" waits 14 days (signing in cancels), then erases — every table walked
// generically, nothing of the member left, the files' bytes gone, their messages still readable
// by the others as from a former member — or keeps the content under "a former member".
import type { Knex } from 'knex';
import { eachTestApp } from '../helpers/each-app';
import type { TestApp } from '../helpers/app';
import { createMember, pageAgent, signedIn, MEMBER_PASSWORD, type PageAgent } from '../helpers/members';
import { lastMailTo, pathOf } from '../helpers/mail';
import { unzip } from '../helpers/zip';
import { postWithAttachments, png } from '../plugins/files/support';
import { DELETION_GRACE_MS } from '../../core/members/deletion';
import { EXPORT_VALID_MS, purgeExpiredExports } from '../../core/members/export';

const NAME = 'Zéphyrine Quaglio';
const MARK = 'QUAGLIOMARK';

interface World {
  zid: number;
  bid: number;
  z: PageAgent;
  b: PageAgent;
  statusId: number;
  brunoStatus: number;
  topicId: number;
  conversationId: number;
  fileKeys: string[];
}

const lastEntity = async (db: Knex, type: string): Promise<number> => Number((await db('entities').where({ type }).orderBy('id', 'desc').first()).id);

/** Zéphyrine with content of every kind, and Bruno who answers her. */
async function world(app: TestApp): Promise<World> {
  const rt = app.app.ruche;
  const zid = await createMember(rt, 'zephyrine', { displayName: NAME });
  const bid = await createMember(rt, 'bruno', { displayName: 'Bruno' });
  const z = pageAgent(await signedIn(app, 'zephyrine'), '/feed');
  const b = pageAgent(await signedIn(app, 'bruno'), '/feed');
  const photo = await png(320, 200);
  const posted = await postWithAttachments(z, '/status', { body: `My status ${MARK}`, access: 'members', next: '/feed' }, [
    { data: photo, name: 'holiday.png', type: 'image/png' },
  ]);
  if (posted.status !== 303) throw new Error(`status: ${posted.status}`);
  const statusId = await lastEntity(rt.db, 'status');
  if ((await b.post('/status', { body: 'Bruno speaking', access: 'members', next: '/feed' })).status !== 303) throw new Error('bruno status');
  const brunoStatus = await lastEntity(rt.db, 'status');
  const must = async (res: Promise<{ status: number }>, what: string) => {
    const r = await res;
    if (r.status >= 400) throw new Error(`${what}: ${r.status}`);
  };
  await must(b.post(`/entities/${statusId}/comments`, { body: 'Nice one' }), 'bruno comments');
  await must(z.post(`/entities/${brunoStatus}/comments`, { body: `Thanks ${MARK}` }), 'zephyrine comments');
  const herComment = Number((await rt.db('comments').where({ author_id: zid }).first('id')).id);
  await must(b.post(`/entities/${brunoStatus}/comments`, { body: 'Bruno replies to her', parent: String(herComment) }), 'bruno replies');
  await must(z.post(`/entities/${brunoStatus}/react`, { reaction: 'like' }), 'zephyrine reacts');
  await must(z.post('/people/bruno/follow'), 'zephyrine follows');
  await must(z.post('/blogs', { title: `Blog ${MARK}`, body: `A long read ${MARK}`, access: 'members', status: 'published' }), 'blog');
  await must(b.post('/discussions', { title: 'Bruno asks', body: 'What do you think?', access: 'members' }), 'topic');
  const topicId = await lastEntity(rt.db, 'topic');
  await must(z.post(`/discussions/${topicId}/replies`, { body: `I think ${MARK}` }), 'zephyrine replies');
  await must(b.post(`/discussions/${topicId}/replies`, { body: 'Bruno agrees' }), 'bruno replies in the topic');
  await must(z.post('/messages', { to: 'bruno', subject: '', body: 'A private word for Bruno' }), 'message');
  const conversationId = Number((await rt.db('conversations').orderBy('id', 'desc').first()).id);
  await must(b.post(`/messages/${conversationId}/reply`, { body: 'Bruno answers' }), 'reply');
  await rt.jobs.runDue();
  const fileKeys = (
    await rt
      .db('files_items as f')
      .join('entities as e', 'e.id', 'f.entity_id')
      .where('e.owner_id', zid)
      .select('f.key', 'f.thumb_key', 'f.display_key')
  )
    .flatMap((r) => [r.key, r.thumb_key, r.display_key])
    .filter(Boolean);
  return { zid, bid, z, b, statusId, brunoStatus, topicId, conversationId, fileKeys };
}

const binary = (res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Every table's name, on either database. */
async function tables(db: Knex): Promise<string[]> {
  if (db.client.config.client === 'pg')
    return (
      await db.raw(`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`)
    ).rows.map((r: { name: string }) => r.name);
  return (await db.raw(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)).map((r: { name: string }) => r.name);
}

/** Every column referencing `users`, as [table, column], on either database. */
async function userColumns(db: Knex): Promise<[string, string][]> {
  if (db.client.config.client === 'pg')
    return (
      await db.raw(`select kcu.table_name as t, kcu.column_name as c
        from information_schema.table_constraints tc
        join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
        join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
        where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'users' and tc.table_schema = current_schema()`)
    ).rows.map((r: { t: string; c: string }) => [r.t, r.c]);
  const out: [string, string][] = [];
  for (const table of await tables(db))
    for (const fk of (await db.raw(`pragma foreign_key_list('${table}')`)) as { table: string; from: string }[])
      if (fk.table === 'users') out.push([table, fk.from]);
  return out;
}

/** Where anything of the member is left: a row referencing them, or a row holding their name, address or words. */
async function traces(db: Knex, userId: number, words: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [table, column] of await userColumns(db)) {
    const n = Number((await db(table).where(column, userId).count<{ n: number }[]>('* as n').first())?.n ?? 0);
    if (n) found.push(`${table}.${column}: ${n} row(s)`);
  }
  for (const table of await tables(db)) {
    for (const row of await db(table).select()) {
      const text = JSON.stringify(row).toLowerCase();
      const word = words.find((w) => text.includes(w.toLowerCase()));
      if (word) found.push(`${table}: a row holds "${word}"`);
    }
  }
  return found;
}

const signInAs = async (app: TestApp, username: string) => {
  const agent = app.agent();
  const token = await agent.csrf('/login');
  return agent.http.post('/login').type('form').send({ _csrf: token, login: username, password: MEMBER_PASSWORD });
};

eachTestApp('download my data: a ZIP of every kind of content, mailed, for that member alone, for 48 hours', async (t, app) => {
  const rt = app.app.ruche;
  const w = await world(app);
  t.regex((await w.z.get('/account')).text, /href="\/account\/data"/, 'the account page links to it');
  const asked = await w.z.post('/account/data');
  t.is(asked.status, 303);
  t.is((await w.z.post('/account/data')).status, 303, 'a double click');
  t.is(
    await rt
      .db('member_exports')
      .where({ user_id: w.zid })
      .count<{ n: number }[]>('* as n')
      .then((r) => Number(r[0].n)),
    1,
    'one archive for both',
  );
  t.regex((await w.z.get('/account/data')).text, /being prepared/);
  await rt.jobs.runDue();
  const mail = await lastMailTo(app.config.dataDir, 'zephyrine@example.com', undefined);
  t.regex(mail.subject, /Your data from .* is ready/);
  const href = pathOf(mail.link);
  t.regex(href, /^\/account\/data\/\d+$/);

  const res = await w.z.agent.http.get(href).buffer(true).parse(binary);
  t.is(res.status, 200);
  t.regex(String(res.headers['content-disposition']), /attachment; filename="zephyrine-data.zip"/);
  const zip = await unzip(res.body as Buffer);
  const json = (name: string) => JSON.parse(zip.get(name)?.toString() ?? 'null') as Record<string, unknown>[];
  t.is(json('core/account.json')[0].display_name, NAME);
  t.false('password_hash' in json('core/account.json')[0], 'no password hash');
  t.true(
    json('activity/statuses.json').some((r) => String(r.body).includes(MARK)),
    'status posts',
  );
  t.true(
    json('blogs/posts.json').some((r) => String(r.title).includes(MARK)),
    'blog posts',
  );
  t.true(
    json('comments/comments.json').some((r) => String(r.body).includes(MARK)),
    'comments they wrote',
  );
  t.is(json('likes/reactions.json').length, 1, 'reactions');
  t.is(json('connections/follows.json').length, 1, 'follows');
  const messages = json('messages/messages.json').map((r) => r.body);
  t.deepEqual(messages, ['A private word for Bruno', 'Bruno answers'], 'messages sent and received');
  t.true(json('notifications/received.json').length >= 1, 'notifications received (Bruno commented, answered)');
  t.true(json('core/content.json').length >= 3, 'their entities');
  const files = json('files/files.json');
  t.is(files.length, 1);
  const stored = [...zip.keys()].filter((k) => k.startsWith('files/files/'));
  t.is(stored.length, 1, 'the file itself');
  t.regex(stored[0], /holiday\.png$/);
  t.true((zip.get(stored[0])?.length ?? 0) > 100, 'with its bytes');
  t.truthy(zip.get('index.json'));

  t.is((await w.b.get(href)).status, 404, 'another member: as if it did not exist');
  const guest = await app.agent().http.get(href);
  t.is(guest.status, 302, 'a guest is sent to sign in');
  const key = String((await rt.db('member_exports').where({ user_id: w.zid }).first()).storage_key);
  const readyAt = Number((await rt.db('member_exports').where({ user_id: w.zid }).first()).ready_at);
  await rt
    .db('member_exports')
    .where({ user_id: w.zid })
    .update({ expires_at: Date.now() - 1 });
  const expired = await w.z.get(href);
  t.is(expired.status, 410, 'past 48 hours');
  t.regex(expired.text, /expired/);
  t.is(await purgeExpiredExports(rt, readyAt + EXPORT_VALID_MS + 1), 1);
  t.is(await rt.storage.head(key), undefined, 'the archive’s bytes are gone');
  t.is((await w.z.get(href)).status, 404);
});

eachTestApp(
  'delete my account, erase: after 14 days nothing of the member is left in any table, their files’ bytes go, their messages stay',
  async (t, app) => {
    const rt = app.app.ruche;
    const w = await world(app);
    for (const key of w.fileKeys) t.truthy(await rt.storage.head(key), 'stored before');

    const wrong = await w.z.post('/account/delete', { mode: 'erase', password: 'not it' });
    t.is(wrong.status, 422);
    t.regex(wrong.text, /not your current password/);
    t.regex(wrong.text, /id="mode-erase" name="mode" value="erase" checked/, 'the choice is kept');
    t.is((await w.z.post('/account/delete', { mode: 'burn', password: MEMBER_PASSWORD })).status, 422);

    const done = await w.z.post('/account/delete', { mode: 'erase', password: MEMBER_PASSWORD });
    t.is(done.status, 303);
    t.is((await w.z.get('/account')).status, 302, 'signed out');
    const due = Number((await rt.db('account_deletions').where({ user_id: w.zid }).first()).due_at);
    t.true(Math.abs(due - Date.now() - DELETION_GRACE_MS) < 60_000, '14 days from now');
    await rt.jobs.runDue({ now: due - 1000 });
    t.truthy(await rt.db('users').where({ id: w.zid }).first(), 'not before its time');

    await rt.jobs.runDue({ now: due + 1 });
    await rt.jobs.runDue({ now: due + 2 }); // what the deletion queued (the search index)
    t.deepEqual(await traces(rt.db, w.zid, [NAME, 'zephyrine', MARK, 'holiday.png']), []);
    for (const key of w.fileKeys) t.is(await rt.storage.head(key), undefined, `${key} removed`);

    t.truthy(
      await rt.db('comments').where({ body: 'Bruno replies to her' }).whereNull('deleted_at').first(),
      'the reply Bruno wrote under her comment stays',
    );
    t.is(Number((await rt.db('comment_counts').where({ entity_id: w.brunoStatus }).first()).n), 1, 'her comment is counted no more');
    t.is(Number((await rt.db('discussion_topics').where({ entity_id: w.topicId }).first()).reply_count), 1, 'her reply is counted no more');
    const topic = await w.b.get(`/discussions/${w.topicId}`);
    t.is(topic.status, 200);
    t.regex(topic.text, /Bruno agrees/);
    const page = await w.b.get(`/messages/${w.conversationId}`);
    t.is(page.status, 200);
    t.regex(page.text, /A private word for Bruno/, 'their message stays readable by Bruno');
    t.regex(page.text, /A former member/);
    t.regex(page.text, /Bruno answers/);
    t.is((await signInAs(app, 'zephyrine')).status, 422, 'the account is gone');
    const audit = await rt
      .db('audit_log')
      .where({ action: 'core.account.deleted', object_id: String(w.zid) })
      .first();
    t.truthy(audit, 'the deletion is in the audit log, by id only');
  },
);

eachTestApp('delete my account, anonymise: the content stays under "a former member", everything personal goes', async (t, app) => {
  const rt = app.app.ruche;
  const w = await world(app);
  t.is((await w.z.post('/account/delete', { mode: 'anonymise', password: MEMBER_PASSWORD })).status, 303);
  const due = Number((await rt.db('account_deletions').where({ user_id: w.zid }).first()).due_at);
  await rt.jobs.runDue({ now: due + 1 });

  const user = await rt.db('users').where({ id: w.zid }).first();
  t.is(user.status, 'former');
  t.is(user.password_hash, null);
  t.false(JSON.stringify(user).includes('zephyrine') || JSON.stringify(user).includes(NAME), 'no name or address left');
  for (const [table, column] of [
    ['memberships', 'user_id'],
    ['sessions', 'user_id'],
    ['follows', 'follower_id'],
    ['notifications', 'user_id'],
    ['profiles', 'user_id'],
  ])
    t.is(Number((await rt.db(table).where(column, w.zid).count<{ n: number }[]>('* as n').first())?.n), 0, `${table} emptied`);

  const status = await w.b.get(`/status/${w.statusId}`);
  t.is(status.status, 200, 'their status stays');
  t.regex(status.text, new RegExp(`My status ${MARK}`));
  t.regex(status.text, /A former member/);
  t.notRegex(status.text, new RegExp(NAME));
  const conversation = await w.b.get(`/messages/${w.conversationId}`);
  t.regex(conversation.text, /A private word for Bruno/);
  t.regex(conversation.text, /A former member/);
  for (const key of w.fileKeys) t.truthy(await rt.storage.head(key), 'their files stay');
  t.is((await signInAs(app, 'zephyrine')).status, 422, 'no one signs in as a former member');
});

eachTestApp('signing in during the 14 days cancels the deletion', async (t, app) => {
  const rt = app.app.ruche;
  const zid = await createMember(rt, 'zephyrine', { displayName: NAME });
  const z = pageAgent(await signedIn(app, 'zephyrine'), '/account');
  t.regex((await z.get('/account/delete')).text, /Delete my account/);
  t.is((await z.post('/account/delete', { mode: 'erase', password: MEMBER_PASSWORD })).status, 303);
  const due = Number((await rt.db('account_deletions').where({ user_id: zid }).first()).due_at);
  const back = await signInAs(app, 'zephyrine');
  t.is(back.status, 303);
  t.is(await rt.db('account_deletions').where({ user_id: zid }).first(), undefined, 'cancelled');
  await rt.jobs.runDue({ now: due + 1 });
  t.truthy(await rt.db('users').where({ id: zid, status: 'active' }).first(), 'still there after the 14 days');
});

eachTestApp('an admin deletes a member’s account: refusals keep what was typed, the request is in the audit log', async (t, app) => {
  const rt = app.app.ruche;
  const zid = await createMember(rt, 'zephyrine', { displayName: NAME });
  const admin = pageAgent(await signedIn(app, 'admin'), '/admin/delete-member');
  const memberPage = await admin.get(`/admin/members/${zid}`);
  t.regex(memberPage.text, /href="\/admin\/delete-member\?username=zephyrine"/, 'the members console links to it');
  const page = await admin.get('/admin/delete-member?username=zephyrine');
  t.is(page.status, 200);
  t.regex(page.text, /Delete a member’s account/);
  t.regex(page.text, /id="field-username" name="username" type="text" value="zephyrine"/, 'filled from the console');
  const unknown = await admin.post('/admin/delete-member', { username: 'nobody', mode: 'erase', confirm: 'yes' });
  t.is(unknown.status, 422);
  t.regex(unknown.text, /No member of this network is called “nobody”/);
  const unconfirmed = await admin.post('/admin/delete-member', { username: '@zephyrine', mode: 'erase' });
  t.is(unconfirmed.status, 422);
  t.regex(unconfirmed.text, /value="@zephyrine"/, 'the username typed is kept');
  t.regex(unconfirmed.text, /Tick the box/);
  t.is((await admin.post('/admin/delete-member', { username: 'admin', mode: 'erase', confirm: 'yes' })).status, 422, 'not themselves');
  const ok = await admin.post('/admin/delete-member', { username: 'zephyrine', mode: 'anonymise', confirm: 'yes' });
  t.is(ok.status, 303);
  const first = await rt.db('account_deletions').where({ user_id: zid }).first();
  t.is(first.mode, 'anonymise');
  t.is((await admin.post('/admin/delete-member', { username: 'zephyrine', mode: 'anonymise', confirm: 'yes' })).status, 303, 'a double submit');
  t.is(Number((await rt.db('account_deletions').where({ user_id: zid }).first()).due_at), Number(first.due_at), 'answers as the first');
  const entries = await rt.db('audit_log').where({ action: 'core.account.deletionRequested', object_id: String(zid) });
  t.is(entries.length, 1);
  t.false(JSON.stringify(entries).includes(NAME), 'the entry names the member by id only');
  const member = pageAgent(await signedIn(app, 'zephyrine'), '/account');
  t.is((await member.get('/account')).status, 200, 'signing in cancels an admin’s request too');
  t.is(await rt.db('account_deletions').where({ user_id: zid }).first(), undefined);
  // A member cannot reach the admin page.
  t.is((await member.get('/admin/delete-member')).status, 403);
});
