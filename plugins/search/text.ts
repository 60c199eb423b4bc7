/**
 * Text handling of the index and the queries beyond the core's words (core/content/words.ts:
 * folding, words, excerpts): the language of a text, the edit distance "did you mean"
 * compares words with, and the text an excerpt is cut from.
 */
import { plainTextOf, wordsOf } from '../../core';

const FRENCH = new Set([
  'le',
  'la',
  'les',
  'des',
  'du',
  'de',
  'et',
  'est',
  'une',
  'un',
  'pour',
  'dans',
  'avec',
  'sur',
  'pas',
  'que',
  'qui',
  'nous',
  'vous',
  'au',
  'aux',
  'ce',
  'cette',
  'sont',
  'mais',
  'ou',
  'par',
  'plus',
]);
const ENGLISH = new Set([
  'the',
  'and',
  'is',
  'are',
  'of',
  'to',
  'in',
  'for',
  'with',
  'on',
  'that',
  'this',
  'we',
  'you',
  'it',
  'be',
  'was',
  'not',
  'at',
  'by',
  'from',
  'have',
  'has',
  'our',
  'will',
  'an',
  'or',
  'but',
]);

/** `en` or `fr` from the text's common words; `fallback` (the network's language) when it cannot tell. */
export function detectLanguage(text: string, fallback: string): string {
  let fr = 0;
  let en = 0;
  for (const w of wordsOf(text.slice(0, 4000))) {
    if (FRENCH.has(w)) fr++;
    if (ENGLISH.has(w)) en++;
  }
  if (fr === en) return fallback === 'fr' ? 'fr' : 'en';
  return fr > en ? 'fr' : 'en';
}

/** The edit distance between two words (insertions, deletions, substitutions), stopping past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

/** Letters, digits, white space and the punctuation Markdown leaves as it is. */
const PLAIN = /^[\p{L}\p{N}\s,;.:!?'"()%$/+]*$/u;
/** What Markdown would still read in such text: a list item (`1.`, `2)`, `+ `), or a link (`a.b`, `x:y`) linkify finds. */
const MARKED = /[.:]\S|^[ \t]*(?:\d+[.)]|\+(?:\s|$))/m;

/**
 * The text an excerpt of a Markdown `body` is cut from (`highlightedExcerpt`, which collapses
 * white space): the body itself when it holds nothing Markdown would change but white space
 * (most bodies), else its plain text (`plainTextOf`). The search page cuts 20 excerpts, and
 * parsing them was a tenth of its JavaScript.
 */
export function excerptText(body: string): string {
  return PLAIN.test(body) && !MARKED.test(body) ? body : plainTextOf(body);
}
