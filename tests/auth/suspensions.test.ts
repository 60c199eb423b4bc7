/**
 * Suspensions (core/auth/suspensions.ts): a reason and an end are checked and kept; a
 * suspension ends every session; its end lifts it at the next sign-in and in the hourly
 * housekeeping, each lift written to the audit log; the last active root admin cannot be
 * suspended, nor can an admin suspend themselves. Sessions keep the member's last activity.
 * Both databases.
 */
import { housekeeping } from '../../core/jobs/housekeeping';
import { eachTestApp } from '../helpers/each-app';
import { createMember, MEMBER_PASSWORD, signedIn } from '../helpers/members';

const HOUR = 3_600_000;

eachTestApp('a suspension keeps its reason and end, and is lifted when the end passes', async (t, app) => {
  const rt = app.app.ruche;
  const dora = await createMember(rt, 'dora');
  const eve = await createMember(rt, 'eve');
  const now = Date.now();

  t.deepEqual(Object.keys(rt.suspensions.check({ reason: '  ', until: now - 1 }, now)), ['reason', 'until']);
  t.deepEqual(Object.keys(rt.suspensions.check({ reason: 'x'.repeat(501), until: null }, now)), ['reason']);
  t.deepEqual(rt.suspensions.check({ reason: 'Spam', until: now + HOUR }, now), {});

  const agent = await signedIn(app, 'dora');
  const active = await rt.db('users').where({ id: dora }).first('last_active_at');
  t.true(Number(active.last_active_at) >= now, 'signing in sets the last activity');

  t.deepEqual(await rt.suspensions.suspend(dora, { reason: ' Spam ', until: now + HOUR }, dora), { refused: 'self' });
  t.deepEqual(await rt.suspensions.suspend(dora, { reason: ' Spam ', until: now + HOUR }, 1), { previous: undefined, status: 'active' });
  t.deepEqual(await rt.suspensions.of(dora), { reason: 'Spam', until: now + HOUR });
  t.is((await agent.http.get('/account')).status, 302, 'the open session ended');
  const again = await rt.suspensions.suspend(dora, { reason: 'Spam, again', until: null }, 1);
  t.deepEqual(again, { previous: { reason: 'Spam', until: now + HOUR }, status: 'suspended' }, 'a new suspension replaces the last');

  // An end in the past (as if time went by): the next sign-in lifts it.
  await rt.suspensions.suspend(eve, { reason: 'Cooling off', until: now + HOUR }, 1);
  await rt
    .db('users')
    .where({ id: eve })
    .update({ suspended_until: now - 1 });
  await app.agent().login('eve', MEMBER_PASSWORD);
  t.is((await rt.db('users').where({ id: eve }).first('status')).status, 'active');
  t.is(await rt.suspensions.of(eve), undefined);

  // The housekeeping lifts the ones due, not the others.
  await rt
    .db('users')
    .where({ id: dora })
    .update({ suspended_until: now + 2 * HOUR });
  t.is((await housekeeping(rt, now + HOUR)).suspensionsEnded, 0);
  t.is((await housekeeping(rt, now + 3 * HOUR)).suspensionsEnded, 1);
  t.is((await rt.db('users').where({ id: dora }).first('status')).status, 'active');
  const lifts = await rt.db('audit_log').where({ action: 'core.user.suspensionEnded' }).orderBy('id').select('object_id', 'actor_id');
  t.deepEqual(
    lifts.map((r: { object_id: string; actor_id: number | null }) => [r.object_id, r.actor_id]),
    [
      [String(eve), null],
      [String(dora), null],
    ],
  );
  t.false(await rt.suspensions.reactivate(dora), 'nothing to lift any more');

  // The only active root admin stays active.
  t.deepEqual(await rt.suspensions.suspend(1, { reason: 'Test', until: null }), { refused: 'lastRootAdmin' });
});
