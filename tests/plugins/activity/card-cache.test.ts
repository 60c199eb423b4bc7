// The rendered-card cache (core/cache/fragments.ts) on real feeds: a kept card is never
// another viewer's, another locale's or another theme's; a change made by a second app on
// the same database shows at once; the HTML is the same with the cache on and off.
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../../core';
import { makeAgent } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { actApp, PASSWORD, type ActApp } from './support';

/** A theme whose feed card carries its own mark (an override of the activity entry). */
function cardTheme(dir: string): string {
  const root = path.join(dir, 'card-themes');
  const entry = path.join(root, 'marked', 'overrides', 'activity', 'partials');
  fs.mkdirSync(entry, { recursive: true });
  fs.writeFileSync(path.join(root, 'marked', 'theme.json'), JSON.stringify({ label: 'Marked', description: 'test', parent: 'default', styles: [] }));
  fs.writeFileSync(
    path.join(entry, 'entry.hbs'),
    '<article class="marked-card" data-entity="{{entityId}}">{{> (lookup summary "template") summary.data}}</article>',
  );
  return root;
}

const eachCardApp = eachAppOf((db: TestDatabase) => actApp(db, { themes: { dirs: [cardTheme(db.dataDir)] } }));

const stats = (app: ActApp) => app.rt.views.fragments.stats();
const csrfIn = (html: string): string[] => [...new Set([...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]))];
/** The card of entity `id` in a page, without its form tokens (masked per response). */
const cardIn = (html: string, id: number): string =>
  (new RegExp(`<article[^>]*data-entity="${id}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '').replace(/name="_csrf" value="[^"]+"/g, '');

eachCardApp('two viewers of one kept card: each sees their own controls, reaction and CSRF token', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const id = await app.post('alice', 'hello from the cache');
  const a = await app.as('alice');
  const b = await app.as('bob');
  t.is((await b.post(`/entities/${id}/react`, { reaction: 'like' })).status, 303);
  for (let round = 0; round < 2; round++) {
    const pa = (await a.agent.http.get('/activity')).text;
    const pb = (await b.agent.http.get('/activity')).text;
    t.true(pa.includes('hello from the cache') && pb.includes('hello from the cache'));
    t.true(pa.includes(`/status/${id}/edit`), 'the author may edit');
    t.false(pb.includes(`/status/${id}/edit`), 'bob may not');
    t.true(pb.includes('reaction--mine'), "bob's own reaction is pressed");
    t.false(pa.includes('reaction--mine'), "alice has not reacted: bob's pressed button is not hers");
    // Tokens are masked per response: every form of a page carries that response's one token
    // (the cards' as the layout's locale form, rendered outside the cache).
    t.is(csrfIn(pa).length, 1, "alice's cards carry her page's token");
    t.is(csrfIn(pb).length, 1, "bob's cards carry his page's token");
    t.true(pa.split('name="_csrf"').length > 3 && pb.split('name="_csrf"').length > 3, 'cards with forms');
    t.false(pa.includes('\u0000') || pb.includes('\u0000'), 'no marker left');
    t.regex(pa, /<time datetime="[^"]+" title="[^"]+">/);
  }
  t.true(stats(app).hits > 0, 'the second round was served from the cache');
  void alice;
});

eachCardApp('a kept card follows the locale and the theme', async (t, app) => {
  await app.member('alice');
  const bob = await app.member('bob');
  await app.post('alice', 'bonjour');
  const b = await app.as('bob');
  const en = (await b.agent.http.get('/activity')).text;
  t.regex(en, /alice<\/a> posted/);
  await app.rt.db('users').where({ id: bob }).update({ locale: 'fr' });
  const fr = (await b.agent.http.get('/activity')).text;
  t.regex(fr, /alice<\/a> a publié/);
  t.false(fr.includes('</a> posted'));
  await app.rt.networks.update(app.rt.networks.root().id, { theme: 'marked' });
  const marked = (await b.agent.http.get('/activity')).text;
  t.true(marked.includes('class="marked-card"'), "the theme's card, not the default theme's kept one");
  await app.rt.networks.update(app.rt.networks.root().id, { theme: 'default' });
  const back = (await b.agent.http.get('/activity')).text;
  t.false(back.includes('class="marked-card"'));
  t.regex(back, /alice<\/a> a publié/);
});

eachCardApp('an edit, a comment and a reaction made by a second app on the same database show on the next read', async (t, app, db) => {
  await app.member('alice');
  await app.member('bob');
  const id = await app.post('alice', 'first words');
  const b = await app.as('bob');
  t.true((await b.agent.http.get('/activity')).text.includes('first words'));
  t.true((await b.agent.http.get('/activity')).text.includes('first words'));
  const other = await createApp(app.config, { cwd: db.dataDir });
  try {
    const alice = makeAgent(other);
    await alice.login('alice', PASSWORD);
    const token = await alice.csrf('/activity');
    t.is((await alice.http.post(`/status/${id}/edit`).type('form').send({ _csrf: token, body: 'second words' })).status, 303);
    t.is((await alice.http.post(`/entities/${id}/comments`).type('form').send({ _csrf: token, body: 'a comment from afar' })).status, 303);
    t.is((await alice.http.post(`/entities/${id}/react`).type('form').send({ _csrf: token, reaction: 'like' })).status, 303);
  } finally {
    await other.close();
  }
  const after = (await b.agent.http.get('/activity')).text;
  t.true(after.includes('second words'), 'the edit');
  t.false(after.includes('first words'));
  t.true(after.includes('a comment from afar'), 'the comment');
  t.regex(after, /reactions__who[^>]*>.*1/s, 'the reaction count');
});

eachCardApp('the same HTML with the cache on (kept and reused) and off', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  await app.post('alice', 'same #html with @bob');
  const b = await app.as('bob');
  const fragments = app.rt.views.fragments;
  const strip = (html: string) => html.replace(/ title="[^"]*">[^<]*<\/time>/g, '></time>').replace(/name="_csrf" value="[^"]+"/g, '');
  const first = strip((await b.agent.http.get('/activity')).text);
  const kept = strip((await b.agent.http.get('/activity')).text);
  (fragments.options as { enabled: boolean }).enabled = false;
  const off = strip((await b.agent.http.get('/activity')).text);
  (fragments.options as { enabled: boolean }).enabled = true;
  t.is(kept, first);
  t.is(off, first);
});

/** The site header of a page (the layout's `theme/header`, a kept fragment). */
const headerOf = (html: string): string => /<header class="site-header">[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';

eachCardApp('the page header is kept per viewer: each member sees their own name and token, and a rename shows at once', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const a = await app.as('alice');
  const b = await app.as('bob');
  const before = stats(app).hits;
  for (let round = 0; round < 2; round++) {
    const pa = (await a.agent.http.get('/activity')).text;
    const pb = (await b.agent.http.get('/activity')).text;
    const ha = headerOf(pa);
    const hb = headerOf(pb);
    t.true(ha.includes('@alice') && !ha.includes('bob'), "alice's header is hers");
    t.true(hb.includes('@bob') && !hb.includes('alice'), "bob's header is his");
    t.is(csrfIn(ha).length, 1);
    t.deepEqual(csrfIn(ha), csrfIn(pa), "the sign-out form carries this response's token");
    t.deepEqual(csrfIn(hb), csrfIn(pb));
    t.false(ha.includes('\u0000') || hb.includes('\u0000'), 'no marker left');
  }
  t.true(stats(app).hits > before, 'the second round reused the kept headers');
  await app.rt.db('users').where({ id: alice }).update({ display_name: 'Alice Renamed' });
  t.true(headerOf((await a.agent.http.get('/activity')).text).includes('Alice Renamed'), 'a new name is new data, hence a new header');
});

/** An entity's version (core migration 049) as the database holds it. */
const versionOf = async (app: ActApp, id: number): Promise<number> =>
  Number(((await app.rt.db('entities').where({ id }).first('version')) as { version: unknown }).version);

eachCardApp("an entity's version goes up with every write of its row, whoever writes, and with entities.touch", async (t, app, db) => {
  const alice = await app.member('alice');
  const id = await app.quickPost(alice, 'versioned');
  const other = await createApp(app.config, { cwd: db.dataDir });
  try {
    const steps: [string, () => Promise<unknown>][] = [
      ['an update through the service', () => app.rt.entities.update(id, { access: 'public' })],
      ['entities.touch', () => app.rt.entities.touch([id])],
      ['entities.touch in a transaction', () => app.rt.db.transaction((trx) => app.rt.entities.touch([id], trx))],
      ["moderation's withholding, as plain SQL", () => app.rt.db('entities').where({ id }).update({ withheld: true })],
      ['a pin by a second app on the same database', () => other.ruche.entities.update(id, { pinnedUntil: Date.now() + 3_600_000 })],
      ['a soft deletion', () => app.rt.entities.softDelete(id)],
    ];
    let before = await versionOf(app, id);
    t.is(before, 0, 'a new entity starts at 0');
    for (const [what, write] of steps) {
      await write();
      const after = await versionOf(app, id);
      t.is(after, before + 1, what);
      before = after;
    }
    await app.rt.entities.touch([]);
    t.is(await versionOf(app, id), before, 'touching nothing writes nothing');
  } finally {
    await other.close();
  }
});

eachCardApp(
  'cards kept by version: a touched rewrite, a pin and a mentioned member suspended by a second app show on the next read',
  async (t, app, db) => {
    await app.member('alice');
    const bob = await app.member('bob');
    await app.member('carol');
    const id = await app.post('alice', 'hello @bob');
    const c = await app.as('carol');
    const card = async (): Promise<string> => cardIn((await c.agent.http.get('/activity')).text, id);
    const first = await card();
    const hits = stats(app).hits;
    t.is(await card(), first, 'the same card again');
    t.true(stats(app).hits > hits, 'served from the cache');
    t.regex(first, /href="[^"]*\/bob"/, 'bob is linked');
    t.notRegex(first, /activity-status__pinned/);
    const other = await createApp(app.config, { cwd: db.dataDir });
    try {
      // A writer of a plugin's own rows (the CLI, an import) touches the entity in its transaction;
      // the card is keyed by the version, not by its data: until the touch, the kept card stands.
      await other.ruche.db('status_posts').where({ entity_id: id }).update({ body: 'rewritten elsewhere @bob' });
      t.is(await card(), first, 'an untouched write is not seen: the card is keyed by the version');
      await other.ruche.entities.touch([id]);
      const rewritten = await card();
      t.true(rewritten.includes('rewritten elsewhere'), 'the touched rewrite shows');
      t.regex(rewritten, /href="[^"]*\/bob"/);
      await other.ruche.entities.update(id, { pinnedUntil: Date.now() + 86_400_000 });
      t.regex(await card(), /activity-status__pinned/, 'the pin shows');
      await other.ruche.db('users').where({ id: bob }).update({ status: 'suspended' });
      t.notRegex(await card(), /href="[^"]*\/bob"/, 'a suspended member is no longer linked');
    } finally {
      await other.close();
    }
  },
);

eachCardApp(
  "comments on a kept card: a comment's rewrite, its author's rename and its withholding by a second app show on the next read",
  async (t, app, db) => {
    await app.member('alice');
    const bob = await app.member('bob');
    await app.member('carol');
    const id = await app.post('alice', 'talk to me');
    const b = await app.as('bob');
    t.is((await b.post(`/entities/${id}/comments`, { body: 'first reply' })).status, 303);
    const commentId = Number(((await app.rt.db('comments').where({ entity_id: id }).first('id')) as { id: unknown }).id);
    const c = await app.as('carol');
    const card = async (): Promise<string> => cardIn((await c.agent.http.get('/activity')).text, id);
    const first = await card();
    t.true(first.includes('first reply'));
    const hits = stats(app).hits;
    t.is(await card(), first, 'the same card again');
    t.true(stats(app).hits > hits, 'served from the cache');
    const other = await createApp(app.config, { cwd: db.dataDir });
    try {
      await other.ruche.db('comments').where({ id: commentId }).update({ body: 'second reply' });
      const rewritten = await card();
      t.true(rewritten.includes('second reply') && !rewritten.includes('first reply'), 'the rewrite shows');
      await other.ruche.db('users').where({ id: bob }).update({ display_name: 'Bob Renamed' });
      t.true((await card()).includes('Bob Renamed'), "the author's new name shows");
      await other.ruche.db('comments').where({ id: commentId }).update({ withheld: true });
      t.false((await card()).includes('second reply'), 'a withheld comment is no longer shown to another member');
    } finally {
      await other.close();
    }
  },
);
