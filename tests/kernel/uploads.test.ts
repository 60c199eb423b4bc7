/** Forms with files: CSRF, size limits, type sniffing, storage and safe serving (both databases, both storage drivers). */
import sharp from 'sharp';
import { makeApp } from '../helpers/app';
import { eachDatabaseAndStorage } from '../helpers/storages';
import { tempPlugins } from '../fixtures/support';

function uploadPlugin(): string {
  return tempPlugins({
    up: `const { uploadedFiles, sniffImage, serveStored } = require('ruche');
     exports.default = { id: 'up', version: '1.0.0', name: 'Up', description: 'Up', core: '^1.0.0', defaultEnabled: true,
       routes: [
         { name: 'up.post', method: 'POST', path: '/up', public: true, async handler(ctx) {
             const files = uploadedFiles(ctx);
             const out = [];
             for (const f of files) {
               const type = sniffImage(f.head);
               const key = 'test/' + out.length + '.bin';
               await ctx.ruche.storage.put(key, f.open(), type || 'text/html');
               out.push({ field: f.field, size: f.size, type: type || null, key });
             }
             return { json: { caption: ctx.request.body.caption, files: out } };
         } },
         { name: 'up.get', method: 'GET', path: '/up/:n', public: true, handler: (ctx) => serveStored(ctx, ctx.ruche.storage, 'test/' + ctx.params.n + '.bin', { immutable: true }) },
       ] };`,
  }).dir;
}

eachDatabaseAndStorage('multipart forms: CSRF, limits, sniffing and safe serving', async (t, db, store) => {
  const app = await makeApp(db, {
    config: { ...store.config, plugins: { dirs: [uploadPlugin()] }, limits: { jsonBody: '1mb', formBody: '1mb', uploadBody: '20kb' } },
  });
  try {
    const a = app.agent();
    const csrf = await a.csrf('/login');
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c60' } })
      .png()
      .toBuffer();
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const ok = await a.http
      .post('/up')
      .field('_csrf', csrf)
      .field('caption', 'Été')
      .attach('photo', png, 'me.png')
      .attach('doc', html, { filename: 'evil.png', contentType: 'image/png' });
    t.is(ok.status, 200);
    t.is(ok.body.caption, 'Été');
    t.deepEqual(
      ok.body.files.map((f: { type: string | null }) => f.type),
      ['image/png', null],
      'types come from the bytes, not the name or declared type',
    );
    const image = await a.http.get('/up/0');
    t.is(image.headers['content-type'], 'image/png');
    t.regex(image.headers['cache-control'], /immutable/);
    const active = await a.http.get('/up/1');
    t.regex(active.headers['content-disposition'], /^attachment/, 'never served as active HTML');
    t.regex(active.headers['content-security-policy'], /sandbox/);
    t.is(active.headers['x-content-type-options'], 'nosniff');
    const noToken = await a.http.post('/up').attach('photo', png, 'me.png');
    t.is(noToken.status, 403);
    const big = await a.http
      .post('/up')
      .field('_csrf', csrf)
      .attach('photo', Buffer.alloc(40 * 1024, 1), 'big.png');
    t.is(big.status, 413);
    t.is((await a.http.get('/up/9')).status, 404);
    t.is((await store.storage.get('test/0.bin'))?.contentType, 'image/png', 'stored in the configured store');
  } finally {
    await app.close();
  }
});
