/**
 * A seeded bench site is not deleted behind the user's back (bench/lib/site.ts): when the seed
 * code changed since it was seeded, the bench stops, says which files changed and how to seed
 * again (--reseed), exits non-zero and leaves the site as it was. Nothing is seeded here: the
 * site is a folder that looks seeded, at the default size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { runBench } from '../helpers/bench';
import { parseOptions, siteDir } from '../../bench/lib/options';
import { currentSeedVersion, ensureSite, ReseedRefused } from '../../bench/lib/site';

/** A site folder as a finished seed leaves it, but seeded by other seed code: `seedVersion` is its seed-version file. */
function seededSite(seedVersion: string): { root: string; dir: string; files: () => Record<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-reseed-'));
  const o = parseOptions(['--data-root', root]);
  const dir = siteDir(o);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'config'));
  const targets = { members: o.members, entities: o.entities, groups: o.groups, seed: o.seed, password: 'pw', pages: [] };
  fs.writeFileSync(path.join(dir, 'data', 'bench-targets.json'), JSON.stringify(targets));
  fs.writeFileSync(path.join(dir, 'data', 'ruche.sqlite'), 'seeded rows');
  fs.writeFileSync(path.join(dir, 'config', 'local.json'), '{}');
  fs.writeFileSync(path.join(dir, 'seed-version'), seedVersion);
  const files = (): Record<string, string> =>
    Object.fromEntries(
      ['data/bench-targets.json', 'data/ruche.sqlite', 'config/local.json', 'seed-version'].map((f) => [
        f,
        fs.readFileSync(path.join(dir, f), 'utf8'),
      ]),
    );
  return { root, dir, files };
}

test('a site seeded by other seed code: the bench names the changed files, exits 4 and keeps the site', async (t) => {
  // Seeded when dist/seeding/index.js read otherwise, and with a seeder that is gone since.
  const site = seededSite('0123456789abcdef\n000000000000 seeding/index.js\n000000000000 plugins/gone/seed.js\n');
  t.teardown(() => fs.rmSync(site.root, { recursive: true, force: true }));
  const before = site.files();
  const { code, out } = await runBench(['--no-write', '--data-root', site.root], 60_000);
  t.is(code, 4, out);
  t.true(out.includes(`The seed code changed since ${site.dir} was seeded (seed-version 0123456789abcdef, now `), out);
  t.true(out.includes('changed: dist/seeding/index.js'), out);
  t.true(out.includes('removed: dist/plugins/gone/seed.js'), out);
  t.regex(out, /added: dist\/seeding\/bench\/\w+\.js/, 'a file the site did not list counts as added');
  t.true(out.includes('run again with --reseed'), out);
  t.false(out.includes('installing Ruche'), 'nothing is installed nor seeded');
  t.deepEqual(site.files(), before, 'the site is left as it was');
});

test('a site whose seed-version holds the hash only (as written before it listed its files): refused, saying it cannot tell which files', async (t) => {
  const site = seededSite('0123456789abcdef\n');
  t.teardown(() => fs.rmSync(site.root, { recursive: true, force: true }));
  const before = site.files();
  const o = parseOptions(['--data-root', site.root]);
  const e = await t.throwsAsync(
    ensureSite(o, () => undefined),
    { instanceOf: ReseedRefused },
  );
  t.regex(e?.message ?? '', /does not record which files/);
  t.deepEqual(site.files(), before);
  t.true(parseOptions(['--reseed']).reseed, '--reseed is an option of the bench');
  t.false(o.reseed);
});

test('a site seeded by this seed code whose seed-version holds the hash only is reused, and its seed-version now lists the files', async (t) => {
  const now = currentSeedVersion();
  const site = seededSite(`${now.hash}\n`);
  t.teardown(() => fs.rmSync(site.root, { recursive: true, force: true }));
  // Reused: \`ruche migrate\` then runs on this folder, whose config is empty (its outcome does not matter here).
  await ensureSite(parseOptions(['--data-root', site.root]), () => undefined).catch(() => undefined);
  const lines = fs.readFileSync(path.join(site.dir, 'seed-version'), 'utf8').trim().split('\n');
  t.is(lines[0], now.hash, 'the hash stays first, as site-copy.sh writes it');
  t.deepEqual(
    lines.slice(1),
    [...now.files].map(([f, h]) => `${h} ${f}`),
  );
  t.true(lines.length > 10, 'every seed file is listed');
  t.is(fs.readFileSync(path.join(site.dir, 'data', 'ruche.sqlite'), 'utf8'), 'seeded rows', 'the site is not seeded again');
});
