/**
 * The analytics plugin's seeder (manifest `seed`): where it is enabled in the root network,
 * `ruche seed --bench` writes three years of page views (bench-views.ts) beside the
 * reactions, comments and posts the other seeders write; the rollup job turns them into the
 * dashboard's figures at the first start. The demo turns the plugin on in its network
 * (`demoEnables`: a community manager's demo has a dashboard) and, once everything else is
 * written, counts eight weeks of views up to each member's last activity and rolls them up
 * with the demo's activity, so the dashboard is full at the first view.
 */
import { defineSeeder } from '../../seeding';
import { writeBenchViews } from './bench-views';
import { rollupNetwork } from './rollup';
import { dayOf } from './verbs';

/** Eight weeks: the default period (28 days) and the one it is compared with. */
const DEMO_DAYS = 56;

export const seeder = defineSeeder({
  demoEnables: true,
  bench: () => ({
    async finish(b) {
      b.count('analytics views', await writeBenchViews(b.db, b.rootId, b.clock.start, b.clock.end, 22));
    },
  }),
  demo: () => ({
    async finish(d) {
      const now = Date.now();
      const last = (await d
        .db('users')
        .whereIn(
          'id',
          d.people.map((p) => p.id),
        )
        .select('id', 'last_active_at')) as { id: unknown; last_active_at: unknown }[];
      const lastDays = new Map(last.filter((r) => r.last_active_at !== null).map((r) => [Number(r.id), dayOf(Number(r.last_active_at))]));
      d.count('analytics views', await writeBenchViews(d.db, d.rootId, now - DEMO_DAYS * 86_400_000, now, 22, lastDays));
      d.count('analytics days rolled up', await rollupNetwork(d.db, d.rootId, now));
    },
  }),
});
