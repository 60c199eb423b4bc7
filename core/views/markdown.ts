/**
 * Markdown for member-written text (charters, later posts and comments): markdown-it with
 * raw HTML disabled, then sanitize-html as a second wall, so nothing a member types can
 * become script, style or an event handler. Links get rel="nofollow noopener ugc".
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'strong',
    'em',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener ugc' }),
    h1: 'h2',
  },
};

/**
 * Rendering is pure (the same text gives the same HTML) and content shown at read time —
 * comments, replies, chat — is rendered again on every page view, so recent results are
 * kept: a bounded map in insertion order, the oldest dropped first (a few MB at most).
 */
const CACHE_ENTRIES = 5_000;
const CACHE_MAX_SOURCE = 8_000;
const rendered = new Map<string, string>();

export function renderMarkdown(source: string): string {
  const text = source ?? '';
  const hit = rendered.get(text);
  if (hit !== undefined) return hit;
  const html = sanitizeHtml(md.render(text), ALLOWED);
  if (text.length <= CACHE_MAX_SOURCE) {
    if (rendered.size >= CACHE_ENTRIES) rendered.delete(rendered.keys().next().value as string);
    rendered.set(text, html);
  }
  return html;
}
