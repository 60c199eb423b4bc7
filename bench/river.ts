/**
 * The home feed's river read two ways on a bench site (issue 18): by its sources' index ranges
 * (`FeedQuery.ranges`, what the feed does) and by walking the network's acts (the same query
 * without `ranges`). Checks that both answer the same rows and cursor for every member tried,
 * then times both alternated in one process (`process.cpuUsage`, ms of CPU per river).
 *
 *   node dist/bench/river.js <site dir with config/local.json> [members: a count, or usernames,comma-separated] [rounds]
 *
 * RIVER_WALK_FIRST=<ids> sets how many act ids the river walks before its ranges (`rt.activity.walkFirst`).
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createApp, loadConfig, type FeedQuery, type Viewer } from '../core';
import { StatusService } from '../plugins/activity/service';
import { runScript } from './lib/scratch';

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '.');
  const who = process.argv[3] ?? '20';
  const rounds = Number(process.argv[4] ?? 20);
  const config = loadConfig({ cwd: dir, env: {}, overrides: { log: { level: 'silent', pretty: false } } });
  const app = await createApp(config, { cwd: dir });
  const rt = app.ruche;
  if (process.env.RIVER_WALK_FIRST) rt.activity.walkFirst = Number(process.env.RIVER_WALK_FIRST);
  const network = (await rt.db('networks').orderBy('id').first('id')) as { id: number };
  const networkId = Number(network.id);
  const names = /^\d+$/.test(who)
    ? ((await rt.db('users').where('status', 'active').orderBy('id').pluck('username')) as string[]).filter(
        (_, i, all) => i % Math.max(1, Math.floor(all.length / Number(who))) === 0,
      )
    : who.split(',');
  const status = rt.container.resolve(StatusService);
  const members: { name: string; viewer: Viewer; ranged: FeedQuery; walked: FeedQuery }[] = [];
  for (const name of names) {
    const user = (await rt.db('users').where({ username: name }).first('id')) as { id: number } | undefined;
    const viewer = user && (await rt.users.viewer(Number(user.id)));
    if (!viewer) continue;
    const sources = status.homeSources(viewer, networkId);
    const ranged: FeedQuery = { networkIds: [networkId], ...sources, limit: 60 };
    members.push({ name, viewer, ranged, walked: { ...ranged, ranges: undefined } });
  }
  const digest = (page: unknown): string => createHash('sha1').update(JSON.stringify(page)).digest('hex').slice(0, 12);
  let differ = 0;
  for (const m of members) {
    // The first page and the next two, by each one's own cursor.
    let a = { ...m.ranged };
    let b = { ...m.walked };
    for (let page = 0; page < 3; page++) {
      const [x, y] = [await rt.activity.list(m.viewer, a), await rt.activity.list(m.viewer, b)];
      if (digest(x) !== digest(y)) {
        differ++;
        process.stdout.write(`DIFFER ${m.name} page ${page}: ${digest(x)} ${digest(y)}\n`);
      }
      if (x.older === null) break;
      a = { ...a, before: x.older };
      b = { ...b, before: y.older ?? undefined };
    }
  }
  process.stdout.write(`${members.length} members, 3 pages each: ${differ} pages differ\n`);
  const cpu = (q: (m: (typeof members)[number]) => FeedQuery) => async (m: (typeof members)[number]) => {
    const start = process.cpuUsage();
    await rt.activity.list(m.viewer, q(m));
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const ranged = cpu((m) => m.ranged);
  const walked = cpu((m) => m.walked);
  for (const m of members) {
    const t = { ranged: 0, walked: 0 };
    for (let i = 0; i < rounds; i++) {
      t.ranged += await ranged(m);
      t.walked += await walked(m);
    }
    const sources = await m.ranged.ranges!();
    const size = sources ? `${sources.actorIds.length}a ${sources.containerIds.length}c ${sources.entityIds.length}e` : 'tags';
    process.stdout.write(
      `${m.name.padEnd(24)} ${size.padEnd(16)} ranges ${(t.ranged / rounds).toFixed(2).padStart(7)} ms  walk ${(t.walked / rounds).toFixed(2).padStart(7)} ms\n`,
    );
  }
  await app.close();
}

runScript('river', main);
