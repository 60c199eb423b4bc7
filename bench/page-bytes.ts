/**
 * Whether each bench page is built as a one-byte string (issue 18): V8 stores a string of
 * Latin-1 characters one byte a character, and the whole page two bytes a character as soon as
 * one piece holds anything beyond Latin-1 ("…", "⋯", an emoji). Loads each page of
 * bench-targets.json in-process as its member (after one warm-up request) and prints the page's
 * length, how V8 stores it (from its serialised form), and the characters beyond Latin-1 it holds,
 * with the text around the first of each.
 *
 *   node dist/bench/page-bytes.js <site dir with config/local.json> [page name filter, or a path]
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp, loadConfig } from '../core';
import { runScript } from './lib/scratch';
import { storedOneByte } from '../core/views/one-byte';

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '.');
  const filter = process.argv[3] ?? '';
  const config = loadConfig({ cwd: dir, env: {}, overrides: { log: { level: 'silent', pretty: false } } });
  const targets = JSON.parse(fs.readFileSync(path.join(config.dataDir, 'bench-targets.json'), 'utf8')) as {
    pages: { name: string; path: string; as: string }[];
  };
  const app = await createApp(config, { cwd: dir });
  const rt = app.ruche;
  let page = '';
  const render = rt.views.render.bind(rt.views);
  rt.views.render = (...args: Parameters<typeof render>) => (page = render(...args));
  const pages = filter.startsWith('/')
    ? [{ name: filter, path: filter, as: targets.pages[0].as }]
    : targets.pages.filter((p) => p.name.includes(filter));
  const cookies = new Map<string, string>();
  for (const target of pages) {
    if (!cookies.has(target.as)) {
      const user = await rt.db('users').where({ username: target.as }).first('id');
      cookies.set(target.as, `${config.session.cookieName}=${await rt.sessions.create(Number(user.id))}`);
    }
    for (let i = 0; i < 2; i++) await request(app.callback()).get(target.path).set('Cookie', cookies.get(target.as)!);
    const found = new Map<string, { count: number; at: string }>();
    for (const m of page.matchAll(/[\u0100-\u{10ffff}]/gu)) {
      const seen = found.get(m[0]);
      if (seen) seen.count++;
      else found.set(m[0], { count: 1, at: page.slice(Math.max(0, m.index - 60), m.index + 20).replace(/\s+/g, ' ') });
    }
    process.stdout.write(
      `\n== ${target.name} ${target.path}: ${page.length} characters, ${storedOneByte(page) ? 'one byte' : 'TWO BYTES'} a character\n`,
    );
    for (const [c, f] of found) process.stdout.write(`  U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ×${f.count}  …${f.at}…\n`);
  }
  await app.close();
}

runScript('page-bytes', main);
