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
import { createHash, randomBytes } from 'node:crypto';
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

/** Plain data only, with dates and safe strings told apart from strings; throws UNCACHEABLE on anything else. */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  switch (typeof raw) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (!Number.isFinite(raw)) throw UNCACHEABLE;
      return value;
    case 'object': {
      if (raw === null) return value;
      if (raw instanceof Date) return { '\u0000date': raw.getTime() };
      if (raw instanceof Handlebars.SafeString) return { '\u0000safe': raw.toString() };
      const proto = Object.getPrototypeOf(raw) as unknown;
      if (proto === Object.prototype || proto === Array.prototype || proto === null) return value;
      throw UNCACHEABLE;
    }
    default:
      throw UNCACHEABLE;
  }
}

export class FragmentCache {
  private readonly entries = new Map<string, string>();
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
  render(theme: string, name: string, template: Handlebars.TemplateDelegate, context: unknown, env: RenderEnv): string {
    if (!this.enabled) return template(context, { data: { ruche: env } });
    let json: string;
    try {
      json = JSON.stringify(context, replacer) ?? '';
    } catch (e) {
      if (e !== UNCACHEABLE) throw e;
      this.counts.uncacheable++;
      return template(context, { data: { ruche: env } });
    }
    const key = createHash('sha256')
      .update(`${theme}\u0000${env.locale}\u0000${env.url('/')}\u0000${name}\u0000`)
      .update(json)
      .digest('base64');
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
    if (perViewer) {
      this.counts.uncacheable++;
    } else {
      this.keep(key, html);
    }
    return this.fill(html, env);
  }

  private keep(key: string, html: string): void {
    const size = 2 * (key.length + html.length);
    if (size > this.options.maxBytes / 4) return;
    this.entries.set(key, html);
    this.bytes += size;
    for (const [oldKey, oldHtml] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= 2 * (oldKey.length + oldHtml.length);
    }
  }

  /** The kept HTML with this request's CSRF token and dates (or, inside another fragment's render, its markers). */
  private fill(html: string, env: RenderEnv): string {
    if (!html.includes(`\u0000${this.secret}`)) return html;
    return html.replace(this.markerRe, (_m, ms: string | undefined, style: string | undefined) =>
      ms === undefined ? Handlebars.Utils.escapeExpression(env.csrfToken) : dateHtml(this.i18n, env, new Date(Number(ms)), style),
    );
  }
}

/** Declares `{{fragment "owner/partial" [context]}}` on a theme's Handlebars. */
export function registerFragmentHelper(hb: typeof Handlebars, theme: string, cache: FragmentCache): void {
  hb.registerHelper('fragment', function (this: unknown, name: unknown, ...rest: unknown[]) {
    const options = rest.pop() as Handlebars.HelperOptions;
    const context = rest.length ? rest[0] : this;
    const partialName = String(name);
    const partial = hb.partials[partialName] as Handlebars.TemplateDelegate | undefined;
    if (typeof partial !== 'function') throw new Error(`unknown fragment "${partialName}"`);
    const env = (options.data as { ruche: RenderEnv }).ruche;
    return new Handlebars.SafeString(cache.render(theme, partialName, partial, context, env));
  });
}
