/**
 * One-byte pages (issue 18). V8 stores a string one byte a character while every character is
 * Latin-1, and two bytes a character as soon as one is not: a single "…" in a template, an i18n
 * string or an emoji in a name made the whole page, and every fragment kept, twice its size (a feed
 * page over V8's 128 KB limit for an ordinary object). In HTML a character reference (`&#8230;`)
 * means the same character, so the HTML templates write every character beyond Latin-1 as one:
 *
 * - the templates' own text, once, when a template is compiled;
 * - every escaped value (`{{name}}`, `{{t "key"}}`): the escape that already writes `&amp;` writes
 *   `&#128578;` for an emoji (`escapeHtml`, also used by the date helper).
 *
 * Plain-text templates (the text part of a mail: `mail/<name>.text`, `mail/<name>-text`) are
 * compiled as before: a text part shows "’", never `&#8217;`. Values passed as HTML (`{{{html}}}`,
 * a SafeString) are written as given; `latin1Html` is there for whoever builds such HTML.
 */
import v8 from 'node:v8';
import Handlebars from 'handlebars';

/** Any character beyond Latin-1 (tested without the `u` flag: V8 scans a two-byte string faster so). */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
/** The same, a code point at a time, for the replacement (an emoji is one reference, not two halves). */
const EACH_BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/gu;

const reference = (c: string): string => `&#${c.codePointAt(0)!};`;

/**
 * HTML with every character beyond Latin-1 written as a character reference: the same text, one
 * byte a character. The replaced string is copied once more through Latin-1 bytes: V8 builds a
 * replacement of a two-byte string from its slices, two-byte still, though every character now fits.
 */
export function latin1Html(html: string): string {
  if (!BEYOND_LATIN1.test(html)) return html;
  return Buffer.from(html.replace(EACH_BEYOND_LATIN1, reference), 'latin1').toString('latin1');
}

/**
 * Handlebars' escape (`&`, `<`, `>`, quotes, `` ` ``, `=`), then characters beyond Latin-1 as
 * references. A SafeString is HTML already: written as given.
 */
export function escapeHtml(value: unknown): string {
  const escaped = Handlebars.Utils.escapeExpression(value as string);
  return value instanceof Handlebars.SafeString ? escaped : latin1Html(escaped);
}

/** A template name whose output is plain text, not HTML: a mail's text part. */
export function isPlainTextTemplate(name: string): boolean {
  return /(?:^|\/)mail\/[^/]+[.-]text$/.test(name);
}

/** Where compiled templates find `escapeHtml`: a helpers entry that is not a function (Handlebars passes it as is). */
const HOLDER = 'ruche-one-byte';

/** The parts of Handlebars' JavaScriptCompiler overridden below (not in its type declarations). */
interface CompilerInternals {
  options: { plainText?: boolean };
  pushSource(source: unknown): void;
  appendToBuffer(parts: unknown[]): unknown;
  aliasable(name: string): unknown;
  popStack(): unknown;
}

type Base = CompilerInternals & { appendContent(content: string): void; appendEscaped(): void };
/** Handlebars' code generator: `Handlebars.JavaScriptCompiler`, documented, not in the type declarations. */
const JavaScriptCompiler = (Handlebars as unknown as { JavaScriptCompiler: new () => object }).JavaScriptCompiler;
const base = JavaScriptCompiler.prototype as Base;

/**
 * Handlebars' code generator with HTML output written one byte a character; `plainText: true` in
 * a template's compile options keeps the original behaviour for it (and its inner blocks).
 */
class OneByteCompiler extends JavaScriptCompiler {}
Object.assign(OneByteCompiler.prototype, {
  // Inner blocks ({{#each}}) are compiled by `this.compiler`: this class too.
  compiler: OneByteCompiler,
  appendContent(this: Base, content: string): void {
    base.appendContent.call(this, this.options.plainText ? content : latin1Html(content));
  },
  appendEscaped(this: Base): void {
    if (this.options.plainText) return base.appendEscaped.call(this);
    this.pushSource(this.appendToBuffer([this.aliasable(`helpers[${JSON.stringify(HOLDER)}].escape`), '(', this.popStack(), ')']));
  },
});

/** Makes templates compiled by `hb` (from now on) write HTML one byte a character. */
export function compileOneByte(hb: typeof Handlebars): void {
  (hb.helpers as Record<string, unknown>)[HOLDER] = { escape: escapeHtml };
  (hb as unknown as { JavaScriptCompiler: typeof JavaScriptCompiler }).JavaScriptCompiler = OneByteCompiler;
}

/** Whether V8 holds `text` one byte a character (bench and tests): its serialiser tags a one-byte string '"', a two-byte one 'c'. */
export function storedOneByte(text: string): boolean {
  const bytes = v8.serialize(text);
  // After the header (0xFF, version), padding (0) may come before the tag, to align two-byte characters.
  for (let i = 2; i < bytes.length; i++) if (bytes[i] !== 0) return bytes[i] === 0x22;
  return true;
}
