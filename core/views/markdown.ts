/**
 * Markdown for member-written text (charters, later posts and comments): markdown-it with
 * raw HTML disabled, then sanitize-html as a second wall, so nothing a member types can
 * become script, style or an event handler. Links get rel="nofollow noopener ugc".
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'hr', 'h2', 'h3', 'h4', 'strong', 'em', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener ugc' }),
    h1: 'h2',
  },
};

export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source ?? ''), ALLOWED);
}
