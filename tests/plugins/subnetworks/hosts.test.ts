// Which Host headers the site answers (core/http/network.ts, config `allowedHosts`): the
// site's own host, every network's host and loopback names; any other host is a clear,
// localised 404 (a page, or JSON under /api/) rather than the root network under a foreign
// name. Without a configured site URL or with `allowedHosts: ["*"]`, any host is served.
import test from 'ava';
import { loadConfig } from '../../../core';
import { makeApp } from '../../helpers/app';
import { eachDatabase } from '../../helpers/databases';
import { eachApp } from '../../helpers/each-app';

const SITE = 'http://community.example.test';

eachApp(
  'hosts: an unknown host answers a localised 404 page, and JSON under /api/',
  (db) => makeApp(db, { config: { siteUrl: SITE } }),
  async (t, app) => {
    await app.app.ruche.networks.create({ slug: 'lyon', name: 'Usine Lyon', host: 'lyon.example.test' });
    const http = app.agent().http;
    let res = await http.get('/login').set('Host', 'unknown.example.test');
    t.is(res.status, 404);
    t.regex(res.headers['content-type'], /html/);
    t.regex(res.text, /No network answers at unknown\.example\.test/);
    t.notRegex(res.text, /name="password"/, 'not the root network’s sign-in page');
    res = await http.get('/login').set('Host', 'unknown.example.test').set('Accept-Language', 'fr');
    t.is(res.status, 404);
    t.regex(res.text, /Aucun réseau ne répond à l’adresse unknown\.example\.test/);
    res = await http.get('/api/v1/me').set('Host', 'unknown.example.test:8080');
    t.is(res.status, 404);
    t.is(res.body.error.code, 'unknown_host');
    res = await http.get('/n/lyon/login').set('Host', 'evil.example.test');
    t.is(res.status, 404, 'no network reached under a foreign host, even by its /n/ path');
    // Known hosts: the site's own, a network's, and loopback names (supertest uses 127.0.0.1:<port>).
    for (const host of ['community.example.test', 'Community.Example.Test', 'lyon.example.test', 'localhost:3000', '127.0.0.1', '[::1]:3000']) {
      t.is((await http.get('/login').set('Host', host)).status, 200, host);
    }
    t.is((await http.get('/login')).status, 200, 'the test agent’s own 127.0.0.1:<port>');
  },
);

eachDatabase('hosts: allowedHosts lists extra names and wildcards; "*" answers any host', async (t, db) => {
  let app = await makeApp(db, { config: { siteUrl: SITE, allowedHosts: ['intranet.example.test', '*.corp.example.test'] } });
  try {
    const http = app.agent().http;
    t.is((await http.get('/login').set('Host', 'intranet.example.test')).status, 200);
    t.is((await http.get('/login').set('Host', 'a.corp.example.test')).status, 200);
    t.is((await http.get('/login').set('Host', 'corp.example.test.evil.test')).status, 404);
    t.is((await http.get('/login').set('Host', 'community.example.test')).status, 404, 'an explicit list replaces the derived one');
  } finally {
    await app.close();
  }
  app = await makeApp(db, { install: false, config: { siteUrl: SITE, allowedHosts: ['*'] } });
  try {
    t.is((await app.agent().http.get('/login').set('Host', 'anything.example.test')).status, 200);
  } finally {
    await app.close();
  }
});

test('hosts: the default list is the site URL’s host, or any host when no site URL is set; bad entries stop start-up', (t) => {
  const base = { secret: 'x'.repeat(40) };
  t.deepEqual(loadConfig({ env: {}, overrides: base, file: undefined, cwd: '/nonexistent' }).allowedHosts, ['*']);
  t.deepEqual(loadConfig({ env: {}, overrides: { ...base, siteUrl: 'https://Community.Example.com/' }, cwd: '/nonexistent' }).allowedHosts, [
    'community.example.com',
  ]);
  t.deepEqual(loadConfig({ env: { RUCHE_ALLOWED_HOSTS: '["a.example.com","*"]' }, overrides: base, cwd: '/nonexistent' }).allowedHosts, [
    'a.example.com',
    '*',
  ]);
  const err = t.throws(() => loadConfig({ env: {}, overrides: { ...base, allowedHosts: ['bad host/'] }, cwd: '/nonexistent' }));
  t.regex(err!.message, /allowedHosts\.0: must be host names/);
});
