/**
 * People search with profile fields: a temporary SQLite install with 10,000 members (profiles
 * with a department, a location and a job title; a searchable extra field "site" and one that is
 * not), then the search plugin's people query (a page of 20 and the count, as the People tab
 * asks) timed N times per query. Prints process CPU ms per query (median of runs is wall time,
 * CPU is the total over the runs divided by N: the figure that holds under a loaded machine).
 *
 *   npm run bench:people-search            (N=100)
 */
import { performance } from 'node:perf_hooks';
import { SearchQuery } from '../plugins/search/query';
import { addProfileFields, seedMembers } from './lib/members';
import { medianP95, withScratchInstall, timeRuns, runScript } from './lib/scratch';

const MEMBERS = Number(process.env.BENCH_MEMBERS) || 10_000;
const RUNS = Number(process.env.BENCH_RUNS) || 100;
const DEPARTMENTS = ['Logistique', 'Comptabilité', 'Sécurité', 'Ressources humaines', 'Médical', 'Restauration', 'Presse', 'Achats'];
const TITLES = ['Contrôleur de gestion', 'Chef de projet', 'Ingénieur réseau', 'Assistante', 'Directeur', 'Technicien'];

async function main(): Promise<void> {
  await withScratchInstall('people-search', async (rt) => {
    const db = rt.db;
    const t0 = performance.now();
    const ids = await addProfileFields(db, [
      { key: 'site', searchable: true },
      { key: 'badge', searchable: false },
    ]);
    const now = Date.now();
    await seedMembers(db, MEMBERS, {
      user: (i) => ({ display_name: `Membre ${(i * 7919) % MEMBERS}` }),
      rows: (i, id) => ({
        profiles: [
          {
            user_id: id,
            headline: TITLES[i % TITLES.length],
            department: DEPARTMENTS[i % DEPARTMENTS.length],
            location: `Ville ${i % 50}`,
            languages: '',
            skills: '',
            about: '',
            updated_at: now,
          },
        ],
        profile_values: [
          { user_id: id, field_id: ids[0], value: `Site ${i % 40} Grenoble` },
          { user_id: id, field_id: ids[1], value: `B-${i}` },
        ],
      }),
    });
    process.stdout.write(`inserted ${MEMBERS} members with profiles and 2 extra fields in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const viewer = (await rt.users.viewer((await db('users').where({ username: 'member5' }).first('id')).id))!;
    const withFields = new SearchQuery(rt);
    // For comparison, names only (as before issue 21's profile fields): no plugin answers the fields' filter.
    const hooks = Object.create(rt.hooks) as typeof rt.hooks;
    hooks.filter = (async (_name: string, value: unknown) => value) as typeof rt.hooks.filter;
    const namesOnly = new SearchQuery({ db: rt.db, dialect: rt.dialect, access: rt.access, plugins: rt.plugins, networks: rt.networks, hooks });
    for (const [label, query] of [
      ['with fields', withFields],
      ['names only', namesOnly],
    ] as const)
      for (const q of [['membre', '123'], ['comptabilite', 'ville'], ['controleur'], ['grenoble', 'logistique'], ['zzzz']]) {
        const run = () => query.people(viewer, 1, q, 20);
        const first = await run();
        for (let i = 0; i < 5; i++) await run(); // warm-up
        const cpu = process.cpuUsage();
        const times = await timeRuns(RUNS, run);
        const used = process.cpuUsage(cpu);
        const cpuMs = (used.user + used.system) / 1000 / RUNS;
        process.stdout.write(
          `${label}, "${q.join(' ')}": ${first.total} people; ${RUNS} runs: ${medianP95(times)} wall, ${cpuMs.toFixed(1)} ms CPU per query\n`,
        );
      }
  });
}

runScript('people-search', main);
