/**
 * Uploads are streamed to disk, not held in memory: a 100 MB file sent in a form grows the
 * server's memory by a small fraction of its size, arrives intact, and its temporary file is
 * gone once the response is over; a body declared larger than the limit is refused before a
 * byte is read. (SQLite and local storage: what is measured is the HTTP layer's.)
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { makeApp, type TestApp } from '../helpers/app';
import { freshDatabase } from '../helpers/databases';
import { tempPlugins } from '../fixtures/support';

const MB = 1024 * 1024;

function streamPlugin(): string {
  return tempPlugins({
    stream: `const fs = require('node:fs');
     const { uploadedFiles } = require('ruche');
     exports.default = { id: 'stream', version: '1.0.0', name: 'Stream', description: 'Stream', core: '^1.0.0', defaultEnabled: true,
       routes: [
         { name: 'stream.post', method: 'POST', path: '/stream', public: true, async handler(ctx) {
             const out = [];
             for (const f of uploadedFiles(ctx)) {
               await ctx.ruche.storage.put('stream/' + f.filename, f.open(), 'application/octet-stream');
               out.push({ name: f.filename, size: f.size, spooled: fs.existsSync(f.path), spool: f.path, head: f.head.length });
             }
             return { json: { files: out } };
         } },
       ] };`,
  }).dir;
}

interface Sent {
  status: number;
  body: string;
}

/** Sends a multipart form with one file of `size` bytes, generated chunk by chunk (the client holds none of it). */
function sendForm(port: number, headers: Record<string, string>, csrf: string, size: number, declared?: number): Promise<Sent & { sha: string }> {
  const boundary = 'ruche-stream-boundary';
  const before = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const after = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = declared ?? before.length + size + after.length;
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent: false,
        method: 'POST',
        path: '/stream',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(length >= 0 ? { 'content-length': String(length) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sha: hash.digest('hex') }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(256 * 1024);
    let sent = 0;
    let n = 0;
    const pump = (): void => {
      if (sent === 0 && n === 0) req.write(before);
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        part.fill(n++ % 251);
        hash.update(part);
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', pump);
      }
      req.end(after);
    };
    pump();
  });
}

/** The cookie and CSRF token a browser would have after opening the sign-in page. Each request has its own connection. */
async function session(port: number): Promise<{ cookie: string; csrf: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/login', agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
          const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
          resolve({ cookie, csrf });
        });
      })
      .on('error', reject);
  });
}

let app: TestApp;
let server: http.Server;
let port: number;

test.before(async () => {
  const db = await freshDatabase('sqlite');
  app = await makeApp(db, { config: { plugins: { dirs: [streamPlugin()] }, limits: { jsonBody: '1mb', formBody: '1mb', uploadBody: '150mb' } } });
  server = http.createServer(app.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

test.after.always(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await app?.close();
});

// Memory in use, mostly without the short-lived garbage of the stream's chunks: a young-generation
// collection (a few milliseconds, unlike a full one that would stall the upload) runs before each sample.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as (options: { type: 'minor' }) => void;
const used = (): number => {
  collect({ type: 'minor' });
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

test.serial('a 100 MB upload is streamed to disk: memory grows by a fraction of it, the bytes arrive intact, the spool is removed', async (t) => {
  const { cookie, csrf } = await session(port);
  const size = 100 * MB;
  const baseline = used();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 50);
  const res = await sendForm(port, { cookie }, csrf, size);
  clearInterval(sampler);
  t.is(res.status, 200, res.body);
  const [file] = (JSON.parse(res.body) as { files: { name: string; size: number; spooled: boolean; spool: string; head: number }[] }).files;
  t.is(file.size, size);
  t.true(file.spooled, 'the handler reads the bytes from a temporary file');
  t.is(file.head, 4100, 'the first bytes are kept to judge the type');
  const stored = await app.app.ruche.storage.stream('stream/big.bin');
  const hash = createHash('sha256');
  for await (const c of stored!.body) hash.update(c as Buffer);
  t.is(hash.digest('hex'), res.sha, 'stored intact');
  const growth = peak - baseline;
  // Held whole, the file would grow memory by more than its size (its chunks, then their concatenation).
  // Streamed, it grows by what the collector has not taken back yet: 13-28 MB alone, 32.5 once in CI with
  // another test file beside it; half the file still tells streaming from holding.
  t.true(growth < 50 * MB, `memory grew by ${(growth / MB).toFixed(1)} MB for a 100 MB upload`);
  // The temporary file goes once the response is over.
  for (let i = 0; i < 50 && fs.existsSync(file.spool); i++) await new Promise((r) => setTimeout(r, 20));
  t.false(fs.existsSync(file.spool));
});

test.serial('a body declared larger than the limit is refused with 413 before it is read; nothing is stored', async (t) => {
  const { cookie, csrf } = await session(port);
  const spools = (): string[] => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('ruche-upload-'));
  const before = spools().length;
  const res = await sendForm(port, { cookie }, csrf, 2 * MB, 200 * MB);
  t.is(res.status, 413);
  t.is(await app.app.ruche.storage.head('stream/big2.bin'), undefined);
  t.is(spools().length, before, 'no temporary folder was made');
});

test.serial('a body that passes the limit while it streams is refused with 413 and its temporary file removed', async (t) => {
  const { cookie, csrf } = await session(port);
  const spools = (): string[] => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('ruche-upload-'));
  const before = spools().length;
  // A chunked body declares no length: the limit is found while it streams. The server answers 413 and
  // closes; a client still sending may see the connection reset before it reads the answer (as with any
  // server that stops reading), so either is accepted here: what matters is that nothing is kept.
  const res = await sendForm(port, { cookie, 'transfer-encoding': 'chunked' }, csrf, 151 * MB, -1).catch((err: NodeJS.ErrnoException) => ({
    status: err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 413 : 0,
    body: err.message,
    sha: '',
  }));
  t.is(res.status, 413, res.body);
  for (let i = 0; i < 50 && spools().length > before; i++) await new Promise((r) => setTimeout(r, 20));
  t.is(spools().length, before, 'the temporary folder is removed');
});
