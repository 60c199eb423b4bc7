// A group card's excerpt (issue 18): the description's first 160 characters as plain text,
// Markdown's marks and runs of spaces read as one space, cut with an ellipsis. It reads the
// description only as far as the excerpt goes; what it answers is the whole description's
// text, cut: checked against that reading on descriptions of every shape.
import test from 'ava';
import { excerpt } from '../../../plugins/groups/params';

/** The excerpt read from the whole description: every mark and space replaced, then cut. */
function wholeReading(markdown: string): string {
  const text = markdown
    .replace(/[#*_`>[\]()!~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 160 ? `${text.slice(0, 157).trimEnd()}…` : text;
}

test('marks and spaces are read as one space, ends trimmed', (t) => {
  t.is(excerpt('# Choir\n\nWe **sing** on _Tuesdays_ — [site](https://x.example)!  '), 'Choir We sing on Tuesdays — site https://x.example');
  t.is(excerpt(''), '');
  t.is(excerpt(' \n## \t'), '');
});

test('a description longer than 160 characters is cut at 157 with an ellipsis, at a word end', (t) => {
  const exact = 'a'.repeat(160);
  t.is(excerpt(exact), exact, '160 characters are kept whole');
  t.is(excerpt(`${'a'.repeat(156)} bcdef`), `${'a'.repeat(156)}…`, 'the space before the cut is dropped');
  const long = `${'word '.repeat(40)}${'**tail** '.repeat(5000)}`;
  t.is(excerpt(long), `${'word '.repeat(31)}wo…`);
});

test('the same excerpt as the whole description read, on descriptions of every shape', (t) => {
  const alphabet = [
    'a',
    'é',
    'Z',
    '9',
    ' ',
    '\n',
    '\t',
    '\u00a0',
    '\u2003',
    '\u3000',
    '\ufeff',
    '\u200b',
    '#',
    '*',
    '_',
    '`',
    '>',
    '[',
    ']',
    '(',
    ')',
    '!',
    '~',
    '-',
    '.',
    '😀',
  ];
  let seed = 18;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 3000; i++) {
    let text = '';
    for (let j = random(i % 2 ? 400 : 60); j > 0; j--) text += alphabet[random(alphabet.length)];
    t.is(excerpt(text), wholeReading(text), JSON.stringify(text));
  }
});
