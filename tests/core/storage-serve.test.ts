/** serveStored over HTTP: streamed answers, byte ranges (206, 416), HEAD, safe headers; every database and driver. */
import { makeApp } from '../helpers/app';
import { eachDatabaseAndStorage } from '../helpers/storages';
import { tempPlugins } from '../fixtures/support';

function servePlugin(): string {
  return tempPlugins({
    serve: `const { serveStored } = require('ruche');
     exports.default = { id: 'serve', version: '1.0.0', name: 'Serve', description: 'Serve', core: '^1.0.0', defaultEnabled: true,
       routes: [
         { name: 'serve.get', method: 'GET', path: '/stored/:name', public: true,
           handler: (ctx) => serveStored(ctx, ctx.ruche.storage, 'serve/' + ctx.params.name, { filename: ctx.params.name }) },
       ] };`,
  }).dir;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

eachDatabaseAndStorage('stored files are served whole, by range, and safely', async (t, db, store) => {
  const app = await makeApp(db, { config: { ...store.config, plugins: { dirs: [servePlugin()] } } });
  try {
    await store.storage.put('serve/letters.bin', Buffer.from(ALPHABET), 'application/octet-stream');
    await store.storage.put('serve/note.txt', Buffer.from(ALPHABET), 'text/plain');
    await store.storage.put('serve/page.html', Buffer.from('<script>alert(1)</script>'), 'text/html');
    const http = app.agent().http;
    const bytes = (r: { body: unknown; text?: string }): string => (Buffer.isBuffer(r.body) ? r.body.toString() : (r.text ?? ''));
    const get = (name: string, headers: Record<string, string> = {}) =>
      http
        .get(`/stored/${name}`)
        .set(headers)
        .buffer(true)
        .parse((res, done) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => done(null, Buffer.concat(parts)));
        });

    const whole = await get('letters.bin');
    t.is(whole.status, 200);
    t.is(bytes(whole), ALPHABET);
    t.is(whole.headers['accept-ranges'], 'bytes');
    t.is(whole.headers['content-length'], '26');
    t.is(whole.headers['x-content-type-options'], 'nosniff');
    t.regex(whole.headers['content-security-policy'], /sandbox/);
    t.regex(whole.headers['content-disposition'], /^attachment; filename="letters.bin"$/);

    const part = await get('letters.bin', { Range: 'bytes=2-5' });
    t.is(part.status, 206);
    t.is(bytes(part), 'cdef');
    t.is(part.headers['content-range'], 'bytes 2-5/26');
    t.is(part.headers['content-length'], '4');
    t.regex(part.headers['content-disposition'], /^attachment/, 'a range keeps the attachment rule');

    const open = await get('letters.bin', { Range: 'bytes=20-' });
    t.is(open.status, 206);
    t.is(bytes(open), 'uvwxyz');
    t.is(open.headers['content-range'], 'bytes 20-25/26');
    const suffix = await get('letters.bin', { Range: 'bytes=-3' });
    t.is(bytes(suffix), 'xyz');
    t.is(suffix.headers['content-range'], 'bytes 23-25/26');
    const beyond = await get('letters.bin', { Range: 'bytes=24-999' });
    t.is(beyond.status, 206);
    t.is(bytes(beyond), 'yz');
    t.is(beyond.headers['content-range'], 'bytes 24-25/26');

    for (const range of ['bytes=26-', 'bytes=30-40', 'bytes=-0']) {
      const refused = await http.get('/stored/letters.bin').set('Range', range).set('Accept', 'text/html');
      t.is(refused.status, 416, range);
      t.is(refused.headers['content-range'], 'bytes */26', range);
      t.regex(refused.text, /cannot be sent|outside/i, 'a page that says what is wrong');
      t.notRegex(refused.text, /at .*\.js:\d+/, 'no stack trace');
    }
    const french = await http.get('/stored/letters.bin').set('Range', 'bytes=99-').set('Accept-Language', 'fr').set('Accept', 'text/html');
    t.is(french.status, 416);
    t.regex(french.text, /fichier/);

    for (const ignored of ['bytes=0-1,4-5', 'items=0-3', 'bytes=5-2', 'nonsense']) {
      const full = await get('letters.bin', { Range: ignored });
      t.is(full.status, 200, ignored);
      t.is(bytes(full), ALPHABET, ignored);
    }
    const lastModified = whole.headers['last-modified'];
    t.truthy(lastModified);
    const same = await get('letters.bin', { Range: 'bytes=0-1', 'If-Range': lastModified });
    t.is(same.status, 206, 'If-Range naming the current date keeps the range');
    const changed = await get('letters.bin', { Range: 'bytes=0-1', 'If-Range': 'Thu, 01 Jan 2015 00:00:00 GMT' });
    t.is(changed.status, 200, 'If-Range naming another version gets the whole file');
    t.is(bytes(changed), ALPHABET);

    const head = await http.head('/stored/letters.bin');
    t.is(head.status, 200);
    t.is(head.headers['content-length'], '26');
    t.is(head.headers['accept-ranges'], 'bytes');
    const headRange = await http.head('/stored/letters.bin').set('Range', 'bytes=0-9');
    t.is(headRange.status, 206);
    t.is(headRange.headers['content-length'], '10');

    const note = await get('note.txt', { Range: 'bytes=0-2', 'Accept-Encoding': 'gzip, br' });
    t.is(note.status, 206);
    t.false('content-encoding' in note.headers, 'a range is never compressed');
    t.is(bytes(note), 'abc');
    t.false('content-disposition' in note.headers, 'plain text shows inline');
    const html = await get('page.html');
    t.regex(html.headers['content-disposition'], /^attachment/, 'HTML never inline');

    t.is((await http.get('/stored/missing.bin')).status, 404);
    t.is((await http.get('/stored/missing.bin').set('Range', 'bytes=0-1')).status, 404);
    t.is((await http.get('/stored/..')).status, 404, 'a name that makes no valid key is missing too');

    if (store.kind === 's3') {
      await store.drop();
      const down = await http.get('/stored/letters.bin').set('Accept', 'text/html');
      t.is(down.status, 500, 'a store that cannot be reached is an error, not a missing file');
      t.notRegex(down.text, /ECONNREFUSED|at .*\.js:\d+/, 'no internals shown');
    }
  } finally {
    await app.close();
  }
});
