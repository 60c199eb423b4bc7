/**
 * Text handling shared by the index and the queries, the same on both databases: accent
 * folding (`résumé` → `resume`), the words of a text, the language of a text, highlighted
 * excerpts and the edit distance "did you mean" compares words with.
 */

/** Lower case without accents, one character for one (so positions map back to the original). */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
    const one = base.length === ch.length ? base : ch;
    const lower = one.toLowerCase();
    out += lower.length === ch.length ? lower : one;
  }
  return out;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The folded words of a text. */
export function wordsOf(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The words a query searches for (at most 8, each at most 40 characters). */
export function queryWords(q: string): string[] {
  return wordsOf(q)
    .filter((w) => w.length <= 40)
    .slice(0, 8);
}

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

/** The stem a word is compared by when highlighting: plural endings off. */
function stemOf(word: string): string {
  const w = word.length > 4 ? word.replace(/(es|s|x)$/u, '') : word;
  return w.length > 6 ? w.slice(0, w.length - 2) : w;
}

/** A piece of an excerpt: text, highlighted when it is a searched word. Templates escape it. */
export interface ExcerptPart {
  text: string;
  hit: boolean;
}

/**
 * The part of `text` around the first searched word, about `size` characters, cut at word
 * boundaries, with the searched words (and their inflections) marked. Plain text in, plain
 * parts out: the template escapes them.
 */
export function excerpt(text: string, words: readonly string[], size = 220): ExcerptPart[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  const folded = fold(clean);
  const stems = words.map(stemOf).filter((s) => s.length > 0);
  const matches: { start: number; end: number }[] = [];
  for (const m of folded.matchAll(WORD)) {
    if (stems.some((s) => m[0].startsWith(s))) matches.push({ start: m.index, end: m.index + m[0].length });
  }
  let from = 0;
  if (matches.length && matches[0].start > size / 3) {
    from = clean.lastIndexOf(' ', matches[0].start - Math.floor(size / 3));
    from = from < 0 ? 0 : from + 1;
  }
  let to = Math.min(clean.length, from + size);
  if (to < clean.length) {
    const space = clean.lastIndexOf(' ', to);
    if (space > from) to = space;
  }
  const parts: ExcerptPart[] = [];
  if (from > 0) parts.push({ text: '… ', hit: false });
  let at = from;
  for (const m of matches) {
    if (m.start < from || m.end > to) continue;
    if (m.start > at) parts.push({ text: clean.slice(at, m.start), hit: false });
    parts.push({ text: clean.slice(m.start, m.end), hit: true });
    at = m.end;
  }
  if (at < to) parts.push({ text: clean.slice(at, to), hit: false });
  if (to < clean.length) parts.push({ text: ' …', hit: false });
  return parts;
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
