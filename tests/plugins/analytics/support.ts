// The analytics tests' small world, every figure of which is computed by hand in the tests:
// five members with active accounts (and one suspended) in the root network, the group
// "Choir" (Alice its admin, Bob a member), contents and acts recorded through the core's
// activity log at chosen days, and views counted through the plugin's counter.
import { makeApp, type TestApp } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { createMember, formGroup, pageAgent, signedIn } from '../../helpers/members';
import type { PluginTestApp } from '../../helpers/plugin-app';
import { ViewCounter } from '../../../plugins/analytics/counting';
import { ROLLUP_JOB } from '../../../plugins/analytics/plugin';
import { DAY_MS, dayOf } from '../../../plugins/analytics/verbs';
import { dateOfDay } from '../../../plugins/analytics/period';

export const HOUR = 3_600_000;

export interface AnalyticsApp extends PluginTestApp {
  root: number;
  /** Today's UTC day number. */
  today: number;
  /** The instant `hours` after the start of the day `daysAgo` days before today. */
  at(daysAgo: number, hours?: number): number;
  /** Runs the rollup job as the job runner does. */
  rollup(now?: number): Promise<void>;
}

export const analyticsApp = async (db: TestDatabase): Promise<AnalyticsApp> => analyticsOf(await makeApp(db));

/** The analytics helpers around an app (a browser test's served one too). */
export function analyticsOf(app: TestApp): AnalyticsApp {
  const rt = app.app.ruche;
  const today = dayOf(Date.now());
  return {
    ...app,
    rt,
    db: rt.db,
    events: [],
    root: rt.networks.root().id,
    today,
    at: (daysAgo, hours = 12) => (today - daysAgo) * DAY_MS + hours * HOUR,
    async rollup(now = Date.now()) {
      await rt.jobs.ensureRecurring(now);
      await rt.jobs.runDue({ now });
      const job = await rt.db('jobs').where({ kind: ROLLUP_JOB }).orderBy('id', 'desc').first();
      if (job?.last_error) throw new Error(`the rollup failed: ${job.last_error}`);
    },
  };
}

export const eachAnalyticsApp = eachAppOf(analyticsApp);

export interface World {
  ids: Record<'admin' | 'alice' | 'bob' | 'carol' | 'dave' | 'erin', number>;
  group: number;
  s1: number;
  s2: number;
  t1: number;
  t2: number;
  t3: number;
}

/**
 * The hand-computed world (T is today; hours are UTC):
 *
 * | day   | acts (activity rows)                                               | views            |
 * | T-40  | dave starts t3 (10:00), bob replies (10:30)                        | bob, dave        |
 * | T-10  | carol posts s2, dave likes s2                                      | dave             |
 * | T-8   | alice posts s1 in Choir                                            |                  |
 * | T-3   | bob starts t1 in Choir (10:00), alice replies (12:00)              | alice, bob       |
 * | T-2   | bob likes s1                                                       | alice, bob       |
 * | T-1   | carol comments s1, starts t2 (09:00) and replies to herself (10:00) | carol           |
 * | T     |                                                                    | admin, dave (pages) |
 *
 * Alice reads in French. Erin is suspended (not an active account); one invitation is sent today.
 */
export async function buildWorld(app: AnalyticsApp): Promise<World> {
  const { rt } = app;
  const alice = await createMember(rt, 'alice', { displayName: 'Alice', locale: 'fr' });
  const bob = await createMember(rt, 'bob', { displayName: 'Bob' });
  const carol = await createMember(rt, 'carol', { displayName: 'Carol' });
  const dave = await createMember(rt, 'dave', { displayName: 'Dave' });
  const erin = await createMember(rt, 'erin', { displayName: 'Erin' });
  await rt.db('users').where({ id: erin }).update({ status: 'suspended' });
  const admin = Number((await rt.db('users').where({ username_lower: 'admin' }).first('id')).id);
  const founder = pageAgent(await signedIn(app, 'alice'), '/groups/new');
  const group = await formGroup(founder, rt, { name: 'Choir', description: '', category: 'social', visibility: 'open' }, [bob]);
  await rt.pluginState.enable('analytics', app.root);

  const entity = (type: string, ownerId: number, daysAgo: number, containerId: number | null = null, hours = 12) =>
    rt.entities.create({ type, ownerId, networkId: app.root, access: 'network', containerId, createdAt: app.at(daysAgo, hours) });
  const act = (verb: string, actorId: number, entityId: number, daysAgo: number, hours = 12) =>
    rt.activity.record({ verb, actorId, entityId, networkId: app.root, at: app.at(daysAgo, hours) });

  const t3 = await entity('topic', dave, 40, null, 10);
  await act('started', dave, t3, 40, 10);
  await act('replied', bob, t3, 40, 10.5);
  const s2 = await entity('status', carol, 10);
  await act('posted', carol, s2, 10);
  await act('liked', dave, s2, 10);
  const s1 = await entity('status', alice, 8, group);
  await act('posted', alice, s1, 8);
  const t1 = await entity('topic', bob, 3, group, 10);
  await act('started', bob, t1, 3, 10);
  await act('replied', alice, t1, 3, 12);
  await act('liked', bob, s1, 2);
  await act('commented', carol, s1, 1);
  const t2 = await entity('topic', carol, 1, null, 9);
  await act('started', carol, t2, 1, 9);
  await act('replied', carol, t2, 1, 10);

  const counter = rt.container.resolve(ViewCounter);
  const views: [number, number][] = [
    [bob, 40],
    [dave, 40],
    [dave, 10],
    [alice, 3],
    [bob, 3],
    [alice, 2],
    [bob, 2],
    [carol, 1],
  ];
  for (const [userId, daysAgo] of views) await counter.count({ networkId: app.root, userId, at: app.at(daysAgo) });
  await rt.links.issue('invitation', null, { email: 'zoe@example.com', networkId: app.root });
  return { ids: { admin, alice, bob, carol, dave, erin }, group, s1, s2, t1, t2, t3 };
}

/**
 * The days export of the world over the 7 days to `today` (period=7), without its heading: date,
 * active, active over 7 days, over 28 days, contributions, comments and replies, reactions.
 */
export function worldDays(today: number): string[][] {
  return [
    [dateOfDay(today - 6), '0', '3', '3', '0', '0', '0'],
    [dateOfDay(today - 5), '0', '3', '3', '0', '0', '0'],
    [dateOfDay(today - 4), '0', '3', '3', '0', '0', '0'],
    [dateOfDay(today - 3), '2', '2', '4', '1', '1', '0'],
    [dateOfDay(today - 2), '2', '2', '4', '0', '0', '1'],
    [dateOfDay(today - 1), '1', '3', '4', '1', '2', '0'],
    [dateOfDay(today), '2', '5', '5', '0', '0', '0'],
  ];
}

/** A CSV (as tableCsv writes it) as rows of cells. */
export function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted && c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = !quoted;
        else if (c === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += c;
      }
      cells.push(cell);
      return cells;
    });
}

/**
 * A "Site" choice field (Lyon, Paris) of the world: Alice and Bob in Lyon, Carol and the admin
 * in Paris, Dave none; Erin (suspended) in Lyon. Its id.
 */
export async function addSiteField(app: AnalyticsApp, w: World): Promise<number> {
  const [site] = await app
    .db('profile_fields')
    .insert({ key: 'site', label_en: 'Site', label_fr: 'Site', type: 'choice', choices: '["Lyon","Paris"]', visibility: 'members', position: 0 })
    .returning('id');
  const siteId = Number(typeof site === 'object' ? site.id : site);
  const values: [number, string][] = [
    [w.ids.alice, 'Lyon'],
    [w.ids.bob, 'Lyon'],
    [w.ids.erin, 'Lyon'],
    [w.ids.carol, 'Paris'],
    [w.ids.admin, 'Paris'],
  ];
  await app.db('profile_values').insert(values.map(([user_id, value]) => ({ user_id, field_id: siteId, value })));
  return siteId;
}
