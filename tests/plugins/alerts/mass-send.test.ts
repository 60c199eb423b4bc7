// The 10,000-member send, on both databases: an alert to the whole network sent through the form
// writes one recipient row per member and queues a mail and a bell for every one of them (in
// batched jobs), nobody twice. Only the outcome is checked here; the time is the bench's
// (`npm run bench:alerts`, target < 30 s on SQLite), never a test's.
import { seedMembers } from '../../../bench/lib/members';
import { BELL_JOB, MAIL_JOB } from '../../../plugins/alerts/constants';
import { eachDatabase } from '../../helpers/databases';
import { rowCount } from '../../helpers/rows';
import { alertsApp } from './support';

const MEMBERS = 10_000;

eachDatabase('an alert to 10,000 members writes every recipient and queues every mail and bell', async (t, db) => {
  t.timeout(4 * 60_000);
  const app = await alertsApp(db);
  try {
    const { rt } = app;
    const sender = await app.as('admin');
    await seedMembers(rt.db, MEMBERS);
    const members: number[] = (await rt.db('memberships').where({ network_id: app.root }).pluck('user_id')).map(Number);
    t.is(members.length, MEMBERS + 1, 'the seeded members and the admin');

    const id = await app.send(sender, { audience: 'network' });
    const recipients: number[] = (await rt.db('alerts_recipients').where({ alert_id: id }).pluck('user_id')).map(Number);
    t.deepEqual(
      [...recipients].sort((a, b) => a - b),
      [...members].sort((a, b) => a - b),
    );
    for (const kind of [MAIL_JOB, BELL_JOB]) {
      const payloads: string[] = await rt.db('jobs').where({ kind }).pluck('payload');
      const queued = payloads.flatMap((p) => (JSON.parse(p) as { alertId: number; userIds: number[] }).userIds);
      t.is(queued.length, members.length, `${kind}: one per recipient`);
      t.is(new Set(queued).size, members.length, `${kind}: nobody twice`);
    }
    t.is(await rowCount(rt.db('alerts_alerts')), 1);
  } finally {
    await app.close();
  }
});
