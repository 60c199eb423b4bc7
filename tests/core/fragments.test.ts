// The rendered-fragment cache alone (core/cache/fragments.ts): bounded by its byte budget,
// per-request parts filled on each use, markers that member-written text cannot forge, and
// renders it must not keep.
import test from 'ava';
import Handlebars from 'handlebars';
import { FragmentCache } from '../../core/cache/fragments';
import { I18n } from '../../core/i18n/i18n';
import { registerHelpers, type RenderEnv } from '../../core/views/helpers';
import { Markdown } from '../../core/views/markdown';

function setup(maxBytes = 1_000_000) {
  const i18n = new I18n();
  const hb = Handlebars.create();
  registerHelpers(hb, i18n, new Markdown());
  const cache = new FragmentCache({ enabled: true, maxBytes }, i18n);
  const env = (csrfToken: string, can = false): RenderEnv => ({
    locale: 'en',
    csrfToken,
    now: new Date(),
    can: () => can,
    url: (target) => target,
    asset: (ref) => ref,
  });
  const render = (source: string, context: unknown, e: RenderEnv) => cache.render('default', source, hb.compile(source), context, e);
  return { cache, env, render };
}

test('a kept fragment is reused with each request’s own CSRF token, and its date rendered per request', (t) => {
  const { cache, env, render } = setup();
  const tpl = '<form>{{csrf}}</form><p>{{text}}</p>{{date at}}';
  const at = Date.now() - 60_000;
  const a = render(tpl, { text: 'hello', at }, env('token-A'));
  const b = render(tpl, { text: 'hello', at }, env('token-B'));
  t.true(a.includes('value="token-A"'));
  t.true(b.includes('value="token-B"'));
  t.false(b.includes('token-A'));
  t.regex(b, /<time datetime="[^"]+" title="[^"]+">[^<]+<\/time>/);
  t.false(b.includes('\u0000'));
  t.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses }, { hits: 1, misses: 1 });
});

test('different data is a different fragment; a Map, a function or a (can ...) render is never kept', (t) => {
  const { cache, env, render } = setup();
  t.is(render('{{x}}', { x: 1 }, env('t')), '1');
  t.is(render('{{x}}', { x: 2 }, env('t')), '2');
  t.is(cache.stats().entries, 2);
  render('{{x}}', { x: 1, m: new Map([[1, 2]]) }, env('t'));
  render('{{x}}', { x: 1, f: () => 1 }, env('t'));
  t.is(render('{{#if (can "x")}}yes{{else}}no{{/if}}', {}, env('t', true)), 'yes');
  t.is(render('{{#if (can "x")}}yes{{else}}no{{/if}}', {}, env('t', false)), 'no', 'a per-viewer helper is asked every time');
  t.is(cache.stats().entries, 2);
  t.is(cache.stats().uncacheable, 4);
});

test('a SafeString, a Date and plain data with the same JSON are three different fragments', (t) => {
  const { cache, env, render } = setup();
  const safe = new Handlebars.SafeString('<b>bold</b>');
  t.is(render('{{x}}', { x: safe }, env('t')), '<b>bold</b>');
  t.is(render('{{x}}', { x: { string: '<b>bold</b>' } }, env('t')), '[object Object]');
  t.is(render('{{x}}', { x: '<b>bold</b>' }, env('t')), '&lt;b&gt;bold&lt;/b&gt;');
  const at = new Date(0);
  t.is(render('{{x}}', { x: at.toISOString() }, env('t')), at.toISOString());
  t.not(render('{{x}}', { x: at }, env('t')), at.toISOString(), 'a Date renders as a Date, not as the string before it');
  t.is(render('{{#each x}}{{this}}{{/each}}', { x: [safe] }, env('t')), '<b>bold</b>', 'inside an array too');
  t.is(render('{{#each x}}{{this}}{{/each}}', { x: ['<b>bold</b>'] }, env('t')), '&lt;b&gt;bold&lt;/b&gt;');
  t.deepEqual({ hits: cache.stats().hits, entries: cache.stats().entries }, { hits: 0, entries: 7 });
});

test('text that looks like a marker is left as written', (t) => {
  const { env, render } = setup();
  const text = '\u0000000000000000000000000000c\u0000 and \u0000c\u0000';
  const html = render('{{text}}', { text }, env('secret-token'));
  t.false(html.includes('secret-token'));
});

test('the byte budget holds: the least recently used fragments go first', (t) => {
  const { cache, env, render } = setup(20_000);
  for (let i = 0; i < 200; i++) render('<p>{{i}} {{pad}}</p>', { i, pad: 'x'.repeat(400) }, env('t'));
  const s = cache.stats();
  t.true(s.bytes <= 20_000, `${s.bytes} bytes`);
  t.true(s.entries > 5 && s.entries < 200);
  const before = cache.stats().hits;
  render('<p>{{i}} {{pad}}</p>', { i: 199, pad: 'x'.repeat(400) }, env('t'));
  t.is(cache.stats().hits, before + 1, 'the newest is still there');
  render('<p>{{i}} {{pad}}</p>', { i: 0, pad: 'x'.repeat(400) }, env('t'));
  t.is(cache.stats().hits, before + 1, 'the oldest was dropped');
});

test('a cyclic or very deep context is rendered, not kept; several marks are filled in their places', (t) => {
  const { cache, env, render } = setup();
  const cyclic: Record<string, unknown> = { x: 'loop' };
  cyclic.self = cyclic;
  t.is(render('{{x}}', cyclic, env('t')), 'loop');
  let deep: Record<string, unknown> = { x: 'deep' };
  for (let i = 0; i < 40; i++) deep = { x: 'deep', inner: deep };
  t.is(render('{{x}}', deep, env('t')), 'deep');
  t.deepEqual({ entries: cache.stats().entries, uncacheable: cache.stats().uncacheable }, { entries: 0, uncacheable: 2 });
  const tpl = '<a>{{csrf}}</a>{{date at}}<b>{{csrf}}</b>{{date at style="date"}}<i>{{text}}</i>';
  const at = Date.now() - 3_600_000;
  const first = render(tpl, { at, text: 'end' }, env('tok-1'));
  const again = render(tpl, { at, text: 'end' }, env('tok-2'));
  t.is(again, first.replaceAll('tok-1', 'tok-2'), 'the kept parts joined again with the second token');
  t.is(again.split('value="tok-2"').length, 3);
  t.true(again.endsWith('<i>end</i>'));
  t.is(cache.stats().hits, 1);
});
