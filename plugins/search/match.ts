/**
 * The text of a match as each database reads it: the FTS5 query with its `scope` tokens (SQLite)
 * and the `tsquery` with its bindings (PostgreSQL). Written from the words a member typed: no
 * operator they type is read as syntax.
 */
import type { Knex } from 'knex';
import { foldAccents } from '../../core';

/**
 * A LIMIT written in the statement's text, not bound (issue 21). SQLite prepares a statement again
 * at each run when a bound LIMIT may change its plan (a statement reading a virtual table: FTS5 or
 * its trigrams) and the binding was set again, which every run does: the candidates' statement paid
 * 0.15-0.2 ms of CPU for it (a third of it). `n` is the plugin's own number, never input.
 */
export function fixedLimit(q: Knex.QueryBuilder, n: number): Knex.QueryBuilder {
  return q.limit(Math.trunc(n), { skipBinding: true });
}

/** What narrows a match inside the index: a tab's types, a group, an author. */
export interface MatchScope {
  types: readonly string[];
  containerId?: number;
  authorId?: number;
}

/**
 * An FTS5 query: every word, quoted (no operator a member types is read as syntax), the last a
 * prefix when asked, in the text columns; and the scope's tokens in the `scope` column.
 */
export function ftsQuery(words: readonly string[], prefix: boolean, scope: string | null | undefined): string {
  return `{title body keywords} : (${ftsWords(words, prefix)})${scope ? ` AND scope : (${scope})` : ''}`;
}

/**
 * The words alone, in any column: what the relevance order's bm25 cursor matches once the
 * candidates are chosen. bm25 gives the `scope` column no weight, so a scope phrase adds nothing
 * to a score, and without the column filter FTS5 counts each word's rows (its IDF) from the
 * doclist without reading the positions: a third of the statement on the bench site.
 */
export function ftsWords(words: readonly string[], prefix = false): string {
  return words.map((w, i) => `"${w.replace(/"/g, '')}"${prefix && i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The `scope` tokens an index row carries: its network, type, container and author (see `scopeOf`). */
export function scopeOf(e: { network_id: number; type: string; container_id: number | null; owner_id: number }): string {
  return [`n${Number(e.network_id)}`, typeToken(e.type), e.container_id ? `c${Number(e.container_id)}` : '', `u${Number(e.owner_id)}`]
    .filter(Boolean)
    .join(' ');
}

/** A type as one index token (letters and digits only: `blog_post` → `tblogpost`). */
const typeToken = (type: string): string => `t${type.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

/**
 * The scope a search narrows to, as an FTS5 expression over the `scope` column: the network's
 * token (unless `null`), the types when they are not all of `indexed` (every indexed type), a
 * group, an author; null when nothing is left.
 */
export function scopeTokens(networkId: number | null, f: MatchScope, indexed: readonly string[]): string | null {
  const types = [...new Set(f.types.map(typeToken))];
  const parts = networkId === null ? [] : [`"n${Number(networkId)}"`];
  if (indexed.some((t) => !f.types.includes(t))) parts.push(`(${types.map((t) => `"${t}"`).join(' OR ')})`);
  if (f.containerId) parts.push(`"c${Number(f.containerId)}"`);
  if (f.authorId) parts.push(`"u${Number(f.authorId)}"`);
  return parts.length ? parts.join(' AND ') : null;
}

/** The PostgreSQL query: the words stemmed in French, in English and as typed (tags), any of the three. */
export const TSQUERY = (prefix: boolean): string =>
  prefix ? `to_tsquery('simple', ?)` : `plainto_tsquery('french', ?) || plainto_tsquery('english', ?) || plainto_tsquery('simple', ?)`;

export function tsBindings(words: readonly string[], prefix: boolean): string[] {
  const text = words.map(foldAccents).join(' ');
  if (!prefix) return [text, text, text];
  return [words.map((w, i) => `'${w.replace(/[^\p{L}\p{N}]/gu, '')}'${i === words.length - 1 ? ':*' : ''}`).join(' & ')];
}
