/**
 * The markup contract of the core templates in every shipped theme: landmarks, labels
 * tied to inputs, errors tied with aria-invalid/aria-describedby, input kept on errors,
 * nothing inline that the CSP would block, both languages.
 */
import type { ExecutionContext } from 'ava';
import { ADMIN, makeApp, type TestApp } from '../helpers/app';
import { eachDatabase } from '../helpers/databases';

const THEMES = ['default', 'ardoise'];

/** Checks shared by every full page. */
function checkPage(t: ExecutionContext, html: string, where: string): void {
  t.regex(html, /^<!doctype html>\n<html lang="(en|fr)"/, where);
  t.regex(html, /<a class="skip-link" href="#main">/, where);
  t.regex(html, /<header class="site-header">/, where);
  t.regex(html, /<main id="main"/, where);
  t.regex(html, /<footer class="site-footer/, where);
  t.regex(html, /<form method="post" action="\/locale" class="locale-form">/, where);
  // Scripts only from files (`<script src>`, allowed by the CSP); no inline code or styles.
  t.notRegex(html, /<script(?![^>]*\ssrc=)|\sstyle=|<style|\son[a-z]+=/i, `${where}: inline script or style`);
  for (const m of html.matchAll(/<label[^>]* for="([^"]+)"/g))
    t.regex(html, new RegExp(`<(input|select|textarea)[^>]* id="${m[1]}"`), `${where}: label for ${m[1]}`);
}

async function setupApp(
  t: ExecutionContext,
  db: Parameters<Parameters<typeof eachDatabase>[1]>[1],
  theme: string,
): Promise<{ app: TestApp; token: string }> {
  const app = await makeApp(db, { install: { siteName: 'Ruche', locale: 'en' } });
  const rt = app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { theme });
  t.teardown(() => app.close());
  return { app, token: await rt.setup.issueToken() };
}

for (const theme of THEMES) {
  eachDatabase(`${theme}: the setup form ties hints and errors to their fields and keeps the input`, async (t, db) => {
    const { app, token } = await setupApp(t, db, theme);
    const agent = app.agent();
    const page = (await agent.http.get(`/setup?token=${token}`)).text;
    checkPage(t, page, 'setup');
    t.regex(
      page,
      /<input id="field-username" name="username" type="text" value="" required aria-required="true" autocomplete="username" aria-describedby="field-username-hint">/,
    );
    t.regex(page, /<label class="field__label" for="field-displayName">Full name <span class="field__optional">\(optional\)<\/span><\/label>/);
    t.regex(page, /<select id="field-locale" name="locale">/);
    const fr = (await app.agent().http.get(`/setup?token=${token}`).set('Accept-Language', 'fr')).text;
    t.regex(fr, /<select id="field-locale" name="locale">\s*<option value="en" lang="en">English<\/option><option value="fr" lang="fr" selected>/);
    t.regex(fr, /\(facultatif\)/);

    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const res = await agent.http.post('/setup').type('form').send({
      _csrf: csrf,
      token,
      siteName: 'Ruche',
      locale: 'en',
      displayName: 'Alice <b>',
      username: 'alice',
      email: 'not-an-email',
      password: 'short',
      passwordConfirm: 'short',
    });
    t.is(res.status, 422);
    checkPage(t, res.text, 'setup with errors');
    t.regex(
      res.text,
      /<input id="field-password" name="password" type="password" required aria-required="true" autocomplete="new-password" aria-invalid="true" aria-describedby="field-password-error field-password-hint">/,
    );
    t.regex(res.text, /<p class="field__error" id="field-password-error">The password needs at least 10 characters.<\/p>/);
    t.regex(res.text, /aria-invalid="true" aria-describedby="field-email-error">/);
    t.regex(res.text, /<li><a href="#field-email">/, 'the summary links to the field');
    t.regex(res.text, /id="field-displayName" name="displayName" type="text" value="Alice &lt;b&gt;"/, 'input kept, escaped');
    t.regex(res.text, /id="field-username" name="username" type="text" value="alice"/);
    t.notRegex(res.text, /value="short"/, 'passwords are never echoed');
  });

  eachDatabase(`${theme}: sign-in errors, error pages and French`, async (t, db) => {
    const app = await makeApp(db);
    const rt = app.app.ruche;
    await rt.networks.update(rt.networks.root().id, { theme });
    t.teardown(() => app.close());
    const agent = app.agent();

    const csrf = await agent.csrf('/login');
    const failed = await agent.http.post('/login').type('form').send({ _csrf: csrf, login: 'admin', password: 'wrong password' });
    t.is(failed.status, 422);
    checkPage(t, failed.text, 'login');
    t.regex(failed.text, /<div class="alert alert-error" role="alert">The username or password is not right.<\/div>/);
    t.notRegex(failed.text, /field__error|aria-invalid/, 'the form-level error does not leak into the fields');
    t.regex(failed.text, /id="field-login" name="login" type="text" value="admin"/);

    const missing = await agent.http.get('/nothing/here');
    t.is(missing.status, 404);
    checkPage(t, missing.text, '404');
    t.regex(missing.text, /<h1 id="error-title">Page not found<\/h1>/);
    t.notRegex(missing.text, /error-page__ref/, 'no reference number on a 404');

    const fr = await app.agent().http.get('/login').set('Accept-Language', 'fr-CH, fr;q=0.9');
    t.regex(fr.text, /<html lang="fr"/);
    t.regex(fr.text, /Nom d’utilisateur ou adresse e-mail/);
    t.regex(fr.text, /<option value="fr" lang="fr" selected>Français<\/option>/);

    await agent.login(ADMIN.username, ADMIN.password);
    const home = (await agent.http.get('/')).text;
    checkPage(t, home, 'home');
    t.regex(home, /<details class="account-menu">/);
    t.regex(home, /<form method="post" action="\/logout">/);
  });
}
