/**
 * The floor of the page bench: a bare Koa server (no router, no database, no templates)
 * answering GET /<n> with a fixed HTML string of n bytes. Run as its own process by
 * bench/lib/floor.ts; prints `floor serving <url>` once it listens on 127.0.0.1.
 */
import Koa from 'koa';

const bodies = new Map<number, string>();

function body(n: number): string {
  let s = bodies.get(n);
  if (s === undefined) {
    const head = '<!doctype html><html><head><title>floor</title></head><body><p>';
    const tail = '</p></body></html>';
    s = n <= head.length + tail.length ? 'x'.repeat(n) : head + 'x'.repeat(n - head.length - tail.length) + tail;
    bodies.set(n, s);
  }
  return s;
}

const app = new Koa();
app.use((ctx) => {
  const n = Number(ctx.path.slice(1));
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = body(Number.isInteger(n) && n >= 0 && n <= 10_000_000 ? n : 0);
});
const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(`floor serving http://127.0.0.1:${port}\n`);
});
const quit = () => server.close(() => process.exit(0));
process.on('SIGTERM', quit);
process.on('SIGINT', quit);
