/**
 * Page views of a believable network over a span of days, for `ruche seed --bench` and the
 * dashboard bench (bench/analytics.ts): each member gets a reading habit drawn once — a few
 * read every working day, more once or twice a week, most now and then — and reads on
 * weekends far less; nobody reads before joining. Written straight into `analytics_views`.
 * With `lastDays` (the demo: each member's last day active, `users.last_active_at`), nobody
 * reads after their last day, and everyone whose last day is in the span reads on it.
 */
import type { Knex } from 'knex';
import { Rng } from '../../seeding';
import { dayOf } from './verbs';

/** Chance of reading on a working day, by habit; weekends are a fifth of it. */
const HABITS = [
  { share: 0.08, weekday: 0.85 },
  { share: 0.27, weekday: 0.2 },
  { share: 0.65, weekday: 0.025 },
];
const CHUNK = 500;

export async function writeBenchViews(
  db: Knex,
  networkId: number,
  fromMs: number,
  toMs: number,
  seed: number,
  lastDays?: ReadonlyMap<number, number>,
): Promise<number> {
  const rng = new Rng(seed);
  const members = (await db('memberships')
    .where('network_id', networkId)
    .whereNot('role', 'guest')
    .orderBy('user_id')
    .select('user_id', 'created_at')) as {
    user_id: number;
    created_at: number | string;
  }[];
  const first = dayOf(fromMs);
  const last = dayOf(toMs);
  let rows: { network_id: number; user_id: number; day: number }[] = [];
  let written = 0;
  const flush = async (): Promise<void> => {
    if (!rows.length) return;
    await db('analytics_views').insert(rows).onConflict(['network_id', 'day', 'user_id']).ignore();
    written += rows.length;
    rows = [];
  };
  for (const m of members) {
    const r = rng.next();
    const habit = r < HABITS[0].share ? HABITS[0] : r < HABITS[0].share + HABITS[1].share ? HABITS[1] : HABITS[2];
    const own = lastDays?.get(Number(m.user_id));
    const until = lastDays ? Math.min(last, own ?? -1) : last;
    for (let day = Math.max(first, dayOf(Number(m.created_at))); day <= until; day++) {
      // Day 0 (1970-01-01) was a Thursday: (day + 4) % 7 is 0 on Sundays, 6 on Saturdays.
      const weekday = (day + 4) % 7;
      const chance = weekday === 0 || weekday === 6 ? habit.weekday / 5 : habit.weekday;
      if (rng.next() >= chance && day !== own) continue;
      rows.push({ network_id: networkId, user_id: Number(m.user_id), day });
      if (rows.length >= CHUNK) await flush();
    }
  }
  await flush();
  return written;
}
