/**
 * Markdown for member-written text (charters, later posts and comments): markdown-it with
 * raw HTML disabled, then sanitize-html as a second wall, so nothing a member types can
 * become script, style or an event handler. Links get rel="nofollow noopener ugc".
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

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

/** The parser: configured once, holds no state between renders (the cache below is per app). */
const PARSER = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const CACHE_ENTRIES = 5_000;
const CACHE_MAX_SOURCE = 8_000;

/**
 * One app's renderer (`rt.markdown`). Rendering is pure (the same text gives the same HTML)
 * and content shown at read time — comments, replies, chat — is rendered again on every page
 * view, so recent results are kept: a bounded map in insertion order, the oldest dropped
 * first (a few MB at most), owned by the app, not the module.
 */
export class Markdown {
  private readonly rendered = new Map<string, string>();

  render(source: string): string {
    const text = source ?? '';
    const hit = this.rendered.get(text);
    if (hit !== undefined) return hit;
    const html = renderMarkdown(text);
    if (text.length <= CACHE_MAX_SOURCE) {
      if (this.rendered.size >= CACHE_ENTRIES) this.rendered.delete(this.rendered.keys().next().value as string);
      this.rendered.set(text, html);
    }
    return html;
  }

  /** Texts currently remembered (tests). */
  get cached(): number {
    return this.rendered.size;
  }
}

/** Renders once, without a cache: for text stored as HTML at write time (posts, seeders). */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(PARSER.render(source ?? ''), ALLOWED);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Member-written Markdown as plain text, for an email, a notification or a search excerpt:
 * rendered, then every tag dropped, a paragraph or list item per line, links as "text
 * (address)" when they differ. Not sanitised first: the parser takes no raw HTML (a `<` typed
 * is `&lt;`), refuses `javascript:` links, and every tag goes, so the text is the same without
 * sanitize-html's second pass, which cost more than the parse (the search page shows 20 bodies).
 */
export function plainTextOf(source: string): string {
  return PARSER.render(source ?? '')
    .replace(/>\s+</g, '><')
    .replace(/<a\b[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, (_m, href: string, text: string) =>
      text === href || !/^https?:/.test(href) ? text : `${text} (${href})`,
    )
    .replace(/<li\b[^>]*>/gi, '- ')
    .replace(/<\/(?:p|h\d|blockquote|pre|ul|ol|table)>|<hr\s*\/?>/gi, '\n\n')
    .replace(/<\/(?:li|tr)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e])
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
