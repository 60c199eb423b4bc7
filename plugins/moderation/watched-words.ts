/**
 * Watched words, the matching part (no database): a network's list compiled once into a
 * lookup that screens a text in time proportional to its length, whatever the list's size.
 *
 * An entry is a word or a phrase (`free money`), a word with `*` standing for any letters
 * (`spam*`), or a regular expression between slashes (`/\bcasino\d+/`). Matching ignores
 * case and accents both ways (`écrire` matches `ECRIRE` and `ecrire`), on whole words: a
 * word never matches inside a longer one. Words and phrases are looked up in a map, one
 * look-up per word of the text and phrase length; `*` words are one regular expression
 * tried on each word; expressions run over the whole (folded) text.
 */
export const WATCH_ACTIONS = ['block', 'hold', 'flag', 'replace'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];
export const isWatchAction = (v: unknown): v is WatchAction => typeof v === 'string' && (WATCH_ACTIONS as readonly string[]).includes(v);

/** Strongest first: a text with a blocked word is refused whatever else it holds. */
const STRENGTH: Record<WatchAction, number> = { block: 3, hold: 2, flag: 1, replace: 0 };

export interface WatchedWord {
  pattern: string;
  action: WatchAction;
  /** What a `replace` word becomes ('' : as many `*` as its letters). */
  replacement: string;
}

/** Lowercase, without accents (é → e, Ç → c), ligatures spelt out (œ → oe). */
export function fold(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return text.toLowerCase();
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/gi, 'oe').replace(/æ/gi, 'ae').replace(/ß/g, 'ss').toLowerCase();
}

/** A text folded, and where each of its characters came from in the original (for replacing). */
interface Folded {
  text: string;
  /** Start, in the original, of the character that gave each folded unit; one more entry: the original's length. */
  from: number[];
}

function foldWithMap(text: string): Folded {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return { text: text.toLowerCase(), from: [] };
  const parts: string[] = [];
  const from: number[] = [];
  let i = 0;
  for (const ch of text) {
    // ASCII (most characters) lowercased as is; the others folded one by one.
    const f = ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : fold(ch);
    parts.push(f);
    for (let k = 0; k < f.length; k++) from.push(i);
    i += ch.length;
  }
  from.push(text.length);
  return { text: parts.join(''), from };
}

/** The original span of folded units [a, b). */
function originalSpan(f: Folded, a: number, b: number): [number, number] {
  if (!f.from.length) return [a, b];
  // Several folded units from one character (œ → oe): the span ends after that character.
  let k = b;
  while (k < f.from.length - 1 && f.from[k] === f.from[b - 1]) k++;
  return [f.from[a], f.from[k]];
}

const WORD = /[\p{L}\p{N}]+/gu;
const REGEX_ENTRY = /^\/(.+)\/$/s;

/** Whether an entry is a regular expression (`/…/`). */
export const isExpression = (pattern: string): boolean => REGEX_ENTRY.test(pattern.trim());

/** Why an entry cannot be watched (an i18n key), or null. */
export function entryProblem(pattern: string): string | null {
  const p = pattern.trim();
  if (!p) return 'moderation.words.errors.empty';
  if (p.length > 100) return 'moderation.words.errors.tooLong';
  const expr = REGEX_ENTRY.exec(p);
  if (expr) {
    try {
      new RegExp(expr[1], 'u');
    } catch {
      return 'moderation.words.errors.expression';
    }
    return null;
  }
  return p.match(WORD) ? null : 'moderation.words.errors.noLetters';
}

/** The key an entry is kept under (one row per network and key): folded, its words joined by one space. */
export function entryKey(pattern: string): string {
  const p = pattern.trim();
  if (isExpression(p)) return p;
  return (fold(p).match(/[\p{L}\p{N}*]+/gu) ?? []).join(' ');
}

interface Match {
  start: number;
  end: number;
  word: WatchedWord;
}

export interface WatchVerdict {
  /** The strongest action matched, null when nothing matched. */
  action: WatchAction | null;
  /** The words of the text that matched, by action (as written in the text). */
  found: Record<WatchAction, string[]>;
  /** The text with `replace` words replaced (the text itself when none). */
  text: string;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A network's list compiled for screening. */
export class WatchList {
  private readonly phrases = new Map<string, WatchedWord>();
  private readonly wildcards: { re: RegExp; word: WatchedWord }[] = [];
  private readonly wildcard: RegExp | null;
  private readonly expressions: { re: RegExp; word: WatchedWord }[] = [];
  private longest = 1;

  constructor(readonly words: WatchedWord[]) {
    const wild: string[] = [];
    for (const w of words) {
      const key = entryKey(w.pattern);
      const expr = REGEX_ENTRY.exec(w.pattern.trim());
      if (expr) {
        this.expressions.push({ re: new RegExp(expr[1], 'gu'), word: w });
      } else if (key.includes('*')) {
        const source = key
          .split(' ')
          .map((part) => part.split('*').map(escapeRegExp).join('[\\p{L}\\p{N}]*'))
          .join('[^\\p{L}\\p{N}]+');
        wild.push(source);
        this.wildcards.push({ re: new RegExp(`^(?:${source})$`, 'u'), word: w });
      } else if (key) {
        const known = this.phrases.get(key);
        if (!known || STRENGTH[w.action] > STRENGTH[known.action]) this.phrases.set(key, w);
        this.longest = Math.max(this.longest, key.split(' ').length);
      }
    }
    // All `*` entries at once, on whole words of the text.
    this.wildcard = wild.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${wild.join('|')})(?![\\p{L}\\p{N}])`, 'gu') : null;
  }

  get size(): number {
    return this.words.length;
  }

  /** Screens a text: the strongest action, the words found, and the text with replacements. */
  screen(text: string): WatchVerdict {
    const found: Record<WatchAction, string[]> = { block: [], hold: [], flag: [], replace: [] };
    if (!text || !this.words.length) return { action: null, found, text };
    const folded = foldWithMap(text);
    const matches = [...this.phraseMatches(folded.text), ...this.patternMatches(folded.text)];
    if (!matches.length) return { action: null, found, text };
    let action: WatchAction | null = null;
    const spans: [number, number, WatchedWord][] = [];
    for (const m of matches) {
      const [a, b] = originalSpan(folded, m.start, m.end);
      const words = found[m.word.action];
      const seen = text.slice(a, b);
      if (!words.includes(seen)) words.push(seen);
      if (action === null || STRENGTH[m.word.action] > STRENGTH[action]) action = m.word.action;
      if (m.word.action === 'replace') spans.push([a, b, m.word]);
    }
    return { action, found, text: spans.length ? replaceSpans(text, spans) : text };
  }

  private phraseMatches(text: string): Match[] {
    const out: Match[] = [];
    const tokens: { s: number; e: number; w: string }[] = [];
    for (const m of text.matchAll(WORD)) tokens.push({ s: m.index, e: m.index + m[0].length, w: m[0] });
    for (let i = 0; i < tokens.length; i++) {
      let key = '';
      for (let n = 0; n < this.longest && i + n < tokens.length; n++) {
        key = n ? `${key} ${tokens[i + n].w}` : tokens[i].w;
        const word = this.phrases.get(key);
        if (word) out.push({ start: tokens[i].s, end: tokens[i + n].e, word });
      }
    }
    return out;
  }

  private patternMatches(text: string): Match[] {
    const out: Match[] = [];
    if (this.wildcard)
      for (const m of text.matchAll(this.wildcard)) {
        const entry = this.wildcards.find((w) => w.re.test(m[0]));
        if (entry) out.push({ start: m.index, end: m.index + m[0].length, word: entry.word });
      }
    for (const { re, word } of this.expressions)
      for (const m of text.matchAll(re)) if (m[0]) out.push({ start: m.index, end: m.index + m[0].length, word });
    return out;
  }
}

/** Replaces non-overlapping spans (the first wins), each by its word's replacement or stars. */
function replaceSpans(text: string, spans: [number, number, WatchedWord][]): string {
  spans.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let out = '';
  let at = 0;
  for (const [a, b, w] of spans) {
    if (a < at) continue;
    out += text.slice(at, a) + (w.replacement || '*'.repeat([...text.slice(a, b)].length));
    at = b;
  }
  return out + text.slice(at);
}
