/**
 * Theme precedence: the active theme's override beats its parent's, which beats the
 * plugin's (or core's) own template; layouts and partials come from the nearest theme
 * that has them. Theme assets: versioned URLs cached for a year, others for an hour,
 * a missing one is the 404 page.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { makeApp, REPO_ROOT, type TestApp } from '../helpers/app';
import { eachDatabase, type TestDatabase } from '../helpers/databases';
import { makeFixtures, pluginJs, type Fixtures } from './fixtures';

const route = (name: string, p: string, view: string): string =>
  `{ name: 'tplfix.${name}', method: 'GET', path: '${p}', public: true, handler: () => ({ view: 'tplfix/${view}' }) }`;

/** Plugin `tplfix` (hello, bye, probe) and themes `fixparent` (parent: default) and `fixchild` (parent: fixparent). */
const FILES: Record<string, string> = {
  'plugins/tplfix/plugin.js': pluginJs(
    'tplfix',
    `templates: ['hello', 'bye', 'probe'], routes: [${route('hello', '/tplfix', 'hello')}, ${route('bye', '/tplfix/bye', 'bye')}, ${route('probe', '/tplfix/probe', 'probe')}]`,
  ),
  'plugins/tplfix/templates/hello.hbs': '<p id="who">plugin hello</p>',
  'plugins/tplfix/templates/bye.hbs': '<p id="who">plugin bye</p>',
  'plugins/tplfix/templates/probe.hbs': '<p id="who">{{> theme/probe}}</p>',
  'themes/fixparent/theme.json': JSON.stringify({ label: 'Parent', parent: 'default', styles: ['css/parent.css'] }),
  'themes/fixparent/overrides/tplfix/hello.hbs': '<p id="who">parent hello</p>',
  'themes/fixparent/overrides/tplfix/bye.hbs': '<p id="who">parent bye</p>',
  'themes/fixparent/overrides/core/login.hbs': '<p id="who">parent login</p>',
  'themes/fixparent/partials/probe.hbs': 'parent probe',
  'themes/fixparent/assets/css/parent.css': 'body { margin: 0; }\n',
  'themes/fixchild/theme.json': JSON.stringify({ label: 'Child', parent: 'fixparent' }),
  'themes/fixchild/overrides/tplfix/hello.hbs': '<p id="who">child hello</p>',
  'themes/fixchild/partials/footer.hbs': '<footer id="child-footer">child footer</footer>',
};

/** Runs `fn` (once per database) with an app that knows the fixtures. */
function withApp(title: string, fn: (t: ExecutionContext, app: TestApp, useTheme: (name: string) => Promise<void>) => Promise<void>): void {
  eachDatabase(title, async (t, db: TestDatabase) => {
    const fixtures: Fixtures = makeFixtures(FILES);
    const app = await makeApp(db, { config: { plugins: { dirs: [fixtures.pluginsDir] }, themes: { dirs: [fixtures.themesDir] } } });
    const rt = app.app.ruche;
    try {
      await fn(t, app, (name) => rt.networks.update(rt.networks.root().id, { theme: name }));
    } finally {
      await app.close();
      fixtures.cleanup();
    }
  });
}

const who = (html: string): string | undefined => /<p id="who">([^<]*)<\/p>/.exec(html)?.[1];

withApp('a template override: active theme, then parent theme, then the plugin', async (t, app, useTheme) => {
  const http = app.agent().http;
  t.is(who((await http.get('/tplfix')).text), 'plugin hello');
  t.is(who((await http.get('/tplfix/bye')).text), 'plugin bye');

  await useTheme('fixparent');
  t.is(who((await http.get('/tplfix')).text), 'parent hello');
  t.is(who((await http.get('/tplfix/bye')).text), 'parent bye');

  await useTheme('fixchild');
  t.is(who((await http.get('/tplfix')).text), 'child hello');
  t.is(who((await http.get('/tplfix/bye')).text), 'parent bye', 'not overridden by the child: the parent override wins');
});

withApp('core templates are overridden the same way', async (t, app, useTheme) => {
  const http = app.agent().http;
  t.regex((await http.get('/login')).text, /name="password"/);
  await useTheme('fixchild');
  t.is(who((await http.get('/login')).text), 'parent login');
  await useTheme('ardoise');
  const home = (await http.get('/')).text;
  t.regex(home, /class="ardoise-hero"/, 'ardoise overrides core/home');
  t.notRegex(home, /class="hero"/);
  await useTheme('default');
  t.regex((await http.get('/')).text, /class="hero"/);
});

withApp('layouts and partials are inherited from the parent themes', async (t, app, useTheme) => {
  const http = app.agent().http;
  await useTheme('fixchild');
  const page = (await http.get('/tplfix/probe')).text;
  t.is(who(page), 'parent probe', 'theme/probe comes from the parent');
  t.regex(page, /<a class="skip-link" href="#main">/, 'the layout comes from default');
  t.regex(page, /<header class="site-header">/, 'theme/header comes from default');
  t.regex(page, /<footer id="child-footer">child footer<\/footer>/, "theme/footer is the child's own");
  t.notRegex(page, /class="site-footer/);

  await useTheme('ardoise');
  const ardoise = (await http.get('/')).text;
  t.regex(ardoise, /<html lang="en" class="theme-ardoise">/, 'ardoise has its own layout');
  t.regex(ardoise, /class="ardoise-topline"/);
  t.regex(ardoise, /<header class="site-header">/, "its header is default's");
  t.regex(ardoise, /class="site-footer ardoise-footer"/, 'its footer is its own');
  t.regex(ardoise, /class="locale-form"/, "the footer reuses default's language switch");
});

withApp('stylesheets of the theme chain, parents first, with content hashes', async (t, app, useTheme) => {
  const http = app.agent().http;
  const version = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10);
  // Attribute values are HTML-escaped (`=` becomes &#x3D;); browsers read them unescaped.
  const unescape = (s: string): string => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const sheets = (html: string): string[] => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => unescape(m[1]));
  const defaultCss = `/assets/theme/default/css/ruche.css?v=${version(path.join(REPO_ROOT, 'themes/default/assets/css/ruche.css'))}`;
  t.deepEqual(sheets((await http.get('/')).text), [defaultCss]);
  await useTheme('ardoise');
  t.deepEqual(sheets((await http.get('/')).text), [
    defaultCss,
    `/assets/theme/ardoise/css/ardoise.css?v=${version(path.join(REPO_ROOT, 'themes/ardoise/assets/css/ardoise.css'))}`,
  ]);
  await useTheme('fixchild');
  const child = sheets((await http.get('/')).text);
  t.is(child.length, 2);
  t.regex(child[1], /^\/assets\/theme\/fixparent\/css\/parent\.css\?v=[0-9a-f]{10}$/);
  // The favicon is default's, found through the chain.
  t.regex(unescape((await http.get('/')).text), /<link rel="icon" href="\/assets\/theme\/default\/img\/favicon\.svg\?v=[0-9a-f]{10}"/);
});

withApp('theme assets: a year when versioned, an hour otherwise, 404 page when missing', async (t, app) => {
  const http = app.agent().http;
  const versioned = await http.get('/assets/theme/ardoise/css/ardoise.css?v=0123456789');
  t.is(versioned.status, 200);
  t.regex(versioned.headers['content-type'], /text\/css/);
  t.regex(versioned.headers['cache-control'], /max-age=31536000/);
  t.regex(versioned.headers['cache-control'], /immutable/);

  const plain = await http.get('/assets/theme/default/css/ruche.css');
  t.is(plain.status, 200);
  t.is(plain.headers['cache-control'], 'max-age=3600');

  const svg = await http.get('/assets/theme/default/img/favicon.svg');
  t.is(svg.status, 200);
  t.regex(svg.headers['content-type'], /image\/svg\+xml/);

  for (const missing of [
    '/assets/theme/default/css/nope.css',
    '/assets/theme/nosuch/css/ruche.css',
    '/assets/theme/default/%2e%2e/theme.json',
    '/assets/theme/ardoise/css/ruche.css',
  ]) {
    const res = await http.get(missing).set('Accept', 'text/html');
    t.is(res.status, 404, missing);
    t.regex(res.headers['content-type'], /text\/html/, missing);
    t.regex(res.text, /<h1 id="error-title">Page not found<\/h1>/, missing);
    t.falsy(res.headers['cache-control']?.includes('immutable'), missing);
  }
});

withApp('catalogs: the new UI strings and the Ardoise strings exist in English and French', async (t, app) => {
  const i18n = app.app.ruche.i18n;
  for (const prefix of ['core.ui.', 'theme.ardoise.']) {
    t.deepEqual(i18n.missing('en', 'fr', prefix), [], prefix);
    t.deepEqual(i18n.missing('fr', 'en', prefix), [], prefix);
    t.true(
      i18n.keys('en').some((k) => k.startsWith(prefix)),
      prefix,
    );
  }
});
