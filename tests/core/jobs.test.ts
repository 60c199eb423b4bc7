// The persisted job runner: runs due jobs once (even with two runners on one database),
// retries failures with backoff, gives up after max attempts, survives a restart, and
// moves a keyed job instead of doubling it.
import { Jobs, backoffMs, createApp } from '../../core';
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';
import { eachApp } from '../helpers/each-app';
import { countRows } from '../helpers/rows';

eachDatabase('due jobs run once, across two runners on one database', async (t, db) => {
  const a = await makeApp(db);
  const b = await createApp(a.config, { cwd: db.dataDir });
  try {
    const seen: number[] = [];
    const handler = async (p: Record<string, unknown>): Promise<void> => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(Number(p.n));
    };
    const ja = new Jobs(a.app.ruche.db, a.app.ruche.logger);
    const jb = new Jobs(b.ruche.db, b.ruche.logger);
    ja.define({ kind: 'test.count', handler });
    jb.define({ kind: 'test.count', handler });
    const now = Date.now();
    for (let n = 0; n < 20; n++) await ja.schedule('test.count', { n }, { runAt: now - 1 });
    await ja.schedule('test.count', { n: 99 }, { runAt: now + 60_000 });
    const [ra, rb] = await Promise.all([ja.runDue({ now }), jb.runDue({ now })]);
    t.is(ra + rb, 20);
    t.deepEqual(
      [...seen].sort((x, y) => x - y),
      [...Array(20).keys()],
    );
    t.is(await ja.runDue({ now }), 0, 'nothing left that is due');
    t.is(await jb.runDue({ now: now + 60_001 }), 1, 'the later job runs at its time');
    t.true(seen.includes(99));
  } finally {
    await b.close();
    await a.close();
  }
});

eachApp('a failing job is retried with backoff, then kept as failed with its error', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const jobs = new Jobs(rt.db, rt.logger);
  let calls = 0;
  jobs.define({
    kind: 'test.flaky',
    maxAttempts: 3,
    handler: () => {
      calls++;
      throw new Error(`refused ${calls}`);
    },
  });
  await jobs.schedule('test.flaky', {}, { key: 'flaky' });
  let now = Date.now();
  t.is(await jobs.runDue({ now }), 1);
  let row = await jobs.find('flaky');
  t.is(row?.status, 'pending');
  t.is(Number(row?.run_at), now + backoffMs(1));
  t.is(row?.last_error, 'refused 1');
  t.is(await jobs.runDue({ now: now + 1000 }), 0, 'not before its backoff');
  now += backoffMs(1);
  t.is(await jobs.runDue({ now }), 1);
  now += backoffMs(2);
  t.is(await jobs.runDue({ now }), 1);
  row = await jobs.find('flaky');
  t.is(row?.status, 'failed');
  t.is(Number(row?.attempts), 3);
  t.is(calls, 3);
  t.is(await jobs.runDue({ now: now + 10 * 3_600_000 }), 0, 'a failed job stays failed');
  // Scheduling the key again gives it a fresh start.
  await jobs.schedule('test.flaky', {}, { key: 'flaky', runAt: now });
  row = await jobs.find('flaky');
  t.is(row?.status, 'pending');
  t.is(Number(row?.attempts), 0);
});

eachDatabase('a keyed job is moved, not doubled; cancel drops it; jobs survive a restart', async (t, db) => {
  const app = await makeApp(db);
  const rt = app.app.ruche;
  const jobs = new Jobs(rt.db, rt.logger);
  const ran: unknown[] = [];
  jobs.define({ kind: 'test.publish', handler: (p) => void ran.push(p.id) });
  const now = Date.now();
  await jobs.schedule('test.publish', { id: 1 }, { key: 'publish:1', runAt: now + 1000 });
  await jobs.schedule('test.publish', { id: 1, v: 2 }, { key: 'publish:1', runAt: now + 5000 });
  await jobs.schedule('test.publish', { id: 2 }, { key: 'publish:2', runAt: now + 1000 });
  await jobs.cancel('publish:2');
  t.is(await countRows(rt.db, 'jobs'), 1);
  await app.close();

  // A new process on the same database finds the job and runs it at its time.
  const again = await createApp(app.config, { cwd: db.dataDir });
  try {
    const jobs2 = new Jobs(again.ruche.db, again.ruche.logger);
    jobs2.define({ kind: 'test.publish', handler: (p) => void ran.push(p.id) });
    t.is(await jobs2.runDue({ now: now + 2000 }), 0);
    t.is(await jobs2.runDue({ now: now + 5000 }), 1);
    t.deepEqual(ran, [1]);
    const done = await again.ruche.db('jobs').first();
    t.is(done.status, 'done');
    t.is(done.unique_key, null, 'a finished job frees its key');
  } finally {
    await again.close();
  }
});

eachApp('a job left running by a dead process is taken again after its lease', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const jobs = new Jobs(rt.db, rt.logger);
  const ran: number[] = [];
  jobs.define({ kind: 'test.lease', handler: () => void ran.push(1) });
  const now = Date.now();
  await jobs.schedule('test.lease', {}, { runAt: now });
  await rt.db('jobs').update({ status: 'running', locked_by: 'dead', locked_until: now + 60_000, attempts: 1 });
  t.is(await jobs.runDue({ now: now + 1000 }), 0, 'still leased');
  t.is(await jobs.runDue({ now: now + 61_000 }), 1);
  t.deepEqual(ran, [1]);
});

eachApp('manifest jobs are defined at boot; an unknown kind cannot be scheduled', makeApp, async (t, app) => {
  await t.throwsAsync(() => app.app.ruche.jobs.schedule('nobody.nothing', {}), { message: /unknown job kind/ });
});

eachApp('a personal job’s payload is emptied once it is done or given up; another job keeps its own', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const jobs = new Jobs(rt.db, rt.logger);
  const seen: unknown[] = [];
  jobs.define({ kind: 'test.words', personal: true, handler: (p) => void seen.push(p.words) });
  jobs.define({ kind: 'test.refused', personal: true, maxAttempts: 1, handler: () => Promise.reject(new Error('no')) });
  jobs.define({ kind: 'test.plain', handler: () => undefined });
  const now = Date.now();
  await jobs.schedule('test.words', { words: ['zephyrine'] }, { runAt: now - 1 });
  await jobs.schedule('test.refused', { words: ['zephyrine'] }, { runAt: now - 1 });
  await jobs.schedule('test.plain', { n: 7 }, { runAt: now - 1 });
  t.is(await jobs.runDue({ now }), 3);
  t.deepEqual(seen, [['zephyrine']], 'the handler had the payload');
  const rows = (await rt
    .db('jobs')
    .whereIn('kind', ['test.words', 'test.refused', 'test.plain'])
    .orderBy('kind')
    .select('kind', 'status', 'payload')) as {
    kind: string;
    status: string;
    payload: string;
  }[];
  t.deepEqual(
    rows.map((r) => [r.kind, r.status, r.payload]),
    [
      ['test.plain', 'done', '{"n":7}'],
      ['test.refused', 'failed', '{}'],
      ['test.words', 'done', '{}'],
    ],
  );
});
