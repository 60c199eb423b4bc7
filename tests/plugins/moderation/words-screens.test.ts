// Watched words in a real Chromium: Ada, an admin, adds words on the admin page (a refused line
// comes back as typed); Bob's status with a blocked word is refused with his text kept, one with
// a held word waits, marked, for a moderator; Mona publishes it from the queue. Both themes at
// 390 and 1280 px, nothing sticking out sideways, no Content Security Policy complaint.
import test from 'ava';
import { artifactPath, PHONE, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMember, MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';

test('an admin sets watched words; a blocked post keeps its text, a held one waits for a moderator; both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    await createMember(rt, 'ada', { displayName: 'Ada Lovelace', role: 'admin' });
    await createMember(rt, 'bob', { displayName: 'Bob Marley' });
    await createMember(rt, 'mona', { displayName: 'Mona Lisa', role: 'moderator' });
    const { page, csp, check, watch } = await screensPage(t, browser, 'moderation');

    await signInPage(page, server.url, 'ada', MEMBER_PASSWORD, '/admin/moderation/words');
    await page.fill('#field-words', 'arnaque\n/casino(/');
    await Promise.all([page.waitForLoadState(), page.click('.moderation-words__form button[type=submit]')]);
    await page.locator('text=Line 2: this regular expression is not valid.').waitFor();
    t.is(await page.inputValue('#field-words'), 'arnaque\n/casino(/', 'the lines are kept');
    await check('words-refused');
    await page.fill('#field-words', 'arnaque\nescroquerie\nfaux billets');
    await Promise.all([page.waitForURL('**/admin/moderation/words'), page.click('.moderation-words__form button[type=submit]')]);
    await page.fill('#field-words', 'crypto*\nbitcoin');
    await page.check('input[name=action][value=hold]');
    await Promise.all([page.waitForURL('**/admin/moderation/words'), page.click('.moderation-words__form button[type=submit]')]);
    await page.fill('#field-words', 'zut');
    await page.check('input[name=action][value=replace]');
    await page.fill('#field-replacement', 'flûte');
    await Promise.all([page.waitForURL('**/admin/moderation/words'), page.click('.moderation-words__form button[type=submit]')]);
    t.regex(await page.locator('.moderation-words__count').innerText(), /6 watched words/);
    await check('words');
    await rt.networks.update(root, { theme: 'ardoise' });
    await page.reload();
    await check('ardoise-words');
    await rt.networks.update(root, { theme: 'default' });

    // Bob on a phone: refused, his words kept; then a held post, marked for him only.
    const context = await browser.newContext({ viewport: PHONE });
    const phone = watch(await context.newPage());
    await signInPage(phone, server.url, 'bob', MEMBER_PASSWORD, '/feed');
    await phone.fill('textarea[name=body]', 'Attention, c’est une Arnaque !');
    await Promise.all([phone.waitForLoadState(), phone.click('form[action$="/status"] button[type=submit]')]);
    await phone.locator('text=This text contains a word not allowed in this network: Arnaque.').waitFor();
    t.is(await phone.inputValue('textarea[name=body]'), 'Attention, c’est une Arnaque !');
    await phone.screenshot({ path: artifactPath('moderation/words-blocked-phone.png'), fullPage: true });
    await phone.fill('textarea[name=body]', 'Investissez en cryptomonnaie, zut !');
    await Promise.all([phone.waitForURL('**/feed'), phone.click('form[action$="/status"] button[type=submit]')]);
    const held = Number((await rt.db('status_posts').orderBy('entity_id', 'desc').first('entity_id'))!.entity_id);
    await phone.goto(`${server.url}/status/${held}`);
    await phone.locator('text=Waiting for a moderator’s review.').waitFor();
    t.regex(await phone.locator('main').innerText(), /Investissez en cryptomonnaie, flûte !/);
    await phone.screenshot({ path: artifactPath('moderation/words-held-author-phone.png'), fullPage: true });

    // Mona's queue: the held post with the words found; she publishes it.
    await page.context().clearCookies();
    await signInPage(page, server.url, 'mona', MEMBER_PASSWORD, '/moderation');
    const item = page.locator(`[data-target="entity-${held}"]`);
    t.regex(await item.innerText(), /Watched words × 1[\s\S]*cryptomonnaie/);
    await check('queue-held');
    await rt.networks.update(root, { theme: 'ardoise' });
    await page.reload();
    await check('ardoise-queue-held');
    await rt.networks.update(root, { theme: 'default' });
    await Promise.all([page.waitForURL('**/moderation'), item.getByRole('button', { name: 'Publish' }).click()]);
    await page.locator('text=Published: everyone who may see it sees it again.').waitFor();
    await phone.reload();
    t.false(await phone.isVisible('text=Waiting for a moderator’s review.'), 'published');
    await context.close();
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
