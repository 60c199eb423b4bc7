/**
 * Words in text, the same for every plugin and both databases: accent folding (`résumé` →
 * `resume`), the words of a text and of a query, whether a text says every searched word, and
 * highlighted excerpts. The search plugin indexes and ranks with them; a plugin searching a
 * small set of its own rows (the replies of one thread) matches and highlights with them.
 */

// eslint-disable-next-line no-control-regex -- ASCII is exactly \x00-\x7f
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Lower case without accents, one character for one (so positions map back to the original). */
export function foldAccents(text: string): string {
  // Most text is ASCII: lower-casing is the whole fold (searched excerpts fold every body shown).
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    if (ch < '\x80') {
      out += ch.toLowerCase();
      continue;
    }
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
  return foldAccents(text).match(WORD) ?? [];
}

/** The words a query searches for (at most 8, each at most 40 characters). */
export function queryWords(q: string): string[] {
  return wordsOf(q)
    .filter((w) => w.length <= 40)
    .slice(0, 8);
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

/** A letter or a digit (what `WORD` reads), for the code point at `i` of `text` (or ending at `i` when `before`). */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
function isWordChar(text: string, i: number, before = false): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  const at = before && c >= 0xdc00 && c <= 0xdfff && i > 0 ? i - 1 : i;
  return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(at)!));
}

/**
 * Where the searched words are in `folded`: each word (a run of letters and digits, as `WORD`
 * reads them) starting with one of the `stems`, in order. Each stem is looked for with `indexOf`
 * and kept where a word starts, then the word is read to its end: the words of the text are not
 * all cut and compared (a tenth of the time on the search page's bodies, issue 21).
 */
function stemMatches(folded: string, stems: readonly string[]): { start: number; end: number }[] {
  const starts = new Set<number>();
  for (const stem of stems)
    for (let at = folded.indexOf(stem); at >= 0; at = folded.indexOf(stem, at + 1)) if (at === 0 || !isWordChar(folded, at - 1, true)) starts.add(at);
  const matches: { start: number; end: number }[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    let end = start;
    while (end < folded.length && isWordChar(folded, end)) end += folded.codePointAt(end)! > 0xffff ? 2 : 1;
    matches.push({ start, end });
  }
  return matches;
}

/**
 * The part of `text` around the first searched word, about `size` characters, cut at word
 * boundaries, with the searched words (and their inflections) marked. Plain text in, plain
 * parts out: the template escapes them.
 */
export function highlightedExcerpt(text: string, words: readonly string[], size = 220): ExcerptPart[] {
  // White space collapsed to one space: only runs and other spaces are replaced (every space of
  // the text replaced by itself cost half of the call).
  const clean = text.replace(/\s{2,}|[^\S ]/g, ' ').trim();
  const matches = stemMatches(
    foldAccents(clean),
    words.map(stemOf).filter((s) => s.length > 0),
  );
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

/** Letters an accent may sit on in French and English text, as `foldAccents` leaves them. */
const ACCENTABLE = /[aceinouy]/g;

/**
 * A LIKE pattern (`%…%`, for `lower(column) like ?`) that matches every text `containsWords`
 * accepts for `word`, in SQL that does not fold accents: the word's stem with each letter an
 * accent may sit on as `_` (one character), so `resume` matches `Résumé` and `RÉSUMÉ`. It is
 * broader than the rule (`rasume` matches too): a plugin narrows its rows with it in SQL, then
 * keeps those `containsWords` accepts. The word comes from `queryWords` (letters and digits
 * only, nothing to escape).
 */
export function accentBlindLike(word: string): string {
  return `%${stemOf(foldAccents(word)).replace(ACCENTABLE, '_')}%`;
}

/** Whether `text` says every one of `words` (folded, a word's inflections too: the excerpt's rule). */
export function containsWords(text: string, words: readonly string[]): boolean {
  const stems = words.map(stemOf).filter((s) => s.length > 0);
  if (!stems.length) return false;
  const said = wordsOf(text);
  return stems.every((s) => said.some((w) => w.startsWith(s)));
}
