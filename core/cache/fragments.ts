/**
 * Rendered fragments (issue 18): the HTML of a feed card, kept by what it was rendered from so
 * that the next page showing the same card does not run its templates again.
 *
 * In a template, `{{fragment "activity/partials/entry"}}` renders that partial with the current
 * context (or `{{fragment "name" context}}`) through this cache. The key is a SHA-256 of
 * everything the HTML is a function of: the theme, the locale, the network's base path, the
 * partial's name and the whole context as JSON — the entity's fields, its counts, and the
 * viewer's own parts the card's data carries (my reaction, may I edit, the page to come back
 * to). Two requests get the same HTML only when they would have rendered the same HTML, so a
 * card can never be served to a viewer whose card differs, and a change anywhere (an edit, a
 * comment, a reaction, a new avatar, by this process, another worker or the CLI) is a change
 * of the data read for the page, hence a new key: there is nothing to invalidate and nothing
 * stale to serve across processes.
 *
 * A caller that knows what the context is a function of may name it instead (issue 18):
 * `{{fragment "name" context key=k}}` keys the HTML by `k`, plain data that must determine every
 * value the partial reads from its context (with the theme, locale and base path, which the key
 * always holds): an entity's version (`entities.version`, bumped by every write of what its card
 * shows) and the viewer's own facts in place of the data they produce. A key is read apart from a
 * context's JSON (its own prefix), so the two kinds never meet. `key=undefined` keys by the context.
 *
 * A caller that can make a fragment's key before reading its data (a feed card kept by version,
 * plugins/activity/kept-cards.ts) asks `take(theme, name, env, key)` first: given the kept HTML, it
 * skips those reads and hands it to `{{fragment "name" kept=k}}`, which fills it (only `take` makes
 * such an object: a page's data cannot pass HTML off as kept).
 *
 * What a render does per request is left outside the kept HTML as markers, filled on each use:
 * the CSRF token of the form fields (`{{csrf}}`) and dates (`{{date}}`: "5 minutes ago" is
 * per request). The markers carry a random secret of the process, so text a member wrote
 * cannot forge one. A fragment whose render asks a per-viewer helper (`{{#if (can ...)}}`) is
 * rendered every time and not kept; so is one whose context holds anything but plain data
 * (a Map, a function, an instance: its JSON would not tell it all).
 *
 * Memory is bounded: a least-recently-used map with a byte budget (`cache.fragmentBytes`).
 * `cache.fragments: false` renders every fragment every time.
 */
import crypto, { randomBytes } from 'node:crypto';
import Handlebars from 'handlebars';
import type { I18n } from '../i18n/i18n';
import { dateHtml, type RenderEnv } from '../views/helpers';

export interface FragmentOptions {
  enabled: boolean;
  /** Budget of the kept HTML and keys, in bytes (UTF-16: two per character). */
  maxBytes: number;
}

export interface FragmentStats {
  entries: number;
  bytes: number;
  hits: number;
  misses: number;
  /** Renders that could not be kept (a per-viewer helper, or data that is not plain). */
  uncacheable: number;
}

const UNCACHEABLE = new Error('fragment context is not plain data');
const DATE_STYLES = new Set(['date', 'datetime', 'time']);

/** A value that is not an object: throws UNCACHEABLE unless JSON tells it all (a string, boolean, finite number). */
function checkScalar(value: unknown): void {
  if (
    typeof value === 'number'
      ? !Number.isFinite(value)
      : typeof value !== 'string' && typeof value !== 'boolean' && value !== undefined && value !== null
  )
    throw UNCACHEABLE;
}

/** An object other than a Date or a SafeString: throws UNCACHEABLE unless it is a plain object or an array. */
function checkPlainObject(value: object): void {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) throw UNCACHEABLE;
}

/** Plain data only, with dates and safe strings told apart from strings; throws UNCACHEABLE on anything else. */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (typeof raw !== 'object' || raw === null) checkScalar(raw);
  else if (raw instanceof Date) return { '\u0000date': raw.getTime() };
  else if (raw instanceof Handlebars.SafeString) return { '\u0000safe': raw.toString() };
  else checkPlainObject(raw);
  return value;
}

/** How deep a fragment's context may nest before it is rendered without being kept. */
const MAX_DEPTH = 32;

/**
 * Whether `value` holds a Date or a SafeString (which only the replacer's JSON tells apart from
 * plain data); throws UNCACHEABLE on anything but plain data, as the replacer does. Plain data
 * is then written by V8's own JSON.stringify, without a call per value.
 */
function holdsSpecial(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) {
    checkScalar(value);
    return false;
  }
  if (value instanceof Date || value instanceof Handlebars.SafeString) return true;
  if (depth > MAX_DEPTH) throw UNCACHEABLE;
  checkPlainObject(value);
  let special = false;
  if (Array.isArray(value)) for (const item of value) special = holdsSpecial(item, depth + 1) || special;
  else for (const key in value) special = holdsSpecial((value as Record<string, unknown>)[key], depth + 1) || special;
  return special;
}

/** SHA-256 in one call where Node has `crypto.hash` (20.12), else through a Hash object. */
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;
const sha256 = oneShot
  ? (text: string) => oneShot('sha256', text, 'base64')
  : (text: string) => crypto.createHash('sha256').update(text).digest('base64');

/**
 * Kept HTML split at its markers: `texts[i]`, then the value of `marks[i]`, …, then the last text.
 * An instance (never plain data) so that only `FragmentCache.take` makes one: `{{fragment ...
 * kept=k}}` cannot be handed HTML from a page's data.
 */
export class KeptFragment {
  constructor(
    readonly texts: string[],
    /** Per-request parts: the CSRF token (`null`), or a date (its time and style). */
    readonly marks: ({ ms: number; style: string | undefined } | null)[],
    readonly size: number,
  ) {}
}

export class FragmentCache {
  private readonly entries = new Map<string, KeptFragment>();
  private bytes = 0;
  private readonly counts = { hits: 0, misses: 0, uncacheable: 0 };
  /** The markers' secret: random per process, so member-written text cannot contain one. */
  private readonly secret = randomBytes(12).toString('hex');
  private readonly markerRe = new RegExp(`\u0000${this.secret}(?:c|d(-?\\d+)(?::(\\w+))?)\u0000`, 'g');

  constructor(
    readonly options: FragmentOptions,
    private readonly i18n: I18n,
  ) {}

  get enabled(): boolean {
    return this.options.enabled && this.options.maxBytes > 0;
  }

  stats(): FragmentStats {
    return { entries: this.entries.size, bytes: this.bytes, ...this.counts };
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /**
   * The HTML of `template` for `context`, from the cache when the same inputs were rendered
   * before, with this request's CSRF token and dates filled in.
   */
  render(theme: string, name: string, template: Handlebars.TemplateDelegate, context: unknown, env: RenderEnv, named?: unknown): string {
    if (!this.enabled) return template(context, { data: { ruche: env } });
    const key = this.digest(theme, name, env, context, named);
    if (key === undefined) {
      this.counts.uncacheable++;
      return template(context, { data: { ruche: env } });
    }
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      this.counts.hits++;
      this.entries.delete(key);
      this.entries.set(key, kept);
      return this.fill(kept, env);
    }
    this.counts.misses++;
    let perViewer = false;
    const marked: RenderEnv = {
      ...env,
      csrfToken: `\u0000${this.secret}c\u0000`,
      dateMark: (d, style) => `\u0000${this.secret}d${d.getTime()}${style && DATE_STYLES.has(style) ? `:${style}` : ''}\u0000`,
      can: (capability) => {
        perViewer = true;
        return env.can(capability);
      },
    };
    const html = template(context, { data: { ruche: marked } });
    const fragment = this.split(html, key);
    if (perViewer) {
      this.counts.uncacheable++;
    } else {
      this.keep(key, fragment);
    }
    return this.fill(fragment, env);
  }

  /**
   * The fragment kept for `name` under the named `key` (as `{{fragment name context key=key}}` in
   * this theme, locale and base path would find it), counted as a hit; undefined when there is none
   * (or the key is not plain data). A caller given one skips reading what the fragment would be
   * rendered from and hands it to `{{fragment name kept=k}}`, which fills it: held by the caller,
   * it cannot be evicted before that render.
   */
  take(theme: string, name: string, env: Pick<RenderEnv, 'locale' | 'url'>, key: unknown): KeptFragment | undefined {
    if (!this.enabled || key === undefined) return undefined;
    const digest = this.digest(theme, name, env, undefined, key);
    const kept = digest === undefined ? undefined : this.entries.get(digest);
    if (kept === undefined || digest === undefined) return undefined;
    this.counts.hits++;
    this.entries.delete(digest);
    this.entries.set(digest, kept);
    return kept;
  }

  /** A fragment `take` answered, with this request's CSRF token and dates. */
  use(kept: KeptFragment, env: RenderEnv): string {
    return this.fill(kept, env);
  }

  /** The cache key of a render: the named key's JSON, else the context's; undefined when it is not plain data. */
  private digest(theme: string, name: string, env: Pick<RenderEnv, 'locale' | 'url'>, context: unknown, named: unknown): string | undefined {
    let json: string;
    try {
      // The kind of key first: a named key ("k") and a context ("c") are never read as each other.
      const keyed = named === undefined ? context : named;
      json = `${named === undefined ? 'c' : 'k'}${(holdsSpecial(keyed) ? JSON.stringify(keyed, replacer) : JSON.stringify(keyed)) ?? ''}`;
    } catch (e) {
      if (e !== UNCACHEABLE) throw e;
      return undefined;
    }
    return sha256(`${theme}\u0000${env.locale}\u0000${env.url('/')}\u0000${name}\u0000${json}`);
  }

  private keep(key: string, fragment: KeptFragment): void {
    if (fragment.size > this.options.maxBytes / 4) return;
    this.entries.set(key, fragment);
    this.bytes += fragment.size;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.size;
    }
  }

  /** The rendered HTML cut at its markers, once, so that each use only joins the parts. */
  private split(html: string, key: string): KeptFragment {
    const texts: string[] = [];
    const marks: KeptFragment['marks'] = [];
    let from = 0;
    for (const m of html.matchAll(this.markerRe)) {
      texts.push(html.slice(from, m.index));
      marks.push(m[1] === undefined ? null : { ms: Number(m[1]), style: m[2] });
      from = m.index + m[0].length;
    }
    texts.push(from ? html.slice(from) : html);
    return new KeptFragment(texts, marks, 2 * (key.length + html.length));
  }

  /** The kept HTML with this request's CSRF token and dates (or, inside another fragment's render, its markers). */
  private fill(fragment: KeptFragment, env: RenderEnv): string {
    const { texts, marks } = fragment;
    if (!marks.length) return texts[0];
    let html = texts[0];
    let token: string | undefined;
    for (let i = 0; i < marks.length; i++) {
      const mark = marks[i];
      html += mark === null ? (token ??= Handlebars.Utils.escapeExpression(env.csrfToken)) : dateHtml(this.i18n, env, new Date(mark.ms), mark.style);
      html += texts[i + 1];
    }
    return html;
  }
}

/** Declares `{{fragment "owner/partial" [context] [key=...] [kept=...]}}` on a theme's Handlebars. */
export function registerFragmentHelper(hb: typeof Handlebars, theme: string, cache: FragmentCache): void {
  hb.registerHelper('fragment', function (this: unknown, name: unknown, ...rest: unknown[]) {
    const options = rest.pop() as Handlebars.HelperOptions;
    const context = rest.length ? rest[0] : this;
    const partialName = String(name);
    const partial = hb.partials[partialName] as Handlebars.TemplateDelegate | undefined;
    if (typeof partial !== 'function') throw new Error(`unknown fragment "${partialName}"`);
    const env = (options.data as { ruche: RenderEnv }).ruche;
    const { key: named, kept } = options.hash as { key?: unknown; kept?: unknown };
    // A fragment its caller took from the cache (`take`): nothing of the context is read.
    if (kept instanceof KeptFragment) return new Handlebars.SafeString(cache.use(kept, env));
    return new Handlebars.SafeString(cache.render(theme, partialName, partial, context, env, named));
  });
}
