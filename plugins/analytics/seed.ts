/**
 * The analytics plugin's seeder (manifest `seed`): where it is enabled in the root network,
 * `ruche seed --bench` writes three years of page views (bench-views.ts) beside the
 * reactions, comments and posts the other seeders write; the rollup job turns them into the
 * dashboard's figures at the first start. The demo counts a few weeks of views.
 */
import { defineSeeder } from '../../seeding';
import { writeBenchViews } from './bench-views';

export const seeder = defineSeeder({
  bench: () => ({
    async finish(b) {
      b.count('analytics views', await writeBenchViews(b.db, b.rootId, b.clock.start, b.clock.end, 22));
    },
  }),
  demo: () => ({
    async reactions(d) {
      const now = Date.now();
      const rootId = Number((await d.db('networks').whereNull('parent_id').first('id')).id);
      d.count('analytics views', await writeBenchViews(d.db, rootId, now - 28 * 86_400_000, now, 22));
    },
  }),
});
