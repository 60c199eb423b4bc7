/**
 * The highlighted excerpt finds its words by looking for each stem where a word starts (issue 21):
 * the same parts as reading every word of the text and comparing it with the stems, on texts of
 * letters, digits, accents, letters outside the Basic Multilingual Plane and punctuation (the window
 * around the first word is cut as before).
 */
import test from 'ava';
import { foldAccents, highlightedExcerpt, queryWords, type ExcerptPart } from '../../core';

/**
 * The text as parts, read word by word (the rule the excerpt keeps): each run of letters and
 * digits starting with a stem is a hit, the rest joins the text around it.
 */
function everyWordRead(text: string, words: readonly string[]): ExcerptPart[] {
  const stemOf = (word: string): string => {
    const w = word.length > 4 ? word.replace(/(es|s|x)$/u, '') : word;
    return w.length > 6 ? w.slice(0, w.length - 2) : w;
  };
  const stems = words.map(stemOf).filter((s) => s.length > 0);
  const clean = text.replace(/\s+/g, ' ').trim();
  const folded = foldAccents(clean);
  const parts: ExcerptPart[] = [];
  for (const run of folded.matchAll(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu)) {
    const original = clean.slice(run.index, run.index + run[0].length);
    const hit = /^[\p{L}\p{N}]/u.test(run[0]) && stems.some((s) => run[0].startsWith(s));
    const last = parts[parts.length - 1];
    if (!hit && last && !last.hit) last.text += original;
    else parts.push({ text: original, hit });
  }
  return parts;
}

const PIECES = [
  'supplier',
  'suppliers',
  'Supplier',
  'SUPPLIERS',
  'resupplier',
  'audit',
  'audits',
  'Audité',
  'audit2',
  '2audit',
  'l’audit',
  "l'audit",
  'fournisseur',
  'Fournisseurs',
  'réunion',
  'REUNION',
  'naïve',
  'Ωmega',
  'ωmega',
  '𝒜udit',
  'a𝒜udit',
  '𝐀',
  '😀audit',
  'audit😀',
  'x',
  'the',
  'de',
  '10',
  '100%',
  '-',
  ',',
  '.',
  ':',
  '(',
  ')',
  '_audit',
  'aud_it',
];
const SPACES = [' ', ' ', ' ', '  ', '\n', '\t', ' \n ', '\u00a0', '\u2003', ' \u00a0', '\r\n', '']; // U+00A0 and U+2003 are white space too

/** A deterministic pseudo-random sequence (the same texts on every run). */
function* sequence(seed: number): Generator<number> {
  let s = seed;
  for (;;) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield s;
  }
}

test('each stem found where a word starts: the parts of reading every word', (t) => {
  const next = sequence(21);
  const pick = <T>(list: readonly T[]): T => list[next.next().value! % list.length];
  const queries = ['supplier audit', 'audit', 'suppliers', 'réunion fournisseur', 'omega', 'ωmega', '𝒜udit', 'the supplier', '10 audit', 'a'];
  let compared = 0;
  let highlighted = 0;
  for (let n = 0; n < 400; n++) {
    const length = 1 + (next.next().value! % 120);
    let text = '';
    for (let i = 0; i < length; i++) text += pick(PIECES) + pick(SPACES);
    for (const q of queries) {
      const words = queryWords(q);
      // The whole text as the window: every word is compared.
      const parts = highlightedExcerpt(text, words, 100_000);
      t.deepEqual(parts, everyWordRead(text, words), JSON.stringify({ text, q }));
      compared++;
      highlighted += parts.filter((p) => p.hit).length;
    }
  }
  t.true(compared === 4_000 && highlighted > 3_000, `${highlighted} words highlighted`);
});

test('a word is highlighted from its start only, whatever its case, accents or plural', (t) => {
  const parts = highlightedExcerpt('Resupplier: the Suppliers’ AUDITÉS, and a pre-audit.', ['supplier', 'audit']);
  t.deepEqual(
    parts.filter((p) => p.hit).map((p) => p.text),
    ['Suppliers', 'AUDITÉS', 'audit'],
  );
});
