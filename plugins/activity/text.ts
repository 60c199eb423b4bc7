/**
 * Status text: plain text (no Markdown) where links, `@mentions` and `#hashtags` become
 * links. Everything else is escaped; the result is safe HTML for `{{{ }}}`.
 */
import { normaliseTag } from '../../core';

export const MENTION = /(^|[^\p{L}\p{N}_@./-])@([A-Za-z0-9][A-Za-z0-9_.-]{0,63})/gu;
const TOKEN =
  /(https?:\/\/[^\s<>"']+)|((?:^|(?<=[^\p{L}\p{N}_@./-]))@[A-Za-z0-9][A-Za-z0-9_.-]{0,63})|((?:^|(?<=[^\p{L}\p{N}_&#/]))#[\p{L}\p{N}_-]{1,64})/gu;

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `@names` in a text, lowercased and distinct (trailing dots dropped: "@anna." is anna). */
export function mentionedNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const name = m[2].replace(/[.-]+$/, '').toLowerCase();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

export interface TextLinks {
  /** Profile URL of a mentioned username (lowercase), when it is a member to link. */
  member(usernameLower: string): string | undefined;
  /** Group URL of a mentioned group name (lowercase), when resolved. */
  group(nameLower: string): string | undefined;
  tag(tag: string): string;
}

export function renderStatus(text: string, links: TextLinks): string {
  let html = '';
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    html += escapeHtml(text.slice(last, at));
    last = at + m[0].length;
    if (m[1]) {
      // Trailing punctuation belongs to the sentence, not the link.
      const url = m[1].replace(/[.,;:!?)\]]+$/, '');
      html += `<a href="${escapeHtml(url)}" rel="nofollow noopener ugc">${escapeHtml(url)}</a>`;
      last = at + url.length;
    } else if (m[2]) {
      const name = m[2].slice(1).replace(/[.-]+$/, '');
      const href = links.member(name.toLowerCase()) ?? links.group(name.toLowerCase());
      html += href ? `<a class="mention" href="${escapeHtml(href)}">@${escapeHtml(name)}</a>` : escapeHtml(`@${name}`);
      last = at + name.length + 1;
    } else if (m[3]) {
      const tag = normaliseTag(m[3]);
      html += tag ? `<a class="hashtag" href="${escapeHtml(links.tag(tag))}">${escapeHtml(m[3])}</a>` : escapeHtml(m[3]);
    }
  }
  html += escapeHtml(text.slice(last));
  return html.replace(/\r?\n/g, '<br>');
}
