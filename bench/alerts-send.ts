/**
 * Sending an urgent alert to 10,000 members: a temporary SQLite install with 10,000 active
 * members (bulk-inserted in chunked transactions) and the alerts plugin enabled, served on
 * loopback by the same process. One alert to the whole network is sent as the send form does
 * (the audience query, then `AlertsService.send`: the alert, 10,000 recipient rows and every mail
 * and bell job, in one transaction of multi-row inserts) while a page (`/login`) is fetched
 * every 25 ms (and for 2 s before, for comparison); prints the send's time and the page latencies during it. Target: < 30 s, pages
 * responsive. With BENCH_DELIVER=1 it then runs the jobs (10,000 emails by the file transport,
 * 10,000 bell notifications) and prints how long delivery took.
 *
 *   npm run bench:alerts
 *   BENCH_MEMBERS=20000 BENCH_DELIVER=1 npm run bench:alerts
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createApp, listen } from '../core';
import { audienceIds } from '../plugins/alerts/audience';
import { AlertsService } from '../plugins/alerts/service';
import { seedMembers } from './lib/members';
import { pct, runScript, scratchConfig, scratchInstall } from './lib/scratch';

const MEMBERS = Number(process.env.BENCH_MEMBERS) || 10_000;
const PAGE_EVERY_MS = 25;

async function main(): Promise<void> {
  const { dir, rt: installed } = await scratchInstall('alerts');
  await installed.pluginState.enable('alerts');
  await installed.pluginState.enable('notifications');
  await seedMembers(installed.db, MEMBERS);
  await installed.close();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const app = await createApp(scratchConfig(dir, { siteUrl: `http://127.0.0.1:${port}`, jobs: { enabled: false } }), { cwd: dir });
  const server = await listen(app, port, '127.0.0.1');
  const rt = app.ruche;
  try {
    const admin = (await rt.users.viewer((await rt.users.byUsername('admin'))!.id))!;
    // A first page warms the templates and statements; then pages fetched one after the other, every PAGE_EVERY_MS.
    await (await fetch(`http://127.0.0.1:${port}/login`)).arrayBuffer();
    const latencies: number[] = [];
    let sending = true;
    const pages = (async () => {
      while (sending) {
        const start = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/login`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`/login answered ${res.status}`);
        latencies.push(performance.now() - start);
        await new Promise((r) => setTimeout(r, PAGE_EVERY_MS));
      }
    })();
    await new Promise((r) => setTimeout(r, 2000));
    const idle = [...latencies].sort((a, b) => a - b);
    const before = latencies.length;
    const t0 = performance.now();
    const ids = (await audienceIds(rt, admin, 1, { audience: 'network', ref: '', value: '' })) ?? [];
    const tAudience = performance.now() - t0;
    const sent = await rt.container.resolve(AlertsService).send(
      admin.id,
      1,
      {
        title: 'Site closed',
        message: 'The site is closed today: work from home.',
        severity: 'emergency',
        answers: 'safety',
        audience: 'network',
        ref: '',
        value: '',
        formKey: 'b'.repeat(32),
      },
      ids,
    );
    const tSend = performance.now() - t0;
    sending = false;
    await pages;
    const during = latencies.slice(before).sort((a, b) => a - b);
    const rows = Number(((await rt.db('alerts_recipients').where({ alert_id: sent.id }).count({ n: '*' }).first()) as { n: unknown }).n);
    const jobs = Number(((await rt.db('jobs').whereIn('kind', ['alerts.mail', 'alerts.bell']).count({ n: '*' }).first()) as { n: unknown }).n);
    process.stdout.write(
      `alert to ${ids.length} members: audience ${(tAudience / 1000).toFixed(2)} s, sent (alert + ${rows} recipient rows + ${jobs} mail and bell jobs committed) in ${(tSend / 1000).toFixed(2)} s (target: < 30 s)\n`,
    );
    process.stdout.write(`/login before the send: ${idle.length} pages, median ${pct(idle, 50).toFixed(0)} ms, p95 ${pct(idle, 95).toFixed(0)} ms\n`);
    process.stdout.write(
      `/login during the send: ${during.length} pages, median ${pct(during, 50).toFixed(0)} ms, p95 ${pct(during, 95).toFixed(0)} ms, max ${during[during.length - 1].toFixed(0)} ms\n`,
    );
    if (process.env.BENCH_DELIVER) {
      const t1 = performance.now();
      let ran = 0;
      for (let n; (n = await rt.jobs.runDue({ limit: 50 })) > 0;) ran += n;
      const sentMails = Number(
        ((await rt.db('alerts_recipients').where({ alert_id: sent.id, mail_state: 'sent' }).count({ n: '*' }).first()) as { n: unknown }).n,
      );
      const bells = Number(((await rt.db('notifications').where({ kind: 'alerts.alert' }).count({ n: '*' }).first()) as { n: unknown }).n);
      process.stdout.write(
        `delivery: ${ran} jobs, ${sentMails} emails written (file transport), ${bells} bell notifications in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`,
      );
    }
  } finally {
    await server.stop();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runScript('alerts', main);
