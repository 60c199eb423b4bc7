// The minimal plugin of docs/plugins.md, packaged as npm would install it
// (node_modules/ruche-plugin-hello, compiled JS as `main`, templates and catalogs beside
// it), managed end to end from the admin pages.
import fs from 'node:fs';
import path from 'node:path';
import { eachDatabase } from '../../helpers/databases';
import { adminApp, postForm } from './support';

/** A catalog of the plugin: its name (also its page title and menu entry), description, page body, permission and setting labels. */
const catalog = (name: string, description: string, body: string, view: string, greeting: string): string =>
  JSON.stringify({ hello: { name, description, title: name, menu: name, body, permission: { view }, settings: { greeting } } });

const PACKAGE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'ruche-plugin-hello', version: '1.0.0', main: 'dist/plugin.js' }),
  'dist/plugin.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const manifest = {
  id: 'hello', version: '1.0.0', name: 'hello.name', description: 'hello.description', core: '^1.0.0',
  permissions: [{ id: 'hello.view', defaultRoles: ['member', 'moderator', 'admin'], description: 'hello.permission.view' }],
  routes: [{
    name: 'hello.page', method: 'GET', path: '/hello', capability: 'hello.view',
    handler(ctx) {
      const { greeting } = ctx.ruche.pluginState.settings('hello', ctx.state.network.id);
      return { view: 'hello/page', title: ctx.ruche.i18n.t(ctx.state.locale, 'hello.title'), data: { greeting } };
    },
  }],
  templates: ['page'],
  menus: [{ menu: 'main', id: 'hello', label: 'hello.menu', route: 'hello.page' }],
  settings: { greeting: { type: 'string', default: 'Hello', label: 'hello.settings.greeting', maxLength: 40 } },
  i18n: 'i18n',
};
exports.default = manifest;
`,
  'templates/page.hbs': `<section class="card" aria-labelledby="hello-title">
  <h1 id="hello-title">{{t "hello.title"}}</h1>
  <p>{{t "hello.body" greeting=greeting name=viewer.displayName}}</p>
</section>
`,
  'i18n/en.json': catalog('Hello', 'Greets members.', '{greeting}, {name}!', 'See the greeting', 'Greeting'),
  'i18n/fr.json': catalog('Bonjour', 'Salue les membres.', '{greeting}, {name} !', 'Voir le message d’accueil', 'Formule d’accueil'),
};

eachDatabase('an npm plugin is listed, enabled, configured and disabled from the admin pages', async (t, db) => {
  for (const [rel, content] of Object.entries(PACKAGE)) {
    const file = path.join(db.dataDir, 'node_modules', 'ruche-plugin-hello', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  const app = await adminApp(db);
  try {
    const admin = await app.admin();
    const list = await admin.http.get('/admin/plugins');
    t.regex(list.text, /<tr id="plugin-hello">[\s\S]*?Hello[\s\S]*?Greets members\./);
    t.is((await admin.http.get('/hello')).status, 404, 'disabled: its routes do not exist');

    t.is((await postForm(admin, '/admin/plugins/hello/enable')).status, 303);
    const page = await admin.http.get('/hello');
    t.is(page.status, 200);
    t.regex(page.text, /<p>Hello, admin!<\/p>/);
    t.regex(page.text, /href="\/hello"[^>]*>Hello</, 'its main menu entry');

    const form = await admin.http.get('/admin/plugins/hello/settings');
    t.regex(form.text, /<label class="field__label" for="field-setting-greeting">Greeting<\/label>/);
    t.is((await postForm(admin, '/admin/plugins/hello/settings', { 'setting-greeting': 'Good morning' })).status, 303);
    const member = await app.member();
    t.regex((await member.http.get('/hello')).text, /<p>Good morning, bob!<\/p>/);

    t.is((await postForm(admin, '/admin/plugins/hello/disable')).status, 303);
    t.is((await member.http.get('/hello')).status, 404);
    t.is(app.app.ruche.pluginState.settings('hello').greeting, 'Good morning', 'disabling keeps its settings');
  } finally {
    await app.close();
  }
});
