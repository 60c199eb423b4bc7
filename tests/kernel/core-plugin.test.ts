/**
 * The core as a plugin (issue 17): its routes, permissions, menus, templates, translations and
 * migrations are a manifest wired by the same table of installers as every plugin's, first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { eachDatabase } from '../helpers/databases';
import { makeApp, REPO_ROOT } from '../helpers/app';
import { corePlugin } from '../../core/plugin';
import { validateManifest } from '../../core/plugins/validate';
import { installerFields } from '../../core/plugins/installers';
import { templateNamesIn } from '../../core/views/engine';

test('the core manifest is a valid manifest and declares every template of its folder', (t) => {
  t.notThrows(() => validateManifest(corePlugin, 'core'));
  const dir = path.join(REPO_ROOT, 'core', corePlugin.templatesDir);
  t.deepEqual([...corePlugin.templates].sort(), templateNamesIn(dir), 'core/plugin.ts lists exactly the files of core/views/templates');
  t.true(corePlugin.migrations.length > 0);
});

test('one installer table: every manifest field has an entry, capabilities before routes, services last', (t) => {
  const fields = installerFields();
  const installed = fields.filter((f) => f.installed).map((f) => f.field);
  t.true(installed.indexOf('permissions') < installed.indexOf('routes'));
  t.is(installed[installed.length - 1], 'services');
  for (const f of ['routes', 'permissions', 'templates', 'i18n', 'hooks', 'jobs'] as const) t.true(installed.includes(f), f);
  const listed = new Set(fields.map((f) => f.field));
  for (const key of Object.keys(corePlugin)) t.true(listed.has(key as never), `field ${key} has an entry`);
});

/** A plugin with its templates in another folder and a menu entry shown only on request. */
function tablePlugin(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-tbl-'));
  const dir = path.join(root, 'tbl');
  fs.mkdirSync(path.join(dir, 'views'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'views', 'page.hbs'), '<p id="tbl">table page</p>');
  fs.writeFileSync(
    path.join(dir, 'plugin.js'),
    `exports.default = { id: 'tbl', version: '1.0.0', name: 'Tbl', description: 'Tbl', core: '^1.0.0', defaultEnabled: true,
       templatesDir: 'views', templates: ['page'],
       routes: [{ name: 'tbl.page', method: 'GET', path: '/tbl', public: true, handler: () => ({ view: 'tbl/page' }) }],
       menus: [{ menu: 'main', id: 'tbl', label: 'Table entry', route: 'tbl.page', visible: (ctx) => ctx.query.show === '1' }] };`,
  );
  return root;
}

eachDatabase('the core is wired first, through the same installers as the plugins', async (t, db) => {
  const app = await makeApp(db, { config: { plugins: { dirs: [tablePlugin()] } } });
  try {
    const rt = app.app.ruche;
    t.is(rt.plugins.manifests()[0].manifest.id, 'core');
    t.false(
      rt.plugins.list().some((p) => p.manifest.id === 'core'),
      'plugin lists (admin, CLI) do not show the core',
    );
    t.is(rt.routes.get('core.login')?.owner, 'core');
    t.is(rt.routes.get('core.login')?.def?.handler, corePlugin.routes.find((r) => r.name === 'core.login')?.handler);
    t.is(rt.permissions.list().find((c) => c.id === 'core.admin')?.owner, 'core');
    t.is(rt.i18n.t('fr', 'core.plugin.name'), 'Cœur');

    const a = app.agent();
    const login = await a.http.get('/login');
    t.is(login.status, 200, 'core routes are served from the route table');
    // Signed in: the test network is closed to guests, who get no main menu (issue 27, item 12).
    await a.login('admin', 'correct horse battery');
    const page = await a.http.get('/tbl');
    t.is(page.status, 200);
    t.regex(page.text, /<p id="tbl">table page<\/p>/, "templates are read from the manifest's templatesDir");
    t.notRegex(page.text, /Table entry/, 'a menu entry whose `visible` answers false is hidden');
    t.regex((await a.http.get('/tbl?show=1')).text, /Table entry/);

    const account = await a.http.get('/account/sessions');
    t.is(account.status, 200);
    t.regex(account.text, /href="\/account"[^>]*aria-current="page"/, 'the core menu entry is active on the page below it');
  } finally {
    await app.close();
  }
});
