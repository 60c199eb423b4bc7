/**
 * A group's file library under load: a temporary SQLite install with the files plugin, a group
 * of 50 members holding 10,000 files (entities and rows bulk-inserted in chunked transactions,
 * spread over 20 folders and the top level), then the reads of the library's first page — the
 * page of files through the access clause, the group's usage and its folders — timed N times
 * as a member of the group, then a search sorted by name and a page far down by its cursor.
 * Prints median and p95 (target: median < 30 ms).
 *
 *   npm run bench:files              (N=200)
 *   BENCH_FILES=20000 BENCH_RUNS=500 npm run bench:files
 */
import { performance } from 'node:perf_hooks';
import { FilesService } from '../plugins/files/service';
import { medianP95, withScratchInstall, timeRuns } from './lib/scratch';

const FILES = Number(process.env.BENCH_FILES) || 10_000;
const RUNS = Number(process.env.BENCH_RUNS) || 200;
const CHUNK = 200;

async function main(): Promise<void> {
  await withScratchInstall('files', async (rt) => {
    await rt.pluginState.enable('files');
    const db = rt.db;
    const networkId = rt.networks.root().id;
    const now = Date.now();
    const members: number[] = [];
    for (let i = 0; i < 50; i++) {
      const made = await rt.users.create({ username: `member${i}`, email: `member${i}@example.com`, password: 'violet staple engine 7' }, 'member');
      if (!('id' in made)) throw new Error('no member');
      members.push(made.id);
    }
    const groupId = await rt.entities.create({ type: 'bench_group', ownerId: members[0], networkId, access: 'network' });
    await db('container_members').insert(
      members.map((user_id, i) => ({ container_id: groupId, user_id, role: i === 0 ? 'admin' : 'member', created_at: now })),
    );
    const folders: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [row] = await db('files_folders')
        .insert({ container_id: groupId, parent_id: null, owner_id: members[0], name: `Folder ${i}`, created_at: now })
        .returning('id');
      folders.push(Number(typeof row === 'object' ? row.id : row));
    }
    const t0 = performance.now();
    for (let start = 0; start < FILES; start += CHUNK) {
      await db.transaction(async (trx) => {
        for (let i = start; i < Math.min(FILES, start + CHUNK); i++) {
          const at = now - (FILES - i) * 60_000;
          const id = await rt.entities.create(
            { type: 'file', ownerId: members[i % members.length], networkId, access: 'group', containerId: groupId, createdAt: at },
            trx,
          );
          await trx('files_items').insert({
            entity_id: id,
            name: `Document ${(i * 7919) % FILES}.pdf`,
            folder_id: i % 3 === 0 ? null : folders[i % folders.length],
            size: 10_000 + ((i * 31) % 5_000_000),
            mime: 'application/pdf',
            kind: 'document',
            key: `files/bench/${id}/file`,
            batch_id: id,
            created_at: at,
          });
        }
      });
    }
    process.stdout.write(`inserted ${FILES} files in a group library in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const svc = rt.container.resolve(FilesService);
    const viewer = (await rt.users.viewer(members[7]))!;
    const firstPage = async (): Promise<number> => {
      const [page] = await Promise.all([
        svc.list(viewer, networkId, { containerId: groupId, folderId: null, sort: 'date' }),
        svc.used({ containerId: groupId }),
        svc.folders(groupId, null),
      ]);
      return page.items.length;
    };
    if ((await firstPage()) !== 30) throw new Error('the first page is not full');
    for (let i = 0; i < 10; i++) await firstPage();
    const times = await timeRuns(RUNS, firstPage);
    process.stdout.write(
      `group library first page (30 of ${FILES} files, usage, folders), ${RUNS} runs: ${medianP95(times)} (target: median < 30 ms)\n`,
    );
    for (const [label, fn] of [
      ['list', () => svc.list(viewer, networkId, { containerId: groupId, folderId: null, sort: 'date' })],
      ['used', () => svc.used({ containerId: groupId })],
      ['folders', () => svc.folders(groupId, null)],
    ] as const) {
      const part = await timeRuns(30, fn as () => Promise<unknown>);
      process.stdout.write(`  ${label}: ${medianP95(part)}\n`);
    }
    const byName = await timeRuns(Math.min(RUNS, 50), () => svc.list(viewer, networkId, { containerId: groupId, sort: 'name', q: 'document 12' }));
    process.stdout.write(`search by name, sorted by name, ${byName.length} runs: ${medianP95(byName)}\n`);
    // A page far into the library (keyset: after the sort key of the file nine tenths of the way down).
    const far = (await db('entities')
      .where({ container_id: groupId, type: 'file' })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .offset(Math.floor(FILES * 0.9))
      .first('created_at', 'id')) as { created_at: number; id: number };
    const after = [Number(far.created_at), Number(far.id)];
    const deep = await timeRuns(Math.min(RUNS, 50), () => svc.list(viewer, networkId, { containerId: groupId, sort: 'date', cursor: { after } }));
    process.stdout.write(`a page nine tenths of the way down (newest first, by cursor), ${deep.length} runs: ${medianP95(deep)}\n`);
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
