/**
 * Translations. Catalogs are JSON files per locale (`en.json`, `fr.json`, or
 * `<anything>.<locale>.json`), nested objects flattened to dotted keys. A value is a string
 * with `{name}` placeholders, or a plural object (`{ "one": "...", "other": "..." }`,
 * optionally `"zero"` for exactly 0) chosen with Intl.PluralRules from `count`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../errors';
import { frenchJoin } from './elision';
import { oneOf } from '../one-of';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const isLocale = oneOf(LOCALES);

type Plural = Partial<Record<Intl.LDMLPluralRule | 'zero', string>> & { other: string };
type Entry = string | Plural;

/** Texts kept per date or relative-time formatter (see I18n.remembered). */
const TEXTS_KEPT = 4096;

export class I18n {
  private readonly catalogs = new Map<string, Map<string, Entry>>(LOCALES.map((l) => [l, new Map()]));
  private readonly sources = new Map<string, string>();
  private readonly plurals = new Map<string, Intl.PluralRules>();

  /** Adds every catalog file of a folder; `owner` names it in error messages. */
  loadDir(dir: string, owner: string): void {
    let files: string[];
    try {
      files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    } catch {
      return;
    }
    for (const file of files) {
      const locale = file
        .replace(/\.json$/, '')
        .split('.')
        .pop()!;
      if (!isLocale(locale)) continue;
      const full = path.join(dir, file);
      let data: unknown;
      try {
        data = JSON.parse(fs.readFileSync(full, 'utf8'));
      } catch (e) {
        throw new StartupError('E_I18N', `${owner}: catalog ${full} is not valid JSON: ${(e as Error).message}`);
      }
      this.add(locale, data, `${owner} (${path.basename(full)})`);
    }
  }

  add(locale: Locale, data: unknown, source: string): void {
    const catalog = this.catalogs.get(locale)!;
    for (const [key, value] of flatten(data)) {
      catalog.set(key, value);
      this.sources.set(`${locale}:${key}`, source);
    }
  }

  has(locale: string, key: string): boolean {
    return this.catalogs.get(locale)?.has(key) ?? false;
  }

  keys(locale: Locale): string[] {
    return [...this.catalogs.get(locale)!.keys()];
  }

  /** Keys defined in one locale but not another, for completeness checks. */
  missing(from: Locale, to: Locale, prefix = ''): string[] {
    const target = this.catalogs.get(to)!;
    return this.keys(from).filter((k) => k.startsWith(prefix) && !target.has(k));
  }

  t(locale: string, key: string, params: Record<string, unknown> = {}): string {
    const entry = this.catalogs.get(locale)?.get(key) ?? this.catalogs.get('en')!.get(key);
    if (entry === undefined) return key;
    const text = typeof entry === 'string' ? entry : this.pluralForm(locale, entry, params.count);
    if (!text.includes('{')) return text;
    const elide = locale === 'fr' ? FRENCH_ELISION : null;
    return text.replace(elide ?? /\{(\w+)\}/g, (m, ...groups: string[]) => {
      const [word, name] = elide ? [groups[0], groups[1]] : [undefined, groups[0]];
      if (params[name] === undefined) return m;
      const value = this.formatParam(locale, params[name]);
      if (!word) return value;
      // "Billets de {name}" with Alice reads "Billets d’Alice": the word elides before a vowel or a mute h.
      return frenchJoin(word, value);
    });
  }

  /** Picks the best supported locale from an Accept-Language header. */
  fromAcceptLanguage(header: string | undefined): Locale | undefined {
    if (!header) return undefined;
    const ranked = header
      .split(',')
      .map((part) => {
        const [tag, ...rest] = part.trim().split(';');
        const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
        return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1 };
      })
      .filter((x) => x.q > 0)
      .sort((a, b) => b.q - a.q);
    return ranked.map((r) => r.lang).find(isLocale);
  }

  /** A date in `locale`, read in `timeZone` (the member's, core/time-zones.ts; default: the server's). */
  formatDate(locale: string, value: Date, style: 'date' | 'datetime' | 'time' = 'date', timeZone?: string): string {
    const key = `d:${style}:${locale}:${timeZone ?? ''}`;
    return this.remembered(key, value.getTime(), () =>
      this.cached(key, () => {
        const opts: Intl.DateTimeFormatOptions =
          style === 'date' ? { dateStyle: 'long' } : style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'long', timeStyle: 'short' };
        return new Intl.DateTimeFormat(locale, { ...opts, timeZone });
      }).format(value),
    );
  }

  /**
   * Formatted texts by formatter and value: a feed page formats about sixty dates, each its
   * `title` and its "5 minutes ago", mostly the same ones request after request (Intl's
   * format is 2-6 µs a call). Each formatter keeps at most TEXTS_KEPT texts, then starts over.
   */
  private readonly texts = new Map<string, Map<number, string>>();
  private remembered(formatter: string, value: number, format: () => string): string {
    let kept = this.texts.get(formatter);
    if (!kept) this.texts.set(formatter, (kept = new Map()));
    let text = kept.get(value);
    if (text === undefined) {
      if (kept.size >= TEXTS_KEPT) kept.clear();
      kept.set(value, (text = format()));
    }
    return text;
  }

  /**
   * Intl formatters are costly to build (a page with 50 dates spent most of its time
   * there), so each locale and style gets one, kept for the life of the app.
   */
  private readonly formatters = new Map<string, unknown>();
  private cached<F>(key: string, make: () => F): F {
    let f = this.formatters.get(key) as F | undefined;
    if (!f) this.formatters.set(key, (f = make()));
    return f;
  }

  /** "3 minutes ago", "il y a 3 minutes", "yesterday"... */
  formatRelative(locale: string, value: Date, now: Date = new Date(), timeZone?: string): string {
    const seconds = Math.round((value.getTime() - now.getTime()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return this.relative(locale, 0, 'second');
    if (abs < 45 * 60) return this.relative(locale, Math.round(seconds / 60), 'minute');
    if (abs < 22 * 3600) return this.relative(locale, Math.round(seconds / 3600), 'hour');
    if (abs < 6 * 86400) return this.relative(locale, Math.round(seconds / 86400), 'day');
    return this.formatDate(locale, value, 'date', timeZone);
  }

  private relative(locale: string, n: number, unit: 'second' | 'minute' | 'hour' | 'day'): string {
    const key = `r:${locale}`;
    return this.remembered(`${key}:${unit}`, n, () =>
      this.cached(key, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })).format(n, unit),
    );
  }

  private pluralForm(locale: string, entry: Plural, count: unknown): string {
    const n = typeof count === 'number' ? count : Number(count);
    if (n === 0 && entry.zero !== undefined) return entry.zero;
    let rules = this.plurals.get(locale);
    if (!rules) this.plurals.set(locale, (rules = new Intl.PluralRules(locale)));
    return entry[rules.select(Number.isFinite(n) ? n : 0)] ?? entry.other;
  }

  private formatParam(locale: string, value: unknown): string {
    if (typeof value === 'number') return this.cached(`n:${locale}`, () => new Intl.NumberFormat(locale)).format(value);
    return String(value);
  }
}

/**
 * French elision where a parameter follows "de", "que" (and the conjunctions ending in
 * "que"): `de {name}` becomes `d’Alice` before a vowel or a mute h (`d’Hélène`), `de Bob`
 * otherwise (core/i18n/elision.ts). The word is the
 * group before the placeholder, so every catalogue string gets it without a variant.
 */
const FRENCH_ELISION = /(?:(?<![\p{L}\p{N}])((?:[Dd]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)e) )?\{(\w+)\}/gu;

function* flatten(data: unknown, prefix = ''): Generator<[string, Entry]> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return;
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') yield [key, v];
    else if (isPlural(v)) yield [key, v];
    else yield* flatten(v, key);
  }
}

function isPlural(v: unknown): v is Plural {
  return !!v && typeof v === 'object' && typeof (v as Plural).other === 'string' && Object.values(v as object).every((x) => typeof x === 'string');
}
