/**
 * Member directory under load: a temporary SQLite install with 10,000 members (profiles and
 * three admin-defined extra fields, bulk-inserted in chunked transactions), then a filtered
 * directory search (an extra field, a built-in column, sorted by name, first page, count
 * included) through the plugin's service function, timed N times. Prints median and p95.
 *
 *   npm run bench:directory            (N=200)
 *   BENCH_RUNS=500 npm run bench:directory
 */
import { performance } from 'node:perf_hooks';
import { searchDirectory } from '../plugins/connections/directory';
import { addProfileFields, seedMembers } from './lib/members';
import { medianP95, withScratchInstall, timeRuns, runScript } from './lib/scratch';
import { builtinClause, extraClause, type ExtraField } from '../plugins/connections/filters';

const MEMBERS = Number(process.env.BENCH_MEMBERS) || 10_000;
const RUNS = Number(process.env.BENCH_RUNS) || 200;
const CAMPS = Array.from({ length: 20 }, (_, i) => `Camp ${i + 1}`);
const DEPARTMENTS = ['Logistics', 'Bar', 'Security', 'Stage', 'Medical', 'Catering', 'Artists', 'Press'];
const SKILLS = ['Rigging', 'First aid', 'Driving', 'Cooking', 'Sound', 'Lighting', 'Welding', 'Translation'];

async function main(): Promise<void> {
  await withScratchInstall('dir', async (rt) => {
    const db = rt.db;
    const t0 = performance.now();
    const fieldIds = await addProfileFields(db, [
      { key: 'camp', type: 'choice', choices: CAMPS },
      { key: 'flight', visibility: 'connections' },
      { key: 'arrival', type: 'date', visibility: 'network' },
    ]);
    const now = Date.now();
    await seedMembers(db, MEMBERS, {
      user: (i) => ({ display_name: `Member ${(i * 7919) % MEMBERS}`, status: i % 97 === 0 ? 'suspended' : 'active' }),
      rows: (i, id) => ({
        profiles: [
          {
            user_id: id,
            headline: '',
            department: DEPARTMENTS[i % DEPARTMENTS.length],
            location: `City ${i % 50}`,
            languages: 'English, French',
            skills: `${SKILLS[i % SKILLS.length]}, ${SKILLS[(i * 3) % SKILLS.length]}`,
            about: '',
            updated_at: now,
          },
        ],
        profile_values: [
          { user_id: id, field_id: fieldIds[0], value: CAMPS[i % CAMPS.length] },
          { user_id: id, field_id: fieldIds[1], value: `AF ${1000 + (i % 400)}` },
          { user_id: id, field_id: fieldIds[2], value: `2026-07-${String(10 + (i % 5)).padStart(2, '0')}` },
        ],
      }),
    });
    process.stdout.write(`inserted ${MEMBERS} members with profiles and 3 extra fields in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const viewer = (await rt.users.viewer((await db('users').where({ username: 'member5' }).first('id')).id))!;
    const camp = (await db('profile_fields').where({ key: 'camp' }).first()) as ExtraField;
    const reader = { db, access: rt.access, viewer };
    const search = () =>
      searchDirectory(db, {
        networkId: 1,
        viewer,
        sort: 'name',
        filters: [extraClause(reader, { ...camp, id: Number(camp.id) }, 'Camp 8'), builtinClause(reader, 'skills', 'first aid')],
      });
    const check = await search();
    process.stdout.write(
      `search: camp = "Camp 8" and skills has "first aid", sorted by name → ${check.total} members, ${check.items.length} on page 1\n`,
    );
    for (let i = 0; i < 10; i++) await search(); // warm-up
    const times = await timeRuns(RUNS, search);
    process.stdout.write(`directory search over ${MEMBERS} members, ${RUNS} runs: ${medianP95(times)} (target: median < 50 ms)\n`);
    // For information: a broad filter (one department, about 1,250 members) sorted by most active.
    // Page 3 by keyset: after the last member of page 2.
    const logistics = { networkId: 1, viewer, sort: 'active' as const, filters: [builtinClause(reader, 'department', 'logistics')] };
    const page2 = await searchDirectory(db, { ...logistics, after: (await searchDirectory(db, logistics)).next ?? undefined });
    const broad = () => searchDirectory(db, { ...logistics, after: page2.next ?? undefined });
    const broadTimes = await timeRuns(Math.min(RUNS, 50), broad);
    process.stdout.write(`broad filter sorted by most active, page 3, ${broadTimes.length} runs: ${medianP95(broadTimes)}\n`);
  });
}

runScript('directory', main);
