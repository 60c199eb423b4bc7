import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { databaseKinds, type DbKind } from '../helpers/databases';
import { editJson, tableNames, tampered, targetEnv } from './backup-helpers';
import { assertOneLineError, run, tempDir } from './helpers';
import { installed, type Installed } from './setup';

/** A backup of a fresh install with the demo plugin and one row of it. */
async function archiveOf(t: ExecutionContext, kind: DbKind): Promise<{ source: Installed; file: string }> {
  const source = await installed(t, kind);
  t.is((await source.ruche('plugin', 'enable', 'demo')).code, 0);
  await source.db()('demo_items').insert({ label: 'kept' });
  const file = path.join(tempDir(t), 'site.tar.gz');
  const r = await source.ruche('backup', '--output', file);
  if (r.code !== 0) throw new Error(r.stderr);
  return { source, file };
}

/** A target that must stay untouched: no table appears in its database. */
async function assertUntouched(t: ExecutionContext, target: Installed): Promise<void> {
  t.deepEqual(await tableNames(target.db()), []);
}

for (const kind of databaseKinds()) {
  test(`restore refuses damaged, foreign and newer archives and touches nothing [${kind}]`, async (t) => {
    const { file } = await archiveOf(t, kind);
    const target = await installed(t, kind, { install: false });
    const restore = (archive: string): ReturnType<typeof run> => run(['restore', archive], target.cwd, targetEnv(target));

    assertOneLineError(t, await restore(path.join(target.cwd, 'nope.tar.gz')), /^ruche: cannot restore .*nope\.tar\.gz: there is no such file$/);
    assertOneLineError(t, await restore(target.cwd), /: it is a folder, not a backup archive$/);

    const truncated = path.join(tempDir(t), 'truncated.tar.gz');
    fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, 300));
    assertOneLineError(t, await restore(truncated), /^ruche: cannot restore .*truncated\.tar\.gz: it is not a readable backup archive \(/);

    const noise = path.join(tempDir(t), 'noise.tar.gz');
    fs.writeFileSync(noise, 'this is not an archive at all');
    assertOneLineError(t, await restore(noise), /: it is not a readable backup archive \(/);

    const edited = await tampered(t, file, (dir) => fs.appendFileSync(path.join(dir, 'tables', 'demo_items.jsonl'), '[99,"smuggled"]\n'));
    assertOneLineError(t, await restore(edited), /: tables\/demo_items\.jsonl does not match its checksum: the archive is damaged$/);

    const missing = await tampered(t, file, (dir) => fs.rmSync(path.join(dir, 'tables', 'users.jsonl')));
    assertOneLineError(t, await restore(missing), /: tables\/users\.jsonl is missing from it$/);

    const noManifest = await tampered(t, file, (dir) => fs.rmSync(path.join(dir, 'manifest.json')));
    assertOneLineError(t, await restore(noManifest), /: it has no manifest\.json: not a Ruche backup$/);

    const newer = await tampered(t, file, (dir) => editJson(path.join(dir, 'manifest.json'), (m) => (m.ruche = '99.0.0')));
    assertOneLineError(t, await restore(newer), /: it was written by Ruche 99\.0\.0, newer than this one \(\d+\.\d+\.\d+\); upgrade Ruche first$/);

    const future = await tampered(t, file, (dir) =>
      editJson(path.join(dir, 'manifest.json'), (m) => (m.migrations as Record<string, string[]>).core.push('999_from_the_future')),
    );
    assertOneLineError(
      t,
      await restore(future),
      /: it has migrations of core this install does not know \(999_from_the_future\); upgrade Ruche or the plugin first$/,
    );

    const plugin = await tampered(t, file, (dir) =>
      editJson(path.join(dir, 'manifest.json'), (m) => ((m.migrations as Record<string, string[]>).gone = ['001_x'])),
    );
    assertOneLineError(t, await restore(plugin), /: it needs the plugin "gone", which this install does not have; add the plugin first$/);

    await assertUntouched(t, target);
    t.false(fs.existsSync(path.join(target.cwd, 'data', 'uploads')));

    // The untouched archive still restores into the same target.
    const ok = await restore(file);
    t.is(ok.code, 0, ok.stderr);
    t.deepEqual(await target.db()('demo_items').pluck('label'), ['kept']);
  });

  test(`restore over an installation needs --force and keeps a copy of it first [${kind}]`, async (t) => {
    const { file } = await archiveOf(t, kind);
    const target = await installed(t, kind);
    t.is((await target.ruche('plugin', 'enable', 'demo')).code, 0);
    await target.db()('demo_items').insert({ label: 'replaced' });

    assertOneLineError(
      t,
      await target.ruche('restore', file),
      /: the database is not empty \(it holds an installation\); restore into an empty one, or add --force/,
    );
    t.deepEqual(await target.db()('demo_items').pluck('label'), ['replaced'], 'nothing touched');

    const forced = await target.ruche('restore', file, '--force');
    t.is(forced.code, 0, forced.stderr);
    const kept = /^The installation it replaced was saved to (.+\.tar\.gz)\.$/m.exec(forced.stdout);
    t.truthy(kept, forced.stdout);
    t.deepEqual(await target.db()('demo_items').pluck('label'), ['kept']);

    // The copy is a backup like any other: it brings the replaced installation back.
    const again = await target.ruche('restore', path.resolve(target.cwd, kept![1]), '--force');
    t.is(again.code, 0, again.stderr);
    t.deepEqual(await target.db()('demo_items').pluck('label'), ['replaced']);
  });
}

test('restore and backup refuse wrong arguments with one line', async (t) => {
  const cwd = tempDir(t);
  const env = { RUCHE_SECRET: 's'.repeat(40) };
  assertOneLineError(t, await run(['restore'], cwd, env), /missing required argument 'file'/);
  assertOneLineError(t, await run(['backup', '--bogus'], cwd, env), /unknown option '--bogus'/);
  assertOneLineError(t, await run(['restore', 'a.tar.gz', '--zzz'], cwd, env), /unknown option '--zzz'/);
});
