// The review queue and its decisions: grouped by target with counts and reasons, the content in
// context, reporters hidden from the member reported; dismiss, hide (the author still sees it,
// marked; nobody else, anywhere), delete, warn; the reporters told when asked; every decision in
// the audit log, a second submit answered as the first.
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { auditOf, eachModApp, openReportsOn } from './support';

eachModApp('moderators see reports grouped by target; members are refused; the reported member does not see who reported', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  await app.member('carol', 'Carol');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const post = await app.post('alice', 'Buy cheap watches at example.com');
  const other = await app.post('mona', 'A post by the moderator');
  await app.report('bob', post, 'spam', 'Selling watches');
  await app.report('carol', post, 'offCharter');
  await app.report('bob', other, 'harassment');

  t.is((await (await app.as('bob')).agent.http.get('/moderation')).status, 403, 'a member has no queue');
  const m = await app.as('mona');
  const queue = await m.agent.http.get('/moderation');
  t.is(queue.status, 200);
  t.regex(queue.text, /2 reports/);
  t.regex(queue.text, /Spam × 1/);
  t.regex(queue.text, /Against the usage charter × 1/);
  t.regex(queue.text, /Buy cheap watches at example\.com/, 'the content in context');
  t.regex(queue.text, /“Selling watches” <span class="muted">— Bob<\/span>/);
  t.regex(queue.text, /Reported by Bob, Carol/);
  t.regex(queue.text, /You are the member reported: the reporters are not shown to you\./, 'on the report about Mona herself');
  const own = queue.text.slice(queue.text.indexOf(`data-target="entity-${other}"`));
  t.notRegex(own.slice(0, own.indexOf('</li>')), /Bob/);
  t.truthy(alice);
});

eachModApp('hide: the author still sees it, marked; nobody else does, in feeds or on its page; audited; reporters told', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const bob = await app.member('bob', 'Bob');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const post = await app.post('alice', 'Buy cheap watches at example.com');
  await app.report('bob', post, 'spam');
  const b = await app.as('bob');
  t.regex((await b.agent.http.get('/activity')).text, /Buy cheap watches/);

  const [first, second] = await Promise.all([
    app.decide('mona', `entity-${post}`, 'hide', { tell: '1' }),
    app.decide('mona', `entity-${post}`, 'hide', { tell: '1' }),
  ]);
  t.deepEqual([first.status, second.status], [303, 303], 'a double submit answers as the first');
  t.is(Number((await app.db('entities').where({ id: post }).first('withheld')).withheld), 1, 'withheld, the author’s `published` untouched');
  t.is((await b.agent.http.get(`/status/${post}`)).status, 404);
  t.notRegex((await b.agent.http.get('/activity')).text, /Buy cheap watches/, 'gone from the feed');
  const a = await app.as('alice');
  const mine = await a.agent.http.get(`/status/${post}`);
  t.is(mine.status, 200);
  t.regex(mine.text, /Hidden by a moderator\./);
  t.deepEqual(await openReportsOn(app.db, 'entity', post), []);

  const audit = await auditOf(app.db, post);
  t.deepEqual(
    audit.map((r) => [r.action, Number(r.actor_id)]),
    [['moderation.hide', mod]],
    'one audit entry',
  );
  t.deepEqual(JSON.parse(audit[0].before), { reports: 1, deleted: false, hidden: false });
  t.deepEqual(JSON.parse(audit[0].after), { reports: 0, deleted: false, hidden: true });
  const told = await app.db('notifications').where({ user_id: bob, kind: 'moderation.outcome' }).select('id');
  t.is(told.length, 1, 'the reporter is told once');
  const notes = await b.agent.http.get('/notifications');
  t.regex(notes.text, /The moderators reviewed your report: Hidden/);
  t.truthy(alice);
});

eachModApp('delete, dismiss and warn; a warning needs its message, kept when refused; reporting again reopens', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const spam = await app.post('alice', 'Spam spam spam');
  const fine = await app.post('alice', 'A fine post');
  const rude = await app.post('alice', 'A rude post');
  for (const id of [spam, fine, rude]) await app.report('bob', id, 'spam');

  t.is((await app.decide('mona', `entity-${spam}`, 'delete')).status, 303);
  t.truthy((await app.db('entities').where({ id: spam }).first('deleted_at')).deleted_at);
  t.is((await (await app.as('alice')).agent.http.get(`/status/${spam}`)).status, 404, 'deleted for its author too');

  t.is((await app.decide('mona', `entity-${fine}`, 'dismiss')).status, 303);
  t.is((await (await app.as('bob')).agent.http.get(`/status/${fine}`)).status, 200);
  t.is((await app.decide('mona', `entity-${fine}`, 'bogus')).status, 422);

  const empty = await app.decide('mona', `entity-${rude}`, 'warn', { message: '  ' });
  t.is(empty.status, 422);
  t.regex(empty.text, /Write the message the author will receive\./);
  const long = await app.decide('mona', `entity-${rude}`, 'warn', { message: `Please ${'x'.repeat(2000)}` });
  t.is(long.status, 422);
  t.regex(long.text, /Please x{10}/, 'the message typed is kept');
  t.is((await openReportsOn(app.db, 'entity', rude)).length, 1, 'nothing decided on a refusal');
  t.is((await app.decide('mona', `entity-${rude}`, 'warn', { message: 'Please stay courteous.' })).status, 303);
  const warning = await app.db('moderation_warnings').where({ user_id: alice }).first('id', 'message');
  t.is(warning.message, 'Please stay courteous.');
  const note = await app.db('notifications').where({ user_id: alice, kind: 'moderation.warned' }).first('object_id', 'actor_id');
  t.is(Number(note.object_id), Number(warning.id));
  t.is(note.actor_id, null, 'the moderator is not named');
  const page = await (await app.as('alice')).agent.http.get(`/moderation/warnings/${warning.id}`);
  t.is(page.status, 200);
  t.regex(page.text, /Please stay courteous\./);
  t.regex(page.text, /href="\/charter"/);
  t.is((await (await app.as('bob')).agent.http.get(`/moderation/warnings/${warning.id}`)).status, 404, 'only its recipient reads a warning');

  t.deepEqual(
    (await app.db('audit_log').where('action', 'like', 'moderation.%').orderBy('id').select('action')).map((r) => r.action),
    ['moderation.delete', 'moderation.dismiss', 'moderation.warn'],
  );
  t.is((await app.report('bob', fine, 'offCharter')).status, 303);
  t.deepEqual(
    (await openReportsOn(app.db, 'entity', fine)).map((r) => r.reason),
    ['offCharter'],
    'a report after a decision opens again',
  );
  const mine = await (await app.as('bob')).agent.http.get('/moderation/mine');
  t.regex(mine.text, /Deleted/);
  t.regex(mine.text, /Author warned/);
});

eachModApp('group admins review their group only; moderators of one network see nothing of another', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const bob = await app.member('bob', 'Bob');
  const dan = await app.member('dan', 'Dan');
  const sam = await app.member('sam', 'Sam');
  const group = await app.container(dan, [alice, bob]);
  const inGroup = await app.quickPost(alice, 'Group gossip', 'group', { containerId: group });
  const outside = await app.quickPost(alice, 'Network post', 'members');
  await app.report('bob', inGroup, 'confidential');
  await app.report('bob', outside, 'spam');

  const d = await app.as('dan');
  const queue = await d.agent.http.get('/moderation');
  t.is(queue.status, 200);
  t.regex(queue.text, /Group gossip/);
  t.notRegex(queue.text, /Network post/, 'a group admin sees their group only');
  t.regex((await d.agent.http.get(`/moderation?group=${group}`)).text, /Group gossip/);
  t.is((await app.decide('dan', `entity-${outside}`, 'hide')).status, 403);
  t.is((await app.decide('dan', `entity-${inGroup}`, 'hide', { group: String(group) })).status, 303);
  t.is((await app.db('moderation_hidden').where({ entity_id: inGroup }).first('hidden_by')).hidden_by, dan);
  t.is((await (await app.as('bob')).agent.http.get('/moderation')).status, 403);

  // Sam moderates a sub-network only: nothing of the root's queue.
  const sub = await addSubNetwork(app.rt, 'partner');
  await addMemberships(app.rt, sub, [sam], 'moderator');
  const s = await app.as('sam');
  const subQueue = await s.agent.http.get('/n/partner/moderation');
  t.is(subQueue.status, 200);
  t.notRegex(subQueue.text, /Network post|Group gossip/);
  t.regex(subQueue.text, /Nothing to review/);
  const refused = await app.decide('sam', `entity-${outside}`, 'delete', {}, '/n/partner');
  t.is(refused.status, 404);
  t.is((await app.db('entities').where({ id: outside }).first('deleted_at')).deleted_at, null, 'nothing done across networks');
  t.is((await openReportsOn(app.db, 'entity', outside)).length, 1);
});

eachModApp('a reported member: the queue shows them; a moderator warns them; the reporter is told', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const bob = await app.member('bob', 'Bob');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  t.is((await (await app.as('bob')).post('/moderation/report/member/alice', { reason: 'harassment', note: 'Insults in messages' })).status, 303);
  const queue = await (await app.as('mona')).agent.http.get('/moderation');
  t.regex(queue.text, /Reported member: <a href="\/people\/alice">Alice<\/a>/);
  t.regex(queue.text, /action="\/moderation\/members\/alice\/decide"/);
  t.notRegex(queue.text, /value="hide"/, 'a member is not hidden or deleted from here');
  const res = await app.decide('mona', 'member-alice', 'warn', { message: 'Stay courteous in messages.', tell: '1' });
  t.is(res.status, 303);
  t.is(
    (await app.db('moderation_warnings').where({ user_id: alice, target_type: 'member' }).first('message')).message,
    'Stay courteous in messages.',
  );
  t.is((await app.db('notifications').where({ user_id: bob, kind: 'moderation.outcome' }).select('id')).length, 1);
  t.deepEqual(
    (await auditOf(app.db, alice)).map((r) => r.action),
    ['moderation.warn'],
  );
  t.is((await app.decide('mona', 'member-nobody', 'dismiss')).status, 404);
});
