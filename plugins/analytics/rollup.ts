/**
 * The daily rollups, maintained by the recurring job `analytics.rollup`: for each network
 * where analytics is enabled, every day since the last one rolled up (that one again: it may
 * have been partial) is recomputed from `analytics_views` and the core's `activity` rows,
 * up to CHUNK_DAYS days per transaction and one statement per table for all of them. The dashboard reads only these tables, never the activity itself.
 */
import type { Knex } from 'knex';
import { BOT_KIND, type Runtime } from '../../core';
import { actsColumn, LONGEST_WINDOW, setColumn, SETS, WINDOW_COLUMNS, WINDOWS, type SetName } from './windows';
import { rollupContentTotals } from './contents';
import { rollupMonths } from './months';
import { rollupWeeks } from './weeks';
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

/** Days rolled up in one transaction (the first rollup of a site with years of history goes chunk by chunk). */
export const CHUNK_DAYS = 92;

/** `cast(created_at / DAY_MS as integer)`: an activity row's UTC day, in SQL (integer division on both databases). */
const DAY_OF = (column: string): string => `cast(${column} / ${DAY_MS} as integer)`;

/** The member-days each set is counted from (`rows_of`: all of them, active), with each member's next such day. */
const SET_FILTERS: Record<SetName, string> = { active: '1 = 1', participating: 'participated = 1', contributing: 'contributions > 0' };
/** One running column per set and window: how many members of the set have a span open that day. */
const SPAN_COLUMNS = SETS.flatMap((set) => WINDOWS.map((w) => setColumn(set, w)));

/** Bots (service accounts, core `users.kind`) are not people: their views and acts count in no figure (days, contents, discussions). */
const NOT_A_BOT = (column: string): string => `${column} not in (select id from users where kind = ?)`;

/** A CTE per set: its member-days, each with the member's next day in the set. */
function spanSources(): string {
  return SETS.map(
    (set) =>
      `${set}_days as (
       select container_id, day, contributions, comments, reactions,
         lead(day) over (partition by container_id, user_id order by day) as next_day
       from rows_of where ${SET_FILTERS[set]}
     )`,
  ).join(',\n     ');
}

/**
 * The events the running sums add up: each member-day of a set opens a span of each window
 * (+1 that day) that closes (-1) at the member's next day in the set or when the window has
 * passed, whichever comes first. The active days also carry DAU and the day's acts.
 */
function spanEvents(): string {
  const closing = (column: string): string => SPAN_COLUMNS.map((c) => (c === column ? '-1' : '0')).join(', ');
  const starts = SETS.map((set) => {
    const opens = SPAN_COLUMNS.map((c) => `${c.startsWith(`${set}_`) ? 1 : 0} as ${c}`).join(', ');
    const day = set === 'active' ? '1 as dd, contributions as co, comments as cm, reactions as re' : '0 as dd, 0 as co, 0 as cm, 0 as re';
    return `select container_id, day as d, ${day}, ${opens} from ${set}_days`;
  });
  const ends = SETS.flatMap((set) =>
    WINDOWS.map(
      (w) =>
        `select container_id, case when next_day < day + ${w} then next_day else day + ${w} end, 0, 0, 0, 0, ${closing(setColumn(set, w))} from ${set}_days`,
    ),
  );
  return [...starts, ...ends].join('\n       union all\n       ');
}

/**
 * Rolls up one network's days `from` to `to` (replacing what was there), each table in one
 * statement for the whole range. The active members over the trailing 7 and 28 days are
 * counted without reading 28 days again for each day: each member-day opens a span of 7 (28)
 * days that closes at the member's next active day, so the spans of one member never overlap,
 * and a day's WAU (MAU) is the number of spans open on it — a running sum of +1 at each start
 * and -1 at each end, over the days of the range.
 */
export async function rollupDays(trx: Knex, networkId: number, from: number, to: number): Promise<void> {
  const lo = from * DAY_MS;
  const hi = (to + 1) * DAY_MS;
  for (const table of ['analytics_member_days', 'analytics_days', 'analytics_content_days'])
    await trx(table).where({ network_id: networkId }).whereBetween('day', [from, to]).delete();
  const [acts, actBindings] = actColumns();
  const cols = 'network_id, container_id, day, user_id, viewed, participations, contributions, comments, reactions';
  const sums = 'max(viewed), sum(p), sum(c), sum(cm), sum(r)';
  // The whole network (container 0): members served a page that day, and everyone who acted.
  await trx.raw(
    `insert into analytics_member_days (${cols})
     select cast(? as integer), 0, day, user_id, ${sums} from (
       select day, user_id, 1 as viewed, 0 as p, 0 as c, 0 as cm, 0 as r from analytics_views where network_id = ? and day >= ? and day <= ? and ${NOT_A_BOT('user_id')}
       union all
       select ${DAY_OF('created_at')}, actor_id, 0, ${acts} from activity
         where network_id = ? and created_at >= ? and created_at < ? and verb in (${marks(COUNTED_VERBS)}) and ${NOT_A_BOT('actor_id')}
     ) x group by day, user_id`,
    [networkId, networkId, from, to, BOT_KIND, ...actBindings, networkId, lo, hi, ...COUNTED_VERBS, BOT_KIND],
  );
  // Each group: its members served a page of the network that day, and their acts inside it
  // (a group's figures are its members': the share of them who read, take part, contribute).
  await trx.raw(
    `insert into analytics_member_days (${cols})
     select cast(? as integer), container_id, day, user_id, ${sums} from (
       select cm.container_id, v.day, v.user_id, 1 as viewed, 0 as p, 0 as c, 0 as cm, 0 as r
         from analytics_views v
         join container_members cm on cm.user_id = v.user_id
         join entities g on g.id = cm.container_id and g.network_id = v.network_id and g.deleted_at is null
         where v.network_id = ? and v.day >= ? and v.day <= ? and ${NOT_A_BOT('v.user_id')}
       union all
       select a.container_id, ${DAY_OF('a.created_at')}, a.actor_id, 0, ${acts.replace(/verb/g, 'a.verb')} from activity a
         join container_members m on m.container_id = a.container_id and m.user_id = a.actor_id
         where a.network_id = ? and a.created_at >= ? and a.created_at < ? and a.verb in (${marks(COUNTED_VERBS)}) and ${NOT_A_BOT('a.actor_id')}
     ) x group by container_id, day, user_id`,
    [networkId, networkId, from, to, BOT_KIND, ...actBindings, networkId, lo, hi, ...COUNTED_VERBS, BOT_KIND],
  );
  // The weeks of these days, summed again from their member-days (weeks.ts).
  await rollupWeeks(trx, networkId, from, to);
  // And their months (months.ts).
  await rollupMonths(trx, networkId, from, to);
  // The days' figures: DAU, the day's acts, and over the trailing windows (7, 28, 90 days)
  // the members active, participating and contributing (spans, see above; WAU and MAU are the
  // active ones over 7 and 28 days) and the acts, for every container with someone active over
  // its trailing 90 days.
  const back = LONGEST_WINDOW - 1;
  await trx.raw(
    `insert into analytics_days (network_id, container_id, day, dau, wau, mau, contributions, comments, reactions, ${WINDOW_COLUMNS.join(', ')})
     with recursive series(d) as (
       select cast(? as integer) union all select d + 1 from series where d < ?
     ),
     rows_of as (
       select container_id, day, user_id, contributions, comments, reactions,
         case when participations > 0 or contributions > 0 then 1 else 0 end as participated
       from analytics_member_days where network_id = ? and day >= ? and day <= ?
     ),
     ${spanSources()},
     events as (
       ${spanEvents()}
     ),
     per_day as (
       select container_id, d, sum(dd) as dd, sum(co) as co, sum(cm) as cm, sum(re) as re,
         ${SPAN_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ')}
       from events group by container_id, d
     ),
     grid as (
       select c.container_id, s.d from (select distinct container_id from rows_of) c cross join series s
     ),
     running as (
       select g.container_id, g.d, coalesce(p.dd, 0) as dau,
         coalesce(p.co, 0) as co, coalesce(p.cm, 0) as cm, coalesce(p.re, 0) as re,
         ${SPAN_COLUMNS.map((c) => `sum(coalesce(p.${c}, 0)) over (partition by g.container_id order by g.d) as ${c}`).join(',\n         ')},
         ${WINDOWS.map(
           (w) =>
             `sum(coalesce(p.co, 0) + coalesce(p.cm, 0) + coalesce(p.re, 0)) over (partition by g.container_id order by g.d rows between ${w - 1} preceding and current row) as ${actsColumn(w)}`,
         ).join(',\n         ')}
       from grid g left join per_day p on p.container_id = g.container_id and p.d = g.d
     )
     select cast(? as integer), container_id, d, dau, ${setColumn('active', 7)}, ${setColumn('active', 28)}, co, cm, re, ${WINDOW_COLUMNS.join(', ')}
     from running where d >= ? and ${setColumn('active', LONGEST_WINDOW)} > 0`,
    [from - back, to, networkId, from - back, to, networkId, from],
  );
  const [participate, participateBindings] = [marks(PARTICIPATE_VERBS), [...PARTICIPATE_VERBS]];
  await trx.raw(
    `insert into analytics_content_days (network_id, day, entity_id, container_id, acts)
     select cast(? as integer), ${DAY_OF('created_at')}, entity_id, coalesce(max(container_id), 0), count(*) from activity
     where network_id = ? and created_at >= ? and created_at < ? and verb in (${participate}) and ${NOT_A_BOT('actor_id')}
     group by ${DAY_OF('created_at')}, entity_id`,
    [networkId, networkId, lo, hi, ...participateBindings, BOT_KIND],
  );
  // The bounds of the contents with acts on these days (contents.ts).
  await rollupContentTotals(trx, networkId, from);
}

/**
 * Adds the network's final days [from, to] (days before the last one rolled up, never rolled
 * up again) to `analytics_member_last`: each member's last day active, participating and
 * contributing per container. Days are added once each and in order, so a later day replaces
 * the one kept and a set the member was not in over these days keeps its day.
 */
export async function addFinalDays(trx: Knex, networkId: number, from: number, to: number): Promise<void> {
  await trx.raw(
    `insert into analytics_member_last (network_id, container_id, user_id, active_day, participated_day, contributed_day)
     select network_id, container_id, user_id, max(day),
       max(case when participations > 0 or contributions > 0 then day end), max(case when contributions > 0 then day end)
     from analytics_member_days where network_id = ? and day >= ? and day <= ?
     group by network_id, container_id, user_id
     on conflict (network_id, container_id, user_id) do update set
       active_day = excluded.active_day,
       participated_day = coalesce(excluded.participated_day, analytics_member_last.participated_day),
       contributed_day = coalesce(excluded.contributed_day, analytics_member_last.contributed_day)`,
    [networkId, from, to],
  );
}

/** The contents ranked and kept per network and preset window (more than a page's top: some may be hidden from the viewer). */
export const RANKED_CONTENTS = 200;

/**
 * Ranks the network's contents by their acts over each preset window (the last 7, 28, 90 days)
 * ending on `day`, the best RANKED_CONTENTS of each, in the order the dashboard ranks them
 * (acts, then id): the top contents of a preset period are read from here, not summed again.
 */
export async function rankContents(trx: Knex, networkId: number, day: number): Promise<void> {
  await trx('analytics_top_contents').where('network_id', networkId).delete();
  for (const w of WINDOWS)
    await trx.raw(
      `insert into analytics_top_contents (network_id, window_days, day, place, entity_id, acts)
       select cast(? as integer), cast(? as integer), cast(? as integer), row_number() over (order by sum(acts) desc, entity_id), entity_id, sum(acts)
       from analytics_content_days where network_id = ? and day >= ? and day <= ?
       group by entity_id order by sum(acts) desc, entity_id limit ${RANKED_CONTENTS}`,
      [networkId, w, day, networkId, day - w + 1, day],
    );
}

/** Each discussion started since `since` by a person, with its first reply by another person. */
export async function rollupTopics(trx: Knex, networkId: number, since: number): Promise<void> {
  await trx('analytics_topics').where('network_id', networkId).where('started_at', '>=', since).delete();
  await trx.raw(
    `insert into analytics_topics (entity_id, network_id, container_id, started_at, first_reply_at)
     select a.entity_id, cast(? as integer), coalesce(a.container_id, 0), a.created_at,
       (select min(r.created_at) from activity r
         where r.entity_id = a.entity_id and r.verb = ? and r.actor_id <> a.actor_id and ${NOT_A_BOT('r.actor_id')})
     from activity a where a.network_id = ? and a.verb = ? and a.created_at >= ? and ${NOT_A_BOT('a.actor_id')}`,
    [networkId, REPLY_VERB, BOT_KIND, networkId, TOPIC_VERB, since, BOT_KIND],
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
  // Rolled up from the start: the members' last days are computed again too.
  if (!state) await db('analytics_member_last').where('network_id', networkId).delete();
  for (let first = from; first <= today; first += CHUNK_DAYS) {
    const last = Math.min(today, first + CHUNK_DAYS - 1);
    await db.transaction(async (trx) => {
      await rollupDays(trx, networkId, first, last);
      // Today is rolled up again at the next run: the days before it are final.
      if (first <= today - 1) await addFinalDays(trx, networkId, first, Math.min(last, today - 1));
    });
  }
  await db.transaction(async (trx) => {
    await rollupTopics(trx, networkId, state ? now - TOPIC_WINDOW_DAYS * DAY_MS : 0);
    await rankContents(trx, networkId, today);
    // A new run: the figures kept from the last one are stale (memo.ts).
    await trx('analytics_rollup')
      .insert({ network_id: networkId, last_day: today, runs: 1 })
      .onConflict('network_id')
      .merge({ last_day: today, runs: trx.raw('?? + 1', ['analytics_rollup.runs']) });
  });
  return today - from + 1;
}

/** The job: every network where the plugin is enabled. */
export async function rollupAll(rt: Runtime, now: number): Promise<void> {
  for (const network of rt.networks.all()) {
    if (rt.pluginState.isEnabled(PLUGIN_ID, network.id)) await rollupNetwork(rt.db, network.id, now);
  }
}
