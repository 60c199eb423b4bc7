/**
 * Template helpers. Each reads the per-render environment from `@ruche` (options.data.ruche),
 * so one compiled template serves every request. Output is escaped unless a helper
 * builds safe markup itself from escaped parts.
 */
import Handlebars from 'handlebars';
import type { I18n } from '../i18n/i18n';
import type { Markdown } from './markdown';
import { escapeHtml } from './one-byte';

/** What a render knows about its request; given to helpers through Handlebars data. */
export interface RenderEnv {
  locale: string;
  csrfToken: string;
  can(capability: string): boolean;
  url(nameOrPath: string, params?: Record<string, unknown>): string;
  asset(ref: string): string;
  now: Date;
  /** The reader's time zone (their account's), for dates; absent: the server's. */
  timeZone?: string;
  /** Set while a kept fragment renders (core/cache/fragments.ts): dates become markers filled per request. */
  dateMark?: (d: Date, style: string | undefined) => string;
}

type Options = Handlebars.HelperOptions;
const envOf = (options: Options): RenderEnv => (options.data as { ruche: RenderEnv }).ruche;
const escape = Handlebars.Utils.escapeExpression;

export function registerHelpers(hb: typeof Handlebars, i18n: I18n, markdown: Markdown): void {
  /** {{t "core.key" name=value count=3}} */
  hb.registerHelper('t', function (key: unknown, options: Options) {
    return i18n.t(envOf(options).locale, String(key), options.hash as Record<string, unknown>);
  });

  /** {{url "route.name" id=3}} or {{url "/path"}}: network-aware links. */
  hb.registerHelper('url', function (target: unknown, options: Options) {
    return envOf(options).url(String(target), options.hash as Record<string, unknown>);
  });

  /** {{csrf}}: the hidden field every form that changes something carries. */
  hb.registerHelper('csrf', function (options: Options) {
    return new Handlebars.SafeString(`<input type="hidden" name="_csrf" value="${escape(envOf(options).csrfToken)}">`);
  });

  /** {{date value}} relative, or style="date" | "datetime" | "time"; a <time> element. */
  hb.registerHelper('date', function (value: unknown, options: Options) {
    const d = toDate(value);
    if (!d) return '';
    return new Handlebars.SafeString(dateHtml(i18n, envOf(options), d, (options.hash as { style?: string }).style));
  });

  /** {{#if (can "blogs.create")}} */
  hb.registerHelper('can', function (capability: unknown, options: Options) {
    return envOf(options).can(String(capability));
  });

  /** {{asset "css/ruche.css"}} or {{asset "blogs:js/editor.js"}}: versioned asset URL. */
  hb.registerHelper('asset', function (ref: unknown, options: Options) {
    return envOf(options).asset(String(ref));
  });

  /** {{markdown text}}: member-written Markdown, rendered and sanitised. */
  hb.registerHelper('markdown', function (text: unknown) {
    return new Handlebars.SafeString(markdown.render(typeof text === 'string' ? text : ''));
  });

  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
}

/** A `<time>` element for `{{date}}`: relative to the render's `now`, or style "date" | "datetime" | "time". */
export function dateHtml(i18n: I18n, env: RenderEnv, d: Date, style: string | undefined): string {
  if (env.dateMark) return env.dateMark(d, style);
  const text =
    style === 'date' || style === 'datetime' || style === 'time'
      ? absoluteDate(i18n, env, d, style)
      : escapeHtml(i18n.formatRelative(env.locale, d, env.now, env.timeZone));
  return `<time datetime="${d.toISOString()}" title="${absoluteDate(i18n, env, d, 'datetime')}">${text}</time>`;
}

/** Absolute dates as HTML, per I18n: a function of locale, zone, instant and style only (not of the viewer or the hour). */
const ABSOLUTE = new WeakMap<I18n, Map<string, string>>();
const ABSOLUTE_ENTRIES = 5_000;

/**
 * A date in the locale's style, escaped (core/views/one-byte.ts: the narrow no-break space some
 * locales put before "AM" becomes a reference), kept: the same cards show the same instants on
 * every page, and formatting then rewriting it one byte a character cost more than the look-up.
 */
function absoluteDate(i18n: I18n, env: RenderEnv, d: Date, style: 'date' | 'datetime' | 'time'): string {
  let kept = ABSOLUTE.get(i18n);
  if (!kept) ABSOLUTE.set(i18n, (kept = new Map()));
  const key = `${env.locale} ${env.timeZone ?? ''} ${style} ${d.getTime()}`;
  let html = kept.get(key);
  if (html === undefined) {
    if (kept.size >= ABSOLUTE_ENTRIES) kept.clear();
    html = escapeHtml(i18n.formatDate(env.locale, d, style, env.timeZone));
    kept.set(key, html);
  }
  return html;
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || (typeof value === 'string' && value !== '')) {
    const d = new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}
