import { defineSeeder } from '../../seeding';

/**
 * The search plugin writes no seed data (its index is derived: the bench site builds it with
 * `ruche search reindex` after seeding); it names the search page the bench measures: a
 * two-word query most of the network's posts do not both say.
 */
export const seeder = defineSeeder({
  bench: () => ({
    targets(b) {
      b.page(110, 'search', '/search?q=supplier+audit');
    },
  }),
});
