/**
 * The fields every long-form content type shares (a blog post, a discussion topic…):
 * title, Markdown body, tags and an access level. `validateArticle()` checks them the
 * same way for every plugin; the messages come from the plugin's own catalog
 * (`<prefix>.errors.titleRequired`, `titleTooLong`, `bodyRequired`, `bodyTooLong`,
 * `tagsInvalid`, `tagsTooMany`, `access`), so each plugin words them for its content.
 */
import { isAccessLevel, type AccessLevel } from '../access/access';
import type { EntityRow } from './entities';
import { MAX_TAGS, parseTagField } from './tags';

/** A long-form entity as its plugin reads it: the entity's columns the access model needs, and the article's text. */
export interface ArticleRow extends Pick<
  EntityRow,
  'id' | 'type' | 'owner_id' | 'container_id' | 'network_id' | 'access' | 'created_at' | 'deleted_at' | 'published' | 'withheld'
> {
  title: string;
  body: string;
  body_html: string;
  excerpt: string;
}

export interface FieldProblem {
  key: string;
  params?: Record<string, unknown>;
  /**
   * Seconds until the same input may be accepted (a pace limit, such as posts per hour): the
   * API answers `429` with `Retry-After` instead of `400 invalid` (`apiProblems`, `problemError`).
   */
  retryAfter?: number;
}
export type FieldProblems = Record<string, FieldProblem>;

export interface ArticleInput {
  title: string;
  body: string;
  tags: string;
  access: string;
}

export interface ArticleRules {
  /** i18n prefix of the plugin's messages, e.g. `blogs`. */
  prefix: string;
  maxTitle: number;
  maxBody: number;
  /** Levels offered to the author; ignored when `inContainer` (always `group`). */
  levels: AccessLevel[];
  inContainer: boolean;
  /** The level an edited item already has stays acceptable even if no longer offered. */
  currentAccess?: string;
}

export interface CleanArticle {
  title: string;
  body: string;
  tags: string[];
  access: AccessLevel;
}

/** Trims and checks the shared fields; `problems` is empty exactly when `clean` is set. */
export function validateArticle(input: ArticleInput, rules: ArticleRules): { clean?: CleanArticle; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const err = (name: string): string => `${rules.prefix}.errors.${name}`;
  const title = input.title.trim();
  const body = input.body.replace(/\r\n/g, '\n').trimEnd();
  if (!title) problems.title = { key: err('titleRequired') };
  else if (title.length > rules.maxTitle) problems.title = { key: err('titleTooLong'), params: { max: rules.maxTitle } };
  if (!body.trim()) problems.body = { key: err('bodyRequired') };
  else if (body.length > rules.maxBody) problems.body = { key: err('bodyTooLong'), params: { max: rules.maxBody } };
  const { tags, invalid } = parseTagField(input.tags);
  if (invalid.length) problems.tags = { key: err('tagsInvalid'), params: { tags: invalid.slice(0, 5).join(', ') } };
  else if (tags.length > MAX_TAGS) problems.tags = { key: err('tagsTooMany'), params: { max: MAX_TAGS } };
  const access = rules.inContainer ? 'group' : input.access;
  const acceptable = rules.inContainer || (isAccessLevel(access) && (rules.levels.includes(access) || access === rules.currentAccess));
  if (!acceptable) problems.access = { key: err('access') };
  if (Object.keys(problems).length) return { problems };
  return { problems, clean: { title, body, tags, access: access as AccessLevel } };
}

/** Plain text of rendered HTML, shortened, for lists and feeds. */
export function excerptOf(html: string, max = 300): string {
  const text = html
    .replace(/<\/?(?:p|h\d|li|ul|ol|blockquote|pre|br|hr|tr|td|th|table)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
