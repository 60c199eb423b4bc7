/**
 * The plugin-boundary rule (tools/eslint/boundaries.cjs, docs/plugins.md "Boundaries") run
 * through ESLint's API on fixture trees whose manifests say who depends on whom:
 *
 *   a → b → c (so c is in a's closure), d alone; e (added during a test) → d.
 *
 * Every refusal is checked by its message, every permission by the absence of one, so the
 * rule cannot pass silently. The last tests lint probe files with the real eslint.config.mjs.
 */
import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { boundaryErrors, fixtureTree, lintFixture, lintRepository, manifest } from './support';

function plugins(t: Parameters<typeof fixtureTree>[0]) {
  const tree = fixtureTree(t);
  tree.write('plugins/a/plugin.ts', manifest('a', ['b']));
  tree.write('plugins/b/plugin.ts', manifest('b', ['c']));
  tree.write('plugins/c/plugin.ts', manifest('c', []));
  tree.write('plugins/d/plugin.ts', manifest('d', []));
  return tree;
}

const A = 'plugins/a/routes.ts';

/** Lints each of `forms` as plugin a's routes.ts: none draws a problem. */
async function eachAllowed(t: ExecutionContext, root: string, forms: readonly string[]): Promise<void> {
  for (const code of forms) t.deepEqual(await lintFixture(root, A, code), [], code);
}

/** Lints each of `forms` as plugin a's routes.ts: each draws exactly one problem, whose message matches `message`. */
async function eachRefused(t: ExecutionContext, root: string, forms: readonly string[], message: RegExp): Promise<void> {
  for (const code of forms) {
    const problems = await lintFixture(root, A, code);
    t.is(problems.length, 1, code);
    t.regex(problems[0].message, message, code);
  }
}

test('value imports along dependsOn, direct or transitive, from the contract files are allowed', async (t) => {
  const { root } = plugins(t);
  const code = [
    "import { feed } from '../b/api';",
    "import { CHANNEL } from '../b/hooks.ts';",
    "import { relay } from '../c/hooks';",
    "import { helper } from './params';",
    "import { definePlugin } from '../../core';",
    'export const all = [feed, CHANNEL, relay, helper, definePlugin];',
  ].join('\n');
  t.deepEqual(await lintFixture(root, A, code), []);
});

test('a value import from a plugin outside the dependsOn closure is refused, naming the rule and the way out', async (t) => {
  const { root } = plugins(t);
  const problems = await lintFixture(root, A, "import { x } from '../d/api';\nexport const y = x;");
  t.is(problems.length, 1);
  t.is(problems[0].rule, 'ruche/plugin-boundaries');
  t.is(problems[0].severity, 2);
  t.is(
    problems[0].message,
    "plugin boundaries: plugin 'a' imports '../d/api' from plugin 'd', which is not in its dependsOn (b, c). " +
      "Import types only (`import type` from d/api.ts or hooks.ts), add 'd' to dependsOn in plugins/a/plugin.ts, " +
      'or reach it through a hook or a declared optional integration.',
  );
  // The reverse direction is refused too: b does not depend on a.
  const back = await lintFixture(root, 'plugins/b/service.ts', "import { z } from '../a/api';\nexport const w = z;");
  t.regex(back[0]?.message ?? '', /plugin 'b' imports '\.\.\/a\/api' from plugin 'a', which is not in its dependsOn \(c\)/);
});

test('a side-effect import, a re-export, require() and import() of another plugin are value imports', async (t) => {
  const valueImports = [
    "import '../d/hooks';",
    "export * from '../d/api';",
    "export { x } from '../d/api';",
    "const m = require('../d/api');\nexport default m;",
    "export const load = () => import('../d/api');",
    "import m = require('../d/api');\nexport default m;",
  ];
  await eachRefused(t, plugins(t).root, valueImports, /which is not in its dependsOn/);
});

test('a value import of an internal file of a dependency is refused: only api.ts and hooks.ts are its contract', async (t) => {
  const { root } = plugins(t);
  for (const spec of ['../b/service', '../b/routes', '../c/feed', '../b/lib/api', '../b', '../b/plugin']) {
    const problems = await lintFixture(root, A, `import { x } from '${spec}';\nexport const y = x;`);
    t.is(problems.length, 1, spec);
    const to = spec.split('/')[1];
    t.is(
      problems[0].message,
      `plugin boundaries: plugin 'a' imports '${spec}', an internal file of plugin '${to}'. ` +
        `Import only its contract (${to}/api.ts or ${to}/hooks.ts): move what you need there (the '${to}' plugin exports it).`,
      spec,
    );
  }
});

test('type imports from any plugin are allowed from its hooks.ts or api.ts, refused from its other files', async (t) => {
  const { root } = plugins(t);
  await eachAllowed(t, root, [
    "import type { FeedEntry } from '../d/hooks';",
    "import type { Api } from '../d/api';",
    "import { type FeedEntry, type Tab } from '../d/hooks';",
    "export type { FeedEntry } from '../d/hooks';",
    "export type Entry = import('../d/hooks').FeedEntry;",
  ]);
  const refused = ["import type { Row } from '../d/service';", "export type Row = import('../b/service').Row;"];
  await eachRefused(
    t,
    root,
    refused,
    /imports types from '[^']+', an internal file of plugin '[bd]'\. Types of another plugin come from its contract only/,
  );
  // A mixed import brings a value in: it follows the value rule.
  const mixed = await lintFixture(root, A, "import { type FeedEntry, render } from '../d/hooks';\nexport const r = render;");
  t.regex(mixed[0]?.message ?? '', /which is not in its dependsOn/);
});

test('nothing under core/ or cli/ imports from a plugin, not even types; core/plugins is the core', async (t) => {
  const { root, write } = plugins(t);
  write('core/plugins/manifest.ts', 'export interface Manifest { id: string }\n');
  for (const [file, code] of [
    ['core/bench-seed/content.ts', "import { excerptOf } from '../../plugins/b/service';\nexport const e = excerptOf;"],
    ['core/http/render.ts', "import type { FeedEntry } from '../../plugins/b/hooks';\nexport type E = FeedEntry;"],
    ['cli/commands/seed.ts', "import { seed } from '../../plugins/b/api';\nexport const s = seed;"],
  ]) {
    const problems = await lintFixture(root, file, code);
    t.is(problems.length, 1, file);
    const area = file.split('/')[0];
    t.regex(problems[0].message, new RegExp(`^plugin boundaries: ${area}/ must not import from a plugin \\('[^']+' is in plugin 'b'\\)\\. `), file);
  }
  t.deepEqual(await lintFixture(root, 'core/http/router.ts', "import type { Manifest } from '../plugins/manifest';\nexport type M = Manifest;"), []);
});

test('tests (and other folders) may import anything from a plugin', async (t) => {
  const { root } = plugins(t);
  const code = "import { TopicsService } from '../../plugins/d/service';\nimport '../../plugins/a/hooks';\nexport const s = TopicsService;";
  t.deepEqual(await lintFixture(root, 'tests/plugins/probe.test.ts', code), []);
  t.deepEqual(await lintFixture(root, 'bench/probe.ts', code.replaceAll('../../', '../')), []);
});

test('the rule follows the manifests: a new plugin and a changed dependsOn apply at the next lint', async (t) => {
  const { root, write } = plugins(t);
  const fromE = "import { x } from '../d/api';\nexport const y = x;";
  // Before plugin e has a manifest, its folder is a plugin that depends on nothing.
  write('plugins/e/routes.ts', fromE);
  t.regex(
    (await lintFixture(root, 'plugins/e/routes.ts', fromE))[0]?.message ?? '',
    /plugin 'e' imports '\.\.\/d\/api' from plugin 'd', which is not in its dependsOn \(none\)/,
  );
  write('plugins/e/plugin.ts', manifest('e', ['d']));
  t.deepEqual(await lintFixture(root, 'plugins/e/routes.ts', fromE), []);
  // a gains d: allowed; the manifest is re-read when it changes.
  const fromA = "import { x } from '../d/api';\nexport const y = x;";
  t.is((await lintFixture(root, A, fromA)).length, 1);
  write('plugins/a/plugin.ts', manifest('a', ['b', 'e']));
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(root, 'plugins/a/plugin.ts'), later, later);
  t.deepEqual(await lintFixture(root, A, fromA), [], 'd is in the closure through e');
});

test('plugins in the config file plugins.dirs folders are read too, from their compiled plugin.js', async (t) => {
  const { root, write } = plugins(t);
  write('config/local.json', JSON.stringify({ plugins: { dirs: ['extra'] } }));
  write(
    'extra/f/plugin.js',
    '"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nconst core_1 = require("ruche");\n' +
      'exports.default = (0, core_1.definePlugin)({ id: "f", version: "1.0.0", dependsOn: ["b"] });\n',
  );
  t.deepEqual(await lintFixture(root, 'extra/f/routes.ts', "import { x } from '../../plugins/c/api';\nexport const y = x;"), []);
  const refused = await lintFixture(root, 'extra/f/routes.ts', "import { x } from '../../plugins/d/api';\nexport const y = x;");
  t.regex(refused[0]?.message ?? '', /plugin 'f' imports '\.\.\/\.\.\/plugins\/d\/api' from plugin 'd', which is not in its dependsOn \(b, c\)/);
  // And a bundled plugin may not reach into it outside its dependsOn.
  const into = await lintFixture(root, A, "import { x } from '../../extra/f/api';\nexport const y = x;");
  t.regex(into[0]?.message ?? '', /from plugin 'f', which is not in its dependsOn/);
});

test('a dependsOn the rule cannot read is reported, not guessed', async (t) => {
  const { root, write } = plugins(t);
  write(
    'plugins/g/plugin.ts',
    "import { definePlugin } from '../../core';\nconst DEPS = ['b'];\nexport default definePlugin({ id: 'g', version: '1.0.0', dependsOn: DEPS });\n",
  );
  const problems = await lintFixture(root, 'plugins/g/routes.ts', "import { x } from '../b/api';\nexport const y = x;");
  t.is(
    problems[0]?.message,
    "plugin boundaries: cannot read the dependsOn of plugin 'g' in plugins/g/plugin.ts: write `dependsOn` as an array of string literals inside definePlugin({...}).",
  );
});

test('the pending list tolerates exactly its entries and warns once an entry is stale or its file is gone', async (t) => {
  const { root, write } = plugins(t);
  const list = {
    pending: [
      { file: A, import: '../d/service', why: 'being moved' },
      { file: 'core/old.ts', import: '../plugins/b/api', why: 'file removed since' },
    ],
  };
  write('tools/pending.json', JSON.stringify(list));
  write(A, '// the file exists; its text is what each lint below passes\n');
  const pending = 'tools/pending.json';
  // The listed import is tolerated; another violation in the same file is not.
  t.deepEqual(await lintFixture(root, A, "import { x } from '../d/service';\nexport const y = x;", pending), []);
  const other = await lintFixture(root, A, "import { x } from '../d/service';\nimport { z } from '../d/api';\nexport const y = [x, z];", pending);
  t.deepEqual(
    other.map((p) => [p.rule, p.line]),
    [['ruche/plugin-boundaries', 2]],
  );
  // Once the file no longer has the violation, the entry is reported (as a warning) for removal.
  const stale = await lintFixture(root, A, "import { x } from '../b/api';\nexport const y = x;", pending);
  t.deepEqual(
    stale.map((p) => [p.rule, p.severity, p.message]),
    [
      [
        'ruche/pending-boundaries',
        1,
        `plugin boundaries: '${A}' no longer imports '../d/service' across a boundary: remove this entry from tools/pending.json.`,
      ],
    ],
  );
  // Entries of deleted files are reported on the lint configuration.
  const onConfig = await lintFixture(root, 'eslint.config.mjs', 'export default [];\n', pending);
  t.deepEqual(
    onConfig.map((p) => p.message),
    ["plugin boundaries: tools/pending.json lists 'core/old.ts', which no longer exists: remove its entries."],
  );
});

test('the real eslint.config.mjs runs the rule on the repository: plugins, core and cli are checked, tests are not', async (t) => {
  // chat depends on messages only; blogs is outside its closure, messages/service is internal.
  const chat = boundaryErrors(
    await lintRepository(
      'plugins/chat/boundary-probe.ts',
      "import { x } from '../blogs/api';\nimport { y } from '../messages/service';\nimport type { Z } from '../blogs/hooks';\nexport const w: [unknown, unknown, Z?] = [x, y];\n",
    ),
  );
  t.deepEqual(
    chat.map((p) => p.line),
    [1, 2],
  );
  t.regex(chat[0].message, /plugin 'chat' imports '\.\.\/blogs\/api' from plugin 'blogs', which is not in its dependsOn \(messages\)/);
  t.regex(chat[1].message, /an internal file of plugin 'messages'/);
  const core = boundaryErrors(
    await lintRepository('core/boundary-probe.ts', "import type { FeedEntry } from '../plugins/activity/hooks';\nexport type F = FeedEntry;\n"),
  );
  t.regex(core[0]?.message ?? '', /^plugin boundaries: core\/ must not import from a plugin/);
  const cli = boundaryErrors(await lintRepository('cli/boundary-probe.ts', "import { x } from '../plugins/blogs/api';\nexport const y = x;\n"));
  t.regex(cli[0]?.message ?? '', /^plugin boundaries: cli\/ must not import from a plugin/);
  t.deepEqual(
    boundaryErrors(await lintRepository('tests/boundary-probe.ts', "import { x } from '../plugins/blogs/service';\nexport const y = x;\n")),
    [],
  );
});
