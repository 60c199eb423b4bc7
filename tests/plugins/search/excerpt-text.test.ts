/**
 * The text a result's excerpt is cut from: a body Markdown would change only in its white space
 * is used as it is (no parse), any other goes through `plainTextOf`; either way the excerpt is
 * the one `plainTextOf` gives.
 */
import test from 'ava';
import { highlightedExcerpt, plainTextOf } from '../../../core';
import { excerptText } from '../../../plugins/search/text';

const WORDS = ['supplier', 'audit'];

const PLAIN = [
  'Notes from the supplier audit: the customers were happy, and feedback so far is very positive.',
  'Agreed. Next steps are on the wiki.\n\nI had the same question.\nWe should document the audit better.',
  '  Indented lines, a trailing space \nand "quotes", (brackets) and 100% of the budget/plan? Yes; the supplier.',
  '+1 from me! Congratulations on the supplier audit, and 2 + 2 makes four.',
  "L'audit du fournisseur : réunion à 10 h, c'est noté.\t\tTabs too.",
  '',
];

const MARKED = [
  'The **supplier audit** is _done_ and `shipped`.',
  '# Supplier audit\n\n> quoted audit',
  '1. first supplier\n2. second audit',
  '3) the supplier audit',
  '- a supplier\n- an audit',
  '+ a supplier\n+ an audit',
  'An image! ![supplier audit](https://example.org/a.png)',
  'See example.com for the supplier audit.',
  'Mail audit@example.org about the supplier.',
  'The audit at https://example.org/supplier.',
  'www.example.org has the supplier audit',
  'Supplier audit\n===',
  'A &amp; B, <b>supplier</b> audit',
  'An [audit](https://example.org) of the supplier \\*escaped\\*',
];

test('a plain body is its own excerpt text: no parse, the same excerpt', (t) => {
  for (const body of PLAIN) {
    t.is(excerptText(body), body, `used as it is: ${JSON.stringify(body)}`);
    t.deepEqual(highlightedExcerpt(excerptText(body), WORDS), highlightedExcerpt(plainTextOf(body), WORDS), JSON.stringify(body));
    t.deepEqual(highlightedExcerpt(excerptText(body), WORDS, 90), highlightedExcerpt(plainTextOf(body), WORDS, 90));
  }
});

test('a body with Markdown (or a link linkify finds) goes through plainTextOf', (t) => {
  for (const body of MARKED) t.is(excerptText(body), plainTextOf(body), JSON.stringify(body));
});
