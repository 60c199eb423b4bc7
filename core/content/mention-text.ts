/**
 * `@mentions` and `#hashtags` in member-written text, one grammar for every kind of content:
 * finding the names a text mentions (plain text, or Markdown once rendered, where code and
 * existing links do not count), and turning them into links — in plain text (status posts)
 * and in rendered Markdown (blog posts, topics, replies, comments), where text inside
 * `<a>`, `<code>` and `<pre>` stays as it is. Only names the caller resolves become links.
 */
import { extractHashtags, normaliseTag } from './tags';

const NAME = '@[A-Za-z0-9][A-Za-z0-9_.-]{0,63}';
const MENTION = new RegExp(`(^|[^\\p{L}\\p{N}_@./-])(${NAME})`, 'gu');
const TOKEN = new RegExp(
  `(https?:\\/\\/[^\\s<>"']+)|((?:^|(?<=[^\\p{L}\\p{N}_@./-]))${NAME})|((?:^|(?<=[^\\p{L}\\p{N}_&#/]))#[\\p{L}\\p{N}_-]{1,64})`,
  'gu',
);
/** Markup skipped when linking or reading rendered Markdown: its text is code or already a link. */
const INERT = new Set(['a', 'code', 'pre']);

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const unescapeHtml = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** `@anna.` is anna: trailing dots and dashes end the sentence, not the name. */
const bareName = (token: string): string => token.slice(1).replace(/[.-]+$/, '');

/** `@names` in a plain text, lowercased and distinct, in order. */
export function mentionedNames(text: string): string[] {
  const out: string[] = [];
  for (const m of (text ?? '').matchAll(MENTION)) {
    const name = bareName(m[2]).toLowerCase();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Splits rendered HTML into tags and text, telling whether each text is inside `<a>`, `<code>` or `<pre>`. */
function* htmlSegments(html: string): Generator<{ tag?: string; text?: string; inert: boolean }> {
  let depth = 0;
  for (const m of html.matchAll(/(<\/?([a-z0-9]+)[^>]*>)|([^<]+)/gi)) {
    if (m[1]) {
      const name = m[2].toLowerCase();
      if (INERT.has(name) && !m[1].endsWith('/>')) depth = Math.max(0, depth + (m[1][1] === '/' ? -1 : 1));
      yield { tag: m[1], inert: depth > 0 };
    } else yield { text: m[3], inert: depth > 0 };
  }
}

/** The text of rendered Markdown a reader sees as prose (code and links left out), unescaped. */
export function proseOfHtml(html: string): string {
  let out = '';
  for (const s of htmlSegments(html))
    if (s.text && !s.inert) out += unescapeHtml(s.text);
    else if (s.tag) out += ' ';
  return out;
}

export interface TextLinks {
  /** Profile URL of a mentioned username (lowercase), when it is a member to link. */
  member(usernameLower: string): string | undefined;
  /** Page of a tag, or undefined where no enabled plugin shows tag pages. */
  tag(tag: string): string | undefined;
}

/** Links in one piece of plain (unescaped) text, escaped; `urls` makes bare web addresses links too. */
function linkText(text: string, links: TextLinks, urls: boolean): string {
  let html = '';
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    if (m[1] && !urls) continue;
    html += escapeHtml(text.slice(last, at));
    last = at + m[0].length;
    if (m[1]) {
      // Trailing punctuation belongs to the sentence, not the link.
      const url = m[1].replace(/[.,;:!?)\]]+$/, '');
      html += `<a href="${escapeHtml(url)}" rel="nofollow noopener ugc">${escapeHtml(url)}</a>`;
      last = at + url.length;
    } else if (m[2]) {
      const name = bareName(m[2]);
      const href = links.member(name.toLowerCase());
      html += href ? `<a class="mention" href="${escapeHtml(href)}">@${escapeHtml(name)}</a>` : escapeHtml(`@${name}`);
      last = at + name.length + 1;
    } else if (m[3]) {
      const tag = normaliseTag(m[3]);
      const href = tag ? links.tag(tag) : undefined;
      html += href ? `<a class="hashtag" href="${escapeHtml(href)}">${escapeHtml(m[3])}</a>` : escapeHtml(m[3]);
    }
  }
  return html + escapeHtml(text.slice(last));
}

/** Plain text (no Markdown) with web addresses, mentions and hashtags as links; safe HTML for `{{{ }}}`. */
export function renderPlainText(text: string, links: TextLinks): string {
  return linkText(text ?? '', links, true).replace(/\r?\n/g, '<br>');
}

/** Rendered (sanitised) Markdown with its mentions and hashtags as links; code and existing links untouched. */
export function linkMentionsInHtml(html: string, links: TextLinks): string {
  if (!/[@#]/.test(html)) return html;
  let out = '';
  for (const s of htmlSegments(html)) out += s.tag ?? (s.inert || !/[@#]/.test(s.text!) ? s.text! : linkText(unescapeHtml(s.text!), links, false));
  return out;
}

/** Tags of an article: its tag field's, then the `#hashtags` of its rendered body's prose. */
export function articleTags(fieldTags: readonly string[], html: string): string[] {
  return [...new Set([...fieldTags, ...extractHashtags(proseOfHtml(html))])];
}
