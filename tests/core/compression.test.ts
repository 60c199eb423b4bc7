/**
 * Responses compressed by Accept-Encoding (core/http/compression.ts, issue 18): a real page
 * and a theme stylesheet over real HTTP in brotli and gzip, `Vary: Accept-Encoding`, the
 * config switch that leaves it to a proxy, WebSocket upgrades untouched; and, on a bare Koa
 * app with the same middleware, what is never compressed (tiny bodies, images and archives,
 * streams of unknown length, HEAD).
 */
import http from 'node:http';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import test from 'ava';
import Koa from 'koa';
import request from 'supertest';
import WebSocket from 'ws';
import { listen, type RunningServer } from '../../core';
import { compression } from '../../core/http/compression';
import { eachDatabase } from '../helpers/databases';
import { ADMIN, makeApp, type TestApp } from '../helpers/app';
import { chatServer } from '../plugins/chat/support';
import { eachApp } from '../helpers/each-app';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes on the wire, not decoded. */
  body: Buffer;
}

/** A GET over a real socket, the body kept exactly as sent. */
function get(server: RunningServer, path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The admin's home feed on a served app, signed in with a session cookie. */
async function served(app: TestApp): Promise<{ server: RunningServer; cookie: string }> {
  const rt = app.app.ruche;
  const admin = await rt.db('users').where({ username: 'admin' }).first('id');
  const cookie = `${rt.config.session.cookieName}=${await rt.sessions.create(admin.id)}`;
  return { server: await listen(app.app, 0, '127.0.0.1'), cookie };
}

const encoding = (res: { headers: Record<string, unknown> }) => res.headers['content-encoding'] as string | undefined;
const varies = (r: RawResponse) =>
  String(r.headers.vary ?? '')
    .toLowerCase()
    .includes('accept-encoding');

eachDatabase('a signed-in page is sent in brotli or gzip as the browser accepts, with Vary: Accept-Encoding', async (t, db) => {
  const app = await makeApp(db);
  const { server, cookie } = await served(app);
  try {
    const plain = await get(server, '/', { cookie });
    t.is(plain.status, 200);
    t.is(encoding(plain), undefined, 'no Accept-Encoding: sent as it is');
    t.true(varies(plain));
    const html = plain.body.toString('utf8');
    t.regex(html, /<\/html>\s*$/);

    const br = await get(server, '/', { cookie, 'accept-encoding': 'gzip, deflate, br' });
    t.is(encoding(br), 'br', 'brotli preferred when offered');
    t.true(varies(br));
    t.is(br.headers['content-length'], String(br.body.length), 'the length of the compressed body');
    const fromBr = zlib.brotliDecompressSync(br.body).toString('utf8');
    t.regex(fromBr, /<\/html>\s*$/);
    // Pages get the fastest levels (core/http/compression.ts): a small page shrinks less than 3 times.
    t.true(br.body.length * 2 < fromBr.length, `br ${br.body.length} bytes for ${fromBr.length}`);

    const gzip = await get(server, '/', { cookie, 'accept-encoding': 'gzip' });
    t.is(encoding(gzip), 'gzip');
    const fromGzip = zlib.gunzipSync(gzip.body).toString('utf8');
    t.regex(fromGzip, /<\/html>\s*$/);
    t.true(gzip.body.length * 2 < fromGzip.length, `gzip ${gzip.body.length} bytes for ${fromGzip.length}`);
    const title = (s: string) => /<title>[^<]*<\/title>/.exec(s)?.[0];
    t.is(title(fromBr), title(html));
    t.is(title(fromGzip), title(html));

    t.is((await get(server, '/', { cookie, 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding'], 'gzip');
    t.is((await get(server, '/', { cookie, 'accept-encoding': 'deflate' })).headers['content-encoding'], undefined, 'deflate is not offered');

    const css = await get(server, '/assets/theme/default/css/ruche.css', { 'accept-encoding': 'br' });
    t.is(css.status, 200);
    t.is(encoding(css), 'br', 'theme stylesheets too');
    t.regex(zlib.brotliDecompressSync(css.body).toString('utf8'), /--color-primary/);
  } finally {
    await server.stop();
    await app.close();
  }
});

eachDatabase('compression.enabled: false sends every page as it is (a proxy in front compresses)', async (t, db) => {
  const app = await makeApp(db, { config: { compression: { enabled: false } } });
  const { server, cookie } = await served(app);
  try {
    for (const accepted of ['br', 'gzip']) {
      const res = await get(server, '/', { cookie, 'accept-encoding': accepted });
      t.is(res.status, 200);
      t.is(encoding(res), undefined, accepted);
      t.false(varies(res), 'nothing varies by encoding');
      t.regex(res.body.toString('utf8'), /<\/html>\s*$/);
    }
  } finally {
    await server.stop();
    await app.close();
  }
});

eachDatabase('a WebSocket upgrade asking for compressed encodings still opens', async (t, db) => {
  const s = await chatServer(db);
  try {
    const ana = await s.member('ana', 'Ana');
    const page = await get(s.server, '/', { cookie: await s.cookie(ana), 'accept-encoding': 'br' });
    t.is(encoding(page), 'br', 'compression is on in this server');
    const ws = new WebSocket(s.url.replace(/^http/, 'ws') + '/chat/socket', {
      headers: { cookie: await s.cookie(ana), origin: s.url, 'accept-encoding': 'gzip, br' },
    });
    const opened = await new Promise<number>((resolve, reject) => {
      ws.once('open', () => resolve(ws.readyState));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      ws.once('error', reject);
    });
    t.is(opened, WebSocket.OPEN);
    ws.close();
  } finally {
    await s.close();
  }
});

/** A bare Koa app with the middleware and one handler. */
function bare(handler: Koa.Middleware, threshold = 1024) {
  const app = new Koa();
  app.use(compression({ enabled: true, threshold })!);
  app.use(handler);
  return request(app.callback());
}

const big = 'Ruche '.repeat(1000);

test('tiny bodies, images, archives and HEAD are sent as they are', async (t) => {
  const tiny = await bare((ctx) => void ((ctx.type = 'html'), (ctx.body = '<p>short</p>')))
    .get('/')
    .set('Accept-Encoding', 'gzip, br');
  t.is(encoding(tiny), undefined);
  t.regex(tiny.headers.vary ?? '', /Accept-Encoding/);
  for (const type of ['image/png', 'image/jpeg', 'application/zip', 'application/gzip']) {
    const res = await bare((ctx) => void ((ctx.type = type), (ctx.body = Buffer.alloc(8000, 7))))
      .get('/')
      .set('Accept-Encoding', 'gzip, br');
    t.is(encoding(res), undefined, type);
  }
  const head = await bare((ctx) => void ((ctx.type = 'html'), (ctx.body = big)))
    .head('/')
    .set('Accept-Encoding', 'br');
  t.is(encoding(head), undefined);
  const svg = await bare((ctx) => void ((ctx.type = 'image/svg+xml'), (ctx.body = `<svg>${big}</svg>`)))
    .get('/')
    .set('Accept-Encoding', 'gzip');
  t.is(encoding(svg), 'gzip', 'SVG is text');
});

test('a streamed body of unknown length, or an event stream, is not held back by a compressor', async (t) => {
  const streamed = await bare((ctx) => {
    const body = new PassThrough();
    ctx.type = 'text/plain';
    ctx.body = body;
    body.end(big);
  })
    .get('/')
    .set('Accept-Encoding', 'gzip, br');
  t.is(encoding(streamed), undefined);
  t.is(streamed.text, big);
  const events = await bare((ctx) => {
    ctx.type = 'text/event-stream';
    ctx.body = `data: ${big}\n\n`;
  })
    .get('/')
    .set('Accept-Encoding', 'gzip');
  t.is(encoding(events), undefined);
  // A stream whose length is known (a file) is compressed like any body.
  const file = await bare((ctx) => {
    const body = new PassThrough();
    ctx.type = 'text/css';
    ctx.body = body;
    ctx.length = Buffer.byteLength(big);
    body.end(big);
  })
    .get('/')
    .set('Accept-Encoding', 'gzip');
  t.is(encoding(file), 'gzip');
  t.is(file.text, big);
});

eachApp('pages carry the CSRF token masked afresh in every response (no fixed secret for BREACH), each accepted', makeApp, async (t, app) => {
  const agent = app.agent();
  const first = await agent.csrf('/login');
  const second = await agent.csrf('/login');
  t.not(first, second, 'two responses, two masks');
  t.regex(first, /^[\w-]+\.[\w-]+$/);
  const login = (token: string) => agent.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password });
  // A mask with a changed pad no longer unmasks to the token.
  const [pad, masked] = first.split('.');
  const otherPad = pad.startsWith('A') ? `B${pad.slice(1)}` : `A${pad.slice(1)}`;
  t.is((await login(`${otherPad}.${masked}`)).status, 403);
  t.is((await login(first)).status, 303, 'an earlier mask of the same token is still good');
});
