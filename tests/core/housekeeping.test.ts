// Recurring jobs (one pending job per kind for the whole cluster, again after each run) and
// the core's housekeeping job, which trims the tables that otherwise only grow.
import test from 'ava';
import { Jobs, createApp } from '../../core';
import { corePlugin } from '../../core/plugin';
import { validateManifest } from '../../core/plugins/validate';
import {
  housekeeping,
  LOGIN_ATTEMPTS_KEPT_MS,
  EXPIRED_LINKS_KEPT_MS,
  HOUSEKEEPING_EVERY_MS,
  WEBHOOK_DELIVERIES_KEPT_MS,
} from '../../core/jobs/housekeeping';
import { recurringKey } from '../../core/jobs/runner';
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

eachDatabase('a recurring job is scheduled once for every runner, and again after each run, failed or not', async (t, db) => {
  const a = await makeApp(db);
  const b = await createApp(a.config, { cwd: db.dataDir });
  try {
    let calls = 0;
    let fail = false;
    const def = {
      kind: 'test.tick',
      everyMs: 60_000,
      maxAttempts: 1,
      handler: () => {
        calls++;
        if (fail) throw new Error('no luck');
      },
    };
    const ja = new Jobs(a.app.ruche.db, a.app.ruche.logger);
    const jb = new Jobs(b.ruche.db, b.ruche.logger);
    ja.define(def);
    jb.define(def);
    const now = Date.now();
    await ja.ensureRecurring(now);
    await jb.ensureRecurring(now + 5_000);
    const pending = await a.app.ruche.db('jobs').where({ kind: 'test.tick' }).whereNot('status', 'done');
    t.is(pending.length, 1, 'one pending job, whichever runner started first');
    t.is(Number(pending[0].run_at), now, 'the second runner did not move it');

    t.is((await ja.runDue({ now })) + (await jb.runDue({ now })), 1);
    t.is(calls, 1);
    t.is(Number((await ja.find(recurringKey('test.tick')))?.run_at), now + 60_000, 'next run one interval later');
    t.is(await jb.runDue({ now: now + 59_000 }), 0, 'not before its time');

    fail = true;
    t.is(await jb.runDue({ now: now + 60_000 }), 1);
    const after = await ja.find(recurringKey('test.tick'));
    t.is(after?.status, 'pending', 'a failed run does not stop the series');
    t.is(Number(after?.run_at), now + 120_000);
    t.is(
      await a.app.ruche
        .db('jobs')
        .where({ kind: 'test.tick' })
        .count<{ n: number }[]>('id as n')
        .first()
        .then((r) => Number(r?.n)),
      2,
    );
  } finally {
    await b.close();
    await a.close();
  }
});

test('a recurring kind in a manifest runs at most once a minute; the core declares its housekeeping', (t) => {
  const base = { id: 'rk', version: '1.0.0', name: 'R', description: 'R', core: '^1.0.0' };
  const job = (everyMs: number) => ({ ...base, jobs: [{ kind: 'rk.tick', handler: () => undefined, everyMs }] });
  t.notThrows(() => validateManifest(job(60_000), 'rk'));
  t.throws(() => validateManifest(job(1_000), 'rk'), { message: /everyMs/ });
  t.deepEqual(
    corePlugin.jobs?.filter((j) => j.everyMs).map((j) => [j.kind, j.everyMs]),
    [
      ['core.housekeeping', HOUSEKEEPING_EVERY_MS],
      ['core.backup', 3_600_000],
    ],
  );
});

eachDatabase('housekeeping trims ended sessions, old sign-in attempts, long-expired links and old jobs; keeps the rest', async (t, db) => {
  const app = await makeApp(db);
  try {
    const rt = app.app.ruche;
    const now = Date.now();
    const user = (await rt.db('users').first('id')) as { id: number };
    const idleMs = rt.config.session.idleMinutes * 60_000;
    const session = (id: string, lastSeen: number, expires: number) => ({
      id,
      user_id: user.id,
      created_at: lastSeen,
      last_seen_at: lastSeen,
      expires_at: expires,
    });
    await rt
      .db('sessions')
      .insert([
        session('live', now - 1000, now + 86_400_000),
        session('expired', now - 1000, now - 1),
        session('idle', now - idleMs - 1000, now + 86_400_000),
      ]);
    const attempt = (account: string, at: number) => ({ account, ip: '127.0.0.9', success: true, refused: false, created_at: at });
    await rt.db('login_attempts').insert([attempt('recent@x.test', now - 60_000), attempt('old@x.test', now - LOGIN_ATTEMPTS_KEPT_MS - 1)]);
    const link = (hash: string, expires: number | null) => ({
      kind: 'invitation',
      token_hash: hash,
      data: '{}',
      created_at: now - 1,
      expires_at: expires,
    });
    await rt
      .db('auth_tokens')
      .insert([link('a'.repeat(64), now - 1000), link('b'.repeat(64), now - EXPIRED_LINKS_KEPT_MS - 1), link('c'.repeat(64), null)]);
    const job = (status: string, finished: number) => ({
      kind: 'core.housekeeping',
      payload: '{}',
      status,
      run_at: finished,
      attempts: 1,
      max_attempts: 1,
      created_at: finished,
      finished_at: finished,
    });
    await rt.db('jobs').insert([job('done', now - 8 * 86_400_000), job('done', now - 86_400_000), job('failed', now - 31 * 86_400_000)]);
    await rt
      .db('webhooks')
      .insert({ network_id: rt.networks.root().id, url: 'https://203.0.113.10/x', events: '[]', secret: 'whsec_x', created_at: now });
    const webhookId = Number((await rt.db('webhooks').max({ m: 'id' }).first())?.m);
    const delivery = (body: string, status: string, at: number) => ({
      webhook_id: webhookId,
      event: 'core.member.joined',
      body,
      status,
      created_at: at,
    });
    const old = now - WEBHOOK_DELIVERIES_KEPT_MS - 1;
    await rt
      .db('webhook_deliveries')
      .insert([delivery('old delivered', 'delivered', old), delivery('old retrying', 'retrying', old), delivery('recent', 'failed', now - 1000)]);

    await rt.jobs.ensureRecurring(now);
    // Every recurring job of the core and of the enabled plugins is due at once (the files plugin's sweep too).
    t.true((await rt.jobs.runDue({ now })) >= 1);
    t.true(
      await rt.db('jobs').where({ kind: 'core.housekeeping', status: 'done' }).where('finished_at', '>=', now).first().then(Boolean),
      'the housekeeping job ran',
    );
    t.deepEqual(((await rt.db('sessions').pluck('id')) as string[]).sort(), ['live']);
    t.deepEqual(await rt.db('login_attempts').pluck('account'), ['recent@x.test']);
    t.deepEqual(
      (await rt.db('webhook_deliveries').orderBy('body').pluck('body')) as string[],
      ['old retrying', 'recent'],
      'a month-old delivery goes once done with',
    );
    t.is(
      await rt
        .db('auth_tokens')
        .where({ kind: 'invitation' })
        .count<{ n: number }[]>('id as n')
        .first()
        .then((r) => Number(r?.n)),
      2,
    );
    const jobs = (await rt.db('jobs').where({ kind: 'core.housekeeping' }).orderBy('id').select('status', 'run_at')) as {
      status: string;
      run_at: number;
    }[];
    t.deepEqual(
      jobs.map((j) => j.status),
      ['done', 'done', 'pending'],
      'the week-old done job and the month-old failure are gone; this run is done and the next one pending',
    );
    t.is(Number(jobs[2].run_at), now + HOUSEKEEPING_EVERY_MS);
    t.deepEqual(
      await housekeeping(rt, now),
      { sessions: 0, loginAttempts: 0, links: 0, jobs: 0, audit: 0, webhookDeliveries: 0, suspensionsEnded: 0 },
      'a second pass finds nothing',
    );
  } finally {
    await app.close();
  }
});
