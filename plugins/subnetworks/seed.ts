/**
 * The subnetworks plugin's seeder (manifest `seed`). Bench: up to three office
 * sub-networks, each with about a third of the members living in its time zone.
 */
import { defineSeeder } from '../../seeding';

const SUBNETS = [
  { slug: 'bench-lyon', name: 'Lyon plant', zone: 1 },
  { slug: 'bench-montreal', name: 'Montréal office', zone: -5 },
  { slug: 'bench-singapore', name: 'Singapore office', zone: 8 },
];

export const seeder = defineSeeder({
  bench: () => ({
    /** The sub-networks (kept when they exist already, e.g. after a failed run) and who belongs where. */
    async networks(b) {
      const count = Math.min(3, Math.max(1, Math.floor(b.plan.members / 1_000)));
      for (const s of SUBNETS.slice(0, count)) {
        const n = b.rt.networks.slug(s.slug) ?? (await b.rt.networks.create({ slug: s.slug, name: s.name, joinPolicy: 'open' }));
        b.subnets.id.push(n.id);
        b.subnets.slug.push(n.slug);
        b.subnets.members.push([]);
      }
      const m = b.members;
      for (let i = 0; i < m.n; i++) {
        b.subnets.members.forEach((list, s) => {
          if (m.tz[i] === SUBNETS[s].zone && (i === m.login || b.rng.chance(0.3))) {
            list.push(i);
            m.subnets[i].push(s);
          }
        });
      }
      b.count('subnetworks', count);
    },
  }),
});
