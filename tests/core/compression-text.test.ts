/**
 * Pages and JSON answers are compressed in one call (core/http/compression.ts, issue 18): the
 * answer carries the compressed size as its Content-Length, decodes to the very body, and the
 * encoding is negotiated as koa-compress does for streams (qualities, ties to br, `*`). Pages
 * (under LARGE_BODY) get the fastest levels, brotli 1 and gzip 1; larger bodies brotli 4, gzip 6.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import test from 'ava';
import Koa from 'koa';
import { chooseEncoding, compression, LARGE_BODY } from '../../core/http/compression';
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

const page = `<!doctype html><html><body>${'<p>Ruche, a hive of pages.</p>'.repeat(200)}</body></html>`;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes on the wire, not decoded. */
  body: Buffer;
}

/** One GET over a real socket to `handler` (a Koa callback), the body kept exactly as sent. */
async function getRaw(handler: http.RequestListener, pathname: string, headers: Record<string, string>): Promise<Raw> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<Raw>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A bare Koa app with the middleware and one handler. */
function bare(handler: Koa.Middleware): http.RequestListener {
  const app = new Koa();
  app.use(compression({ enabled: true, threshold: 1024 })!);
  app.use(handler);
  return app.callback();
}

test('page-sized bodies get the fastest levels, larger ones brotli 4 and gzip 6', async (t) => {
  const words = (n: number): string => Array.from({ length: n }, (_, i) => `<li data-i="${i}">entry ${(i * 7919) % 10007} of the hive</li>`).join('');
  const small = `<!doctype html><ul>${words(2000)}</ul>`;
  const large = `<!doctype html><ul>${words(6000)}</ul>`;
  t.true(Buffer.byteLength(small) < LARGE_BODY && Buffer.byteLength(large) > LARGE_BODY);
  const br = (text: string, quality: number): Buffer =>
    zlib.brotliCompressSync(Buffer.from(text), {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) },
    });
  const get = async (text: string, encoding: string) =>
    (
      await getRaw(
        bare((ctx) => void ((ctx.type = 'html'), (ctx.body = text))),
        '/',
        { 'accept-encoding': encoding },
      )
    ).body;
  t.deepEqual(await get(small, 'br'), br(small, 0));
  t.deepEqual(await get(large, 'br'), br(large, 4));
  t.deepEqual(await get(small, 'gzip'), zlib.gzipSync(small, { level: 1 }));
  t.deepEqual(await get(large, 'gzip'), zlib.gzipSync(large, { level: 6 }));
});

test('an HTML body is sent compressed with its compressed length', async (t) => {
  for (const [accepted, decode] of [
    ['br', zlib.brotliDecompressSync],
    ['gzip', zlib.gunzipSync],
  ] as const) {
    const res = await getRaw(
      bare((ctx) => void ((ctx.type = 'html'), (ctx.body = page))),
      '/',
      { 'accept-encoding': accepted },
    );
    t.is(res.status, 200);
    t.is(res.headers['content-encoding'], accepted);
    t.regex(res.headers['content-type'] ?? '', /^text\/html/);
    const body = res.body;
    t.is(res.headers['content-length'], String(body.length), accepted);
    t.true(body.length * 5 < Buffer.byteLength(page));
    t.is(decode(body).toString('utf8'), page);
  }
});

test('a JSON answer is compressed too, and decodes to the same JSON', async (t) => {
  const data = { items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `entry ${i}` })) };
  const res = await getRaw(
    bare((ctx) => void (ctx.body = data)),
    '/',
    { 'accept-encoding': 'gzip, br' },
  );
  t.is(res.headers['content-encoding'], 'br');
  t.regex(res.headers['content-type'] ?? '', /^application\/json/);
  t.is(res.headers['content-length'], String(res.body.length));
  t.deepEqual(JSON.parse(zlib.brotliDecompressSync(res.body).toString('utf8')), data);
});

test('a body already encoded, or a no-transform answer is left alone', async (t) => {
  const encoded = await getRaw(
    bare((ctx) => {
      ctx.type = 'html';
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = zlib.gzipSync(page);
    }),
    '/',
    { 'accept-encoding': 'br' },
  );
  t.is(encoded.headers['content-encoding'], 'gzip', 'not compressed twice');
  t.is(zlib.gunzipSync(encoded.body).toString('utf8'), page);
  const untouched = await getRaw(
    bare((ctx) => {
      ctx.type = 'html';
      ctx.set('Cache-Control', 'private, no-transform');
      ctx.body = page;
    }),
    '/',
    { 'accept-encoding': 'br' },
  );
  t.is(untouched.headers['content-encoding'], undefined);
  t.is(untouched.body.toString('utf8'), page);
});

test('the encoding follows the qualities of Accept-Encoding, ties going to brotli', (t) => {
  const cases: [string, 'br' | 'gzip' | undefined][] = [
    ['', undefined],
    ['identity', undefined],
    ['deflate', undefined],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['gzip, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['gzip;q=0.5, identity', undefined],
    ['br;q=0.5', 'br'],
    ['*', 'gzip'],
    ['*;q=1, br;q=0', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['BR', 'br'],
  ];
  for (const [header, expected] of cases) t.is(chooseEncoding(header), expected, JSON.stringify(header));
});

eachDatabase('the login page travels compressed with its length', async (t, db) => {
  const app = await makeApp(db);
  try {
    const res = await getRaw(app.app.callback(), '/login', { 'accept-encoding': 'br' });
    t.is(res.status, 200);
    t.is(res.headers['content-encoding'], 'br');
    t.is(res.headers['content-length'], String(res.body.length));
    t.regex(zlib.brotliDecompressSync(res.body).toString('utf8'), /name="_csrf"/);
  } finally {
    await app.close();
  }
});
