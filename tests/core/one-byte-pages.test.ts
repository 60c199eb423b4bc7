// One-byte pages (issue 18, core/views/one-byte.ts): HTML templates write every character beyond
// Latin-1 as a character reference, so V8 holds the page one byte a character; a browser shows the
// same text. A mail's text part is not HTML: it keeps its characters as they are.
import { eachActApp } from '../plugins/activity/support';
import { readMails } from '../helpers/mail';
import { sentHtml } from '../helpers/html-as-shown';
import { browserOrSkip, launchBrowser } from '../helpers/browser';
import { storedOneByte } from '../../core/views/one-byte';
import type { Runtime } from '../../core';

const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/u;

/** The next page's HTML as the server built it (before its UTF-8 bytes). */
function capturePages(rt: Runtime): { last: string } {
  const seen = { last: '' };
  const render = rt.views.render.bind(rt.views);
  rt.views.render = (...args: Parameters<typeof render>) => (seen.last = render(...args));
  return seen;
}

/** What a browser shows of a page's body. */
async function shownText(html: string): Promise<string> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'domcontentloaded' });
    return await page.evaluate(() => document.body.textContent ?? '');
  } finally {
    await browser.close();
  }
}

eachActApp('a feed with accented and emoji names is one byte a character, and shows them as written', async (t, app) => {
  const elodie = await app.member('elodie', 'Élodie Lefèvre');
  const zoe = await app.member('zoe', 'Zoë 🚀 Ng');
  await app.quickPost(elodie, 'Réunion à 9 h, café offert');
  await app.quickPost(zoe, 'Launch day');
  const pages = capturePages(app.rt);
  const res = await (await app.as('elodie')).agent.http.get('/activity');
  t.is(res.status, 200);
  t.true(storedOneByte(pages.last), 'the page string is one byte a character');
  t.false(BEYOND_LATIN1.test(sentHtml(res)), 'no character beyond Latin-1 in the bytes sent');
  t.true(sentHtml(res).includes('Zoë &#128640; Ng'), 'Latin-1 letters as they are, the emoji as a reference');
  t.true(sentHtml(res).includes('Élodie Lefèvre'));
  t.true(res.text.includes('Zoë 🚀 Ng'), 'as tests read it');
  if (!browserOrSkip(t)) return;
  const text = (await shownText(sentHtml(res))).replace(/\s+/g, ' ');
  for (const shown of ['Élodie Lefèvre', 'Zoë 🚀 Ng', 'Réunion à 9 h, café offert', 'Launch day']) t.true(text.includes(shown), shown);
});

// What a member writes (a status, Markdown) is HTML built outside the templates: written as given
// (the page is then two bytes a character), and shown as written.
eachActApp('a post with emoji and typographic quotes is shown as written', async (t, app) => {
  const zoe = await app.member('zoe', 'Zoë 🚀 Ng');
  await app.quickPost(zoe, 'Launch day 🎉 — “quoted” @zoe');
  const res = await (await app.as('zoe')).agent.http.get('/activity');
  t.is(res.status, 200);
  if (!browserOrSkip(t)) return;
  const text = (await shownText(sentHtml(res))).replace(/\s+/g, ' ');
  t.true(text.includes('Launch day 🎉 — “quoted” @zoe'), text.slice(0, 2000));
  t.true(text.includes('Zoë 🚀 Ng'));
});

eachActApp('a French page with an emoji name is one byte a character; escaping still escapes', async (t, app) => {
  await app.member('amelie', 'Amélie <b>&</b> 🐝');
  await app.rt.db('users').where({ username: 'amelie' }).update({ locale: 'fr' });
  const pages = capturePages(app.rt);
  const res = await (await app.as('amelie')).agent.http.get('/people/amelie');
  t.is(res.status, 200);
  t.regex(res.text, /<html lang="fr"/);
  t.true(storedOneByte(pages.last));
  t.false(BEYOND_LATIN1.test(sentHtml(res)));
  t.true(sentHtml(res).includes('Amélie &lt;b&gt;&amp;&lt;/b&gt; &#128029;'), 'markup in a name is escaped, the emoji a reference');
  t.false(sentHtml(res).includes('<b>&</b>'));
});

eachActApp('a mail’s text part keeps its characters; its HTML part says the same with references', async (t, app) => {
  await app.rt.mailer.send({
    to: 'zoe@example.com',
    locale: 'fr',
    template: 'core/reset-password',
    siteName: 'Ruche 🐝 d’Ondée',
    data: { name: 'Zoë 🚀', link: 'https://example.com/reset?a=1&b=2' },
  });
  const [mail] = await readMails(app.config.dataDir);
  t.truthy(mail);
  t.true(mail.text.includes('Quelqu’un (sans doute vous)'), mail.text);
  t.true(mail.text.includes('Ruche 🐝 d’Ondée'));
  t.true(mail.text.includes('Zoë 🚀'));
  t.true(mail.text.includes('https://example.com/reset?a=1&b=2'));
  t.false(/&#\d+;/.test(mail.text), 'no character reference in plain text');
  t.true(mail.html.includes('Quelqu&#8217;un'), 'the HTML part writes them as references');
  t.false(BEYOND_LATIN1.test(mail.html));
  t.true(mail.subject.includes('Ruche 🐝') || !mail.subject.includes('&#'), 'the subject is plain text');
  if (!browserOrSkip(t)) return;
  const shown = (await shownText(mail.html)).replace(/\s+/g, ' ');
  t.true(shown.includes('Quelqu’un (sans doute vous)'));
  t.true(shown.includes('Ruche 🐝 d’Ondée'));
  t.true(shown.includes('Zoë 🚀'));
});
