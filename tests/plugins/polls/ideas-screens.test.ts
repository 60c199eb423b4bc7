// The idea box in headless Chromium at 390 px and 1280 px, default and Ardoise themes: a member
// proposes an idea through the form, another votes for it on the list at phone width, a
// moderator answers with a status and a reply, the box's second page (keyset Previous/Next);
// screenshots in tests/e2e/artifacts/polls/.
import test from 'ava';
import { DESKTOP, PHONE, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD, createMember } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';
import { IdeasService } from '../../../plugins/polls/ideas-service';

test("ideas: proposing, voting at 390 px, a moderator's answer; the box and an idea look right in both themes", (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await createMember(rt, 'alice', { displayName: 'Alice Liddell' });
    await createMember(rt, 'bob', { displayName: 'Bob Marley' });
    const mod = await createMember(rt, 'mona', { displayName: 'Mona Lisa' });
    await rt.db('memberships').where({ user_id: mod }).update({ role: 'moderator' });
    await rt.pluginState.configure('polls', { ideaVoting: 'updown', ideaBudget: '3' }, rt.networks.root().id);
    const { page, csp, check, watch } = await screensPage(t, browser, 'polls');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD, '/ideas');
    for (const [title, body] of [
      ['Bike racks in front of the Lyon office', 'The street racks are always full by nine.'],
      ['A quiet room on every floor', 'For calls and for focus work, with a door that closes.'],
    ]) {
      await page.goto(`${server.url}/ideas/new`);
      await page.fill('#field-title', title);
      await page.fill('#field-body', body);
      await Promise.all([page.waitForURL(/\/ideas\/\d+$/), page.click('form.form button[type=submit]')]);
    }
    const ideaUrl = page.url();

    const context = await browser.newContext({ viewport: PHONE });
    const phone = watch(await context.newPage());
    await signInPage(phone, server.url, 'bob', MEMBER_PASSWORD, '/ideas');
    await Promise.all([phone.waitForURL(/#idea-\d+$/), phone.click('.idea-row >> nth=0 >> button[value=up]')]);
    t.true(await phone.isVisible('text=Your vote is counted.'));
    t.true(await phone.isVisible('text=You have 2 of 3 votes left for open ideas.'));
    await phone.setViewportSize(DESKTOP);
    await context.close();

    const modPage = watch(await browser.newPage({ viewport: DESKTOP }));
    await signInPage(modPage, server.url, 'mona', MEMBER_PASSWORD, new URL(ideaUrl).pathname);
    await modPage.selectOption('#field-status', 'planned');
    await modPage.fill('#field-reply', 'Agreed: one room per floor from March, starting with the third.');
    await Promise.all([modPage.waitForURL(/\/ideas\/\d+$/), modPage.click('.idea__manage button[type=submit]')]);
    t.true(await modPage.isVisible('text=Agreed: one room per floor'));
    await modPage.close();

    await page.goto(`${server.url}/ideas`);
    await check('ideas');
    await page.goto(ideaUrl);
    await check('idea');
    await page.goto(`${server.url}/ideas/new`);
    await check('idea-new');
    // A box of more than one page: its second page, reached by Next (a cursor), links back by Previous.
    const alice = (await rt.users.byUsername('alice'))!.id;
    for (let i = 1; i <= 21; i++)
      await rt.container
        .resolve(IdeasService)
        .create(
          alice,
          { networkId: rt.networks.root().id, containerId: null, access: 'members' },
          { title: `Suggestion number ${i}`, body: 'More ideas.' },
        );
    await page.goto(`${server.url}/ideas`);
    await Promise.all([page.waitForURL(/\/ideas\?after=/), page.click('a[rel=next]')]);
    t.true(await page.isVisible('a[rel=prev]'));
    await check('ideas-page-2');
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    await page.goto(`${server.url}/ideas`);
    await check('ardoise-ideas');
    await page.goto(ideaUrl);
    await check('ardoise-idea');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
