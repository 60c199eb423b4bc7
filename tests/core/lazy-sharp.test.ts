// sharp (libvips) is loaded on the first image to re-encode, not at start-up (core/images.ts,
// issue 18): a process serving pages does not hold libvips's ~10 MB. One test for both
// databases, in its own worker: pages on each first, then an upload on each.
import test from 'ava';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../helpers/databases';
import { makeApp, type TestApp, type TestAgent } from '../helpers/app';
import { signedIn, createMember } from '../helpers/members';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const sharpLoaded = (): boolean => Object.keys(require.cache).some((f) => /[\\/]node_modules[\\/]sharp[\\/]/.test(f));

test.serial('pages are served without loading sharp; the first photo upload loads it', async (t) => {
  const opened: { db: FreshDatabase; app: TestApp; agent: TestAgent }[] = [];
  try {
    for (const kind of databaseKinds()) {
      const db = await freshDatabase(kind);
      const app = await makeApp(db);
      opened.push({ db, app, agent: await signedIn(app, (await createMember(app.app.ruche, 'alice'), 'alice')) });
      for (const path of ['/', '/feed', '/people', '/people/alice', '/groups', '/account', '/profile/edit']) {
        t.is((await opened.at(-1)!.agent.http.get(path)).status, 200, `${kind} ${path}`);
      }
      t.false(sharpLoaded(), `${kind}: no page loads sharp`);
    }
    for (const { db, app, agent } of opened) {
      const page = await agent.http.get('/profile/edit');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const res = await agent.http
        .post('/profile/photo')
        .field('_csrf', token)
        .attach('photo', PNG, { filename: 'me.png', contentType: 'image/png' });
      t.is(res.status, 303, `${db.kind}: the photo is stored`);
      t.true(sharpLoaded());
      t.regex(String((await app.app.ruche.db('users').where({ username: 'alice' }).first()).photo_key), /^[a-f0-9]{20}$/);
    }
  } finally {
    for (const { db, app } of opened) {
      await app.close();
      await db.drop();
    }
  }
});
