// A decision, its history row and its audit entry commit together (issue 22): a failure while the
// audit entry is written leaves the target, the reports and the history as they were; a sanction
// refused inside the decision (the member was made a moderator after the reviewer's form was
// checked) is refused as a whole with a localised message — no suspension, no history row, no
// audit entry, the reports still open — and the history says "suspend" only when the member was.
// The failures are made by database triggers fired inside the decision's transaction.
import type { Knex } from 'knex';
import { auditOf, eachModApp, openReportsOn } from './support';

/** Runs `sql` after each statement of `event` on `table` (one trigger, named `name`), both databases. */
async function trigger(db: Knex, kind: string, name: string, table: string, event: string, sql: string): Promise<void> {
  if (kind === 'sqlite') await db.raw(`create trigger ${name} after ${event} on ${table} begin ${sql}; end`);
  else {
    await db.raw(`create function ${name}() returns trigger as $$ begin ${sql}; return null; end $$ language plpgsql`);
    await db.raw(`create trigger ${name} after ${event} on ${table} for each statement execute function ${name}()`);
  }
}

async function dropTrigger(db: Knex, kind: string, name: string, table: string): Promise<void> {
  if (kind === 'sqlite') await db.raw(`drop trigger ${name}`);
  else {
    await db.raw(`drop trigger ${name} on ${table}`);
    await db.raw(`drop function ${name}()`);
  }
}

const decisionsOn = (db: Knex, id: number) => db('moderation_decisions').where({ target_type: 'entity', target_id: id }).pluck('decision');

eachModApp('a failure writing the audit entry leaves no decision: the target, the reports and the history as they were', async (t, app, db) => {
  const [, , mona] = await app.members('alice', 'bob', 'mona');
  await app.setRole(mona, 'moderator');
  const post = await app.post('alice', 'A rude post');
  await app.report('bob', post, 'spam');
  const fail = db.kind === 'sqlite' ? "select raise(abort, 'audit refused')" : "raise exception 'audit refused'";
  await trigger(app.db, db.kind, 'audit_refused', 'audit_log', 'insert', fail);
  const res = await app.decide('mona', `entity-${post}`, 'hide');
  t.is(res.status, 500, 'the database refused the audit entry');
  t.falsy(Number((await app.db('entities').where({ id: post }).first('withheld')).withheld), 'not hidden');
  t.is((await app.db('moderation_hidden').where({ entity_id: post }).select('entity_id')).length, 0);
  t.is((await openReportsOn(app.db, 'entity', post)).length, 1, 'the report is still open');
  t.deepEqual(await decisionsOn(app.db, post), [], 'no history row');
  t.deepEqual(await auditOf(app.db, post), []);

  await dropTrigger(app.db, db.kind, 'audit_refused', 'audit_log');
  t.is((await app.decide('mona', `entity-${post}`, 'hide')).status, 303);
  t.truthy(Number((await app.db('entities').where({ id: post }).first('withheld')).withheld));
  t.deepEqual(await decisionsOn(app.db, post), ['hide']);
  t.deepEqual(
    (await auditOf(app.db, post)).map((r) => r.action),
    ['moderation.hide'],
    'the decision and its entry together',
  );
});

eachModApp('a suspension refused inside the decision is refused as a whole: nothing suspended, recorded or audited', async (t, app, db) => {
  const [alice, , ada] = await app.members('alice', 'bob', 'ada');
  await app.setRole(ada, 'admin');
  const post = await app.post('alice', 'Cheap watches');
  await app.report('bob', post, 'spam');
  await app.as('alice');
  const sessions = (await app.db('sessions').where({ user_id: alice }).select('id')).length;
  // Alice is made a moderator while the decision runs, once its reports are closed (after the route's check).
  const promote = `update memberships set role = 'moderator' where user_id = ${alice} and network_id = ${app.root}`;
  await trigger(app.db, db.kind, 'promoted_meanwhile', 'moderation_reports', 'update', promote);
  const refused = await app.decide('ada', `entity-${post}`, 'suspend', { reason: 'Repeated spam', days: '7' });
  t.is(refused.status, 422);
  t.regex(refused.text, /This member can no longer be sanctioned from here/);
  t.regex(refused.text, /Repeated spam/, 'the reason typed is kept');
  const user = await app.db('users').where({ id: alice }).first('status', 'suspension_reason');
  t.is(user.status, 'active', 'not suspended');
  t.is(user.suspension_reason, null);
  t.true(sessions > 0);
  t.is((await app.db('sessions').where({ user_id: alice }).select('id')).length, sessions, 'not signed out');
  t.is((await openReportsOn(app.db, 'entity', post)).length, 1, 'the report is still open');
  t.deepEqual(await decisionsOn(app.db, post), [], 'the history does not say "suspend"');
  t.deepEqual(await auditOf(app.db, post), []);
  t.is(
    (await app.db('memberships').where({ user_id: alice, network_id: app.root }).first('role')).role,
    'member',
    'the trigger’s change rolled back too',
  );
  const ada2 = await app.as('ada');
  const fr = await ada2.agent.http
    .post(`/moderation/entities/${post}/decide`)
    .set('Accept-Language', 'fr')
    .type('form')
    .send({ _csrf: ada2.token, decision: 'ban', reason: 'Spam' });
  t.regex(fr.text, /Ce membre ne peut plus être sanctionné/, 'a ban refused the same way, in French');
  t.deepEqual(await app.db('network_bans').where({ user_id: alice }).select('user_id'), []);

  await dropTrigger(app.db, db.kind, 'promoted_meanwhile', 'moderation_reports');
  t.is((await app.decide('ada', `entity-${post}`, 'suspend', { reason: 'Repeated spam', days: '7' })).status, 303);
  t.is((await app.db('users').where({ id: alice }).first('status')).status, 'suspended');
  t.deepEqual(await decisionsOn(app.db, post), ['suspend']);
  t.deepEqual(
    (await auditOf(app.db, post)).map((r) => r.action),
    ['moderation.suspend'],
  );
});
