/**
 * The daily rollups, maintained by the recurring job `analytics.rollup`: for each network
 * where analytics is enabled, every day since the last one rolled up (that one again: it may
 * have been partial) is recomputed from `analytics_views` and the core's `activity` rows, in
 * one transaction per day. The dashboard reads only these tables, never the activity itself.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';
import { COMMENT_VERBS, CONTRIBUTE_VERBS, DAY_MS, dayOf, PARTICIPATE_VERBS, REACTION_VERBS, REPLY_VERB, TOPIC_VERB } from './verbs';

export const PLUGIN_ID = 'analytics';
/** Discussions whose first reply is looked for again at each run (older ones keep what they had). */
export const TOPIC_WINDOW_DAYS = 90;

const marks = (list: readonly string[]): string => list.map(() => '?').join(', ');
/** The acts that count (joining a group or connecting with someone is neither participating nor contributing). */
const COUNTED_VERBS = [...PARTICIPATE_VERBS, ...CONTRIBUTE_VERBS];

/** `case when verb in (...) then 1 else 0 end`, with its bindings. */
function countOf(verbs: readonly string[]): [string, string[]] {
  return [`case when verb in (${marks(verbs)}) then 1 else 0 end`, [...verbs]];
}

/** The acts columns (participations, contributions, comments, reactions) of activity rows. */
function actColumns(): [string, string[]] {
  const parts = [countOf(PARTICIPATE_VERBS), countOf(CONTRIBUTE_VERBS), countOf(COMMENT_VERBS), countOf(REACTION_VERBS)];
  return [parts.map(([sql]) => sql).join(', '), parts.flatMap(([, b]) => b)];
}

/** Rolls up one network's day `day` (replacing what was there). */
export async function rollupDay(trx: Knex, networkId: number, day: number): Promise<void> {
  const lo = day * DAY_MS;
  const hi = lo + DAY_MS;
  for (const table of ['analytics_member_days', 'analytics_days', 'analytics_content_days'])
    await trx(table).where({ network_id: networkId, day }).delete();
  const [acts, actBindings] = actColumns();
  const cols = 'network_id, container_id, day, user_id, viewed, participations, contributions, comments, reactions';
  const sums = 'max(viewed), sum(p), sum(c), sum(cm), sum(r)';
  // The whole network (container 0): members served a page that day, and everyone who acted.
  await trx.raw(
    `insert into analytics_member_days (${cols})
     select cast(? as integer), 0, cast(? as integer), user_id, ${sums} from (
       select user_id, 1 as viewed, 0 as p, 0 as c, 0 as cm, 0 as r from analytics_views where network_id = ? and day = ?
       union all
       select actor_id, 0, ${acts} from activity where network_id = ? and created_at >= ? and created_at < ? and verb in (${marks(COUNTED_VERBS)})
     ) x group by user_id`,
    [networkId, day, networkId, day, ...actBindings, networkId, lo, hi, ...COUNTED_VERBS],
  );
  // Each group: its members served a page of the network that day, and their acts inside it
  // (a group's figures are its members': the share of them who read, take part, contribute).
  await trx.raw(
    `insert into analytics_member_days (${cols})
     select cast(? as integer), container_id, cast(? as integer), user_id, ${sums} from (
       select cm.container_id, v.user_id, 1 as viewed, 0 as p, 0 as c, 0 as cm, 0 as r
         from analytics_views v
         join container_members cm on cm.user_id = v.user_id
         join entities g on g.id = cm.container_id and g.network_id = v.network_id and g.deleted_at is null
         where v.network_id = ? and v.day = ?
       union all
       select a.container_id, a.actor_id, 0, ${acts.replace(/verb/g, 'a.verb')} from activity a
         join container_members m on m.container_id = a.container_id and m.user_id = a.actor_id
         where a.network_id = ? and a.created_at >= ? and a.created_at < ? and a.verb in (${marks(COUNTED_VERBS)})
     ) x group by container_id, user_id`,
    [networkId, day, networkId, day, ...actBindings, networkId, lo, hi, ...COUNTED_VERBS],
  );
  // The day's figures, DAU/WAU/MAU over the trailing 1, 7 and 28 days.
  await trx.raw(
    `insert into analytics_days (network_id, container_id, day, dau, wau, mau, contributions, comments, reactions)
     select cast(? as integer), container_id, cast(? as integer),
       count(distinct case when day = ? then user_id end),
       count(distinct case when day >= ? then user_id end),
       count(distinct user_id),
       sum(case when day = ? then contributions else 0 end),
       sum(case when day = ? then comments else 0 end),
       sum(case when day = ? then reactions else 0 end)
     from analytics_member_days where network_id = ? and day > ? and day <= ?
     group by container_id`,
    [networkId, day, day, day - 6, day, day, day, networkId, day - 28, day],
  );
  const [participate, participateBindings] = [marks(PARTICIPATE_VERBS), [...PARTICIPATE_VERBS]];
  await trx.raw(
    `insert into analytics_content_days (network_id, day, entity_id, container_id, acts)
     select cast(? as integer), cast(? as integer), entity_id, coalesce(max(container_id), 0), count(*) from activity
     where network_id = ? and created_at >= ? and created_at < ? and verb in (${participate})
     group by entity_id`,
    [networkId, day, networkId, lo, hi, ...participateBindings],
  );
}

/** Each discussion started since `since`, with its first reply by someone else than its author. */
export async function rollupTopics(trx: Knex, networkId: number, since: number): Promise<void> {
  await trx('analytics_topics').where('network_id', networkId).where('started_at', '>=', since).delete();
  await trx.raw(
    `insert into analytics_topics (entity_id, network_id, container_id, started_at, first_reply_at)
     select a.entity_id, cast(? as integer), coalesce(a.container_id, 0), a.created_at,
       (select min(r.created_at) from activity r where r.entity_id = a.entity_id and r.verb = ? and r.actor_id <> a.actor_id)
     from activity a where a.network_id = ? and a.verb = ? and a.created_at >= ?`,
    [networkId, REPLY_VERB, networkId, TOPIC_VERB, since],
  );
}

/** The first day worth rolling up in a network never rolled up: its first view or act, else today. */
async function firstDay(db: Knex, networkId: number, today: number): Promise<number> {
  const view = await db('analytics_views').where('network_id', networkId).min<{ d: number | null }[]>('day as d').first();
  const act = await db('activity').where('network_id', networkId).min<{ t: number | string | null }[]>('created_at as t').first();
  const days = [view?.d, act?.t === null || act?.t === undefined ? null : dayOf(Number(act.t))].filter(
    (d): d is number => d !== null && d !== undefined,
  );
  return days.length ? Math.min(today, ...days.map(Number)) : today;
}

/** Brings one network's rollups up to `now`; returns how many days it computed. */
export async function rollupNetwork(db: Knex, networkId: number, now: number): Promise<number> {
  const today = dayOf(now);
  const state = (await db('analytics_rollup').where('network_id', networkId).first()) as { last_day: number } | undefined;
  const from = state ? Math.min(Number(state.last_day), today) : await firstDay(db, networkId, today);
  for (let day = from; day <= today; day++) await db.transaction((trx) => rollupDay(trx, networkId, day));
  await db.transaction(async (trx) => {
    await rollupTopics(trx, networkId, state ? now - TOPIC_WINDOW_DAYS * DAY_MS : 0);
    await trx('analytics_rollup').insert({ network_id: networkId, last_day: today }).onConflict('network_id').merge({ last_day: today });
  });
  return today - from + 1;
}

/** The job: every network where the plugin is enabled. */
export async function rollupAll(rt: Runtime, now: number): Promise<void> {
  for (const network of rt.networks.all()) {
    if (rt.pluginState.isEnabled(PLUGIN_ID, network.id)) await rollupNetwork(rt.db, network.id, now);
  }
}
