/**
 * Loaded before every test file (package.json, ava's `require`): an HTML answer's `res.text` is read
 * as a browser shows its characters. Pages are built one byte a character (issue 18,
 * core/views/one-byte.ts): every character beyond Latin-1 is sent as a decimal character reference
 * (`&#8217;`), which a browser shows as the character, so tests asserting what a member reads
 * ("Une erreur s’est produite") see it as written. Only such references (above 255) are read back;
 * every other escape (`&amp;`, `&lt;`, `&#x27;`) stays as sent. `sentHtml(res)`: the page as sent.
 */
import path from 'node:path';

interface ParsedResponse extends NodeJS.ReadableStream {
  text: string;
  rawHtml?: string;
  setEncoding(encoding: BufferEncoding): this;
}

/** The character references the one-byte pages write (decimal, beyond Latin-1) read as their characters. */
export function asShown(html: string): string {
  return html.replace(/&#(\d{3,7});/g, (ref, n: string) => (Number(n) > 255 && Number(n) <= 0x10ffff ? String.fromCodePoint(Number(n)) : ref));
}

/** An HTML answer's text as the server sent it (its references not read back). */
export function sentHtml(res: { text: string }): string {
  return (res as unknown as { res: { rawHtml?: string } }).res.rawHtml ?? res.text;
}

// supertest's own superagent (not a dependency of ours: resolved from supertest's folder).
const superagent = require(require.resolve('superagent', { paths: [path.dirname(require.resolve('supertest'))] })) as {
  parse: Record<string, (res: ParsedResponse, done: () => void) => void>;
};

superagent.parse['text/html'] = (res, done) => {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => {
    res.rawHtml = text;
    res.text = asShown(text);
    done();
  });
};
