/**
 * A long discussion under load: a temporary SQLite install with 30 members, a topic with 500
 * replies (and a few other topics with replies), then the topic's first, middle and last
 * pages fetched by a signed-in member through real HTTP (a server listening on 127.0.0.1),
 * N times each. Prints median and p95 per page (target: median < 30 ms).
 *
 *   npm run bench:discussions            (N=200)
 *   BENCH_RUNS=500 npm run bench:discussions
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createApp, listen } from '../core';
import { medianP95, scratchInstall, runScript } from './lib/scratch';
import { RepliesService } from '../plugins/discussions/replies';
import { TopicsService } from '../plugins/discussions/service';

const RUNS = Number(process.env.BENCH_RUNS) || 200;
const REPLIES = 500;
const PASSWORD = 'violet staple engine 7';

async function main(): Promise<void> {
  const { dir, config, rt: installed } = await scratchInstall('disc', { jobs: { enabled: false } });
  await installed.close();
  const app = await createApp(config, { cwd: dir });
  const rt = app.ruche;
  const running = await listen(app, 0, '127.0.0.1');
  try {
    const t0 = performance.now();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await rt.users.create({ username: `member${i}`, email: `member${i}@example.com`, password: PASSWORD, displayName: `Member ${i}` });
      if (!('id' in r)) throw new Error(JSON.stringify(r.errors));
      ids.push(r.id);
    }
    const topics = rt.container.resolve(TopicsService);
    const replies = rt.container.resolve(RepliesService);
    const viewers = await Promise.all(ids.map((id) => rt.users.viewer(id).then((v) => v!)));
    const networkId = rt.networks.root().id;
    for (let k = 0; k < 5; k++) {
      const other = await topics.create(viewers[k], networkId, null, {
        title: `Other topic ${k}`,
        body: `Body of topic ${k}`,
        tags: ['bench'],
        access: 'members',
      });
      for (let j = 0; j < 20; j++)
        await replies.create(viewers[(k + j + 1) % viewers.length], (await topics.find(other))!, `Reply ${j} to topic ${k}`);
    }
    const id = await topics.create(viewers[0], networkId, null, {
      title: 'The long discussion',
      body: 'Let us talk **at length**.',
      tags: ['bench', 'long'],
      access: 'members',
    });
    for (let j = 0; j < REPLIES; j++) {
      const body = `Reply **${j + 1}** with a [link](https://example.com/${j}) and some text to render.\n\n> a quote\n\nAnd a second paragraph.`;
      await replies.create(viewers[(j % (viewers.length - 1)) + 1], (await topics.find(id))!, body);
    }
    process.stdout.write(
      `built a topic with ${REPLIES} replies (and 5 topics with 20 replies) through the service in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );

    // Sign in as a member through the login form, keeping the session cookie.
    const base = running.url;
    let cookie = '';
    const keep = (res: Response) => {
      const set = res.headers.getSetCookie?.() ?? [];
      if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    };
    const loginPage = await fetch(`${base}/login`);
    keep(loginPage);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1] ?? '';
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, login: 'member29', password: PASSWORD }).toString(),
    });
    if (login.status !== 303) throw new Error(`login failed: ${login.status}`);
    keep(login);

    // The pages are measured in turn within each run (first, middle, last, and the topic list
    // for comparison), so that on a shared machine they all meet the same load.
    const size = topics.repliesPerPage(networkId);
    const pages = Math.ceil(REPLIES / size);
    const targets = [
      { label: `first page (1 of ${pages}, ${size} replies)`, url: `${base}/discussions/${id}`, replies: size },
      {
        label: `middle page (${Math.ceil(pages / 2)} of ${pages}, ${size} replies)`,
        url: `${base}/discussions/${id}?page=${Math.ceil(pages / 2)}`,
        replies: size,
      },
      { label: `last page (${pages} of ${pages}, ${size} replies)`, url: `${base}/discussions/${id}?page=${pages}`, replies: size },
      { label: 'for comparison, the topic list (6 topics)', url: `${base}/discussions`, replies: 0 },
    ];
    const get = async (url: string): Promise<{ status: number; html: string }> => {
      const res = await fetch(url, { headers: { cookie } });
      return { status: res.status, html: await res.text() };
    };
    for (const target of targets) {
      const { status, html } = await get(target.url);
      const count = (html.match(/data-reply="/g) ?? []).length;
      if (status !== 200 || count !== target.replies) throw new Error(`${target.url}: status ${status}, ${count} replies`);
      for (let i = 0; i < 10; i++) await get(target.url); // warm-up
    }
    const times = targets.map((): number[] => []);
    for (let i = 0; i < RUNS; i++) {
      for (const [k, target] of targets.entries()) {
        const s = performance.now();
        await get(target.url);
        times[k].push(performance.now() - s);
      }
    }
    for (const [k, target] of targets.entries()) {
      const sorted = times[k].sort((a, b) => a - b);
      process.stdout.write(`${target.label}, ${RUNS} runs over HTTP: ${medianP95(sorted)}${target.replies ? ' (target: median < 30 ms)' : ''}\n`);
    }
  } finally {
    await running.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runScript('discussions', main);
