// Member-written Markdown: raw HTML never passes, links get rel="nofollow noopener ugc",
// only http(s) and mailto links survive.
import test from 'ava';
import { renderMarkdown } from '../../core';

test('links are marked nofollow/ugc and unsafe markup is dropped', (t) => {
  const html = renderMarkdown(
    'See [the site](https://example.org) <script>alert(1)</script> <img src=x onerror=alert(1)> [bad](javascript:alert(1))',
  );
  t.regex(html, /<a href="https:\/\/example.org" rel="nofollow noopener ugc">the site<\/a>/);
  t.false(html.includes('<script'));
  t.false(html.includes('<img'));
  t.false(html.includes('href="javascript:'), 'a javascript: link stays plain text');
  t.regex(renderMarkdown('# Title'), /<h2>Title<\/h2>/, 'h1 becomes h2 (the page has its own h1)');
});
