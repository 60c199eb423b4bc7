// Moderation in a real Chromium: Bob opens a post's ⋯ menu, reports it (the form refuses
// "Something else" without words, keeping the choice) at 390 px; Mona, a moderator, finds it in
// her queue (its "Suspend or ban" form opened) and hides it; Alice, its author, still sees it
// marked, Bob no longer does; the admin's analytics dashboard shows the period's funnel. Both
// themes at 390 and 1280 px, nothing sticking out sideways, no Content Security Policy complaint.
import test from 'ava';
import { artifactPath, PHONE, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { ADMIN } from '../../helpers/app';
import { createMember, createMembers, MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';
import { analyticsOf } from '../analytics/support';

test('a member reports a post from its menu, a moderator hides it; pages look right in both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const { alice } = await createMembers(rt, { alice: 'Alice Liddell', bob: 'Bob Marley', carol: 'Carol Danvers' });
    await createMember(rt, 'mona', { displayName: 'Mona Lisa', role: 'moderator' });
    await rt.pluginState.enable('analytics', root);
    const post = await rt.db.transaction(async (trx) => {
      const id = await rt.entities.create({ type: 'status', ownerId: alice, networkId: root, access: 'members', containerId: null }, trx);
      await trx('status_posts').insert({ entity_id: id, body: 'Cheap watches, 90% off, only today at example.com/watches' });
      await rt.activity.record({ verb: 'posted', actorId: alice, entityId: id, networkId: root }, trx);
      return id;
    });
    const { page, csp, check, watch } = await screensPage(t, browser, 'moderation');

    // Bob, on a phone: the menu opens without JavaScript (a <details>), "Report" leads to the form.
    const context = await browser.newContext({ viewport: PHONE });
    const phone = watch(await context.newPage());
    await signInPage(phone, server.url, 'bob', MEMBER_PASSWORD, `/status/${post}`);
    await phone.click('.entity-actions__toggle');
    await phone.getByRole('link', { name: 'Report' }).waitFor();
    await phone.screenshot({ path: artifactPath('moderation/menu-open-phone.png'), fullPage: true });
    await Promise.all([phone.waitForURL(/\/moderation\/report\/entity\/\d+/), phone.getByRole('link', { name: 'Report' }).click()]);
    await phone.check('input[value=other]');
    await Promise.all([phone.waitForLoadState(), phone.click('form.form button[type=submit]')]);
    await phone.locator('text=Say in a few words what is wrong.').waitFor();
    t.true(await phone.isChecked('input[value=other]'), 'the choice is kept');
    await phone.check('input[value=spam]');
    await phone.fill('#field-note', 'Advertising, posted in three groups too.');
    await Promise.all([phone.waitForURL(`**/status/${post}`), phone.click('form.form button[type=submit]')]);
    await phone.locator('text=the moderators will look at your report').waitFor();
    await rt.db('moderation_reports').insert({
      network_id: root,
      target_type: 'entity',
      target_id: post,
      target_user_id: alice,
      container_id: null,
      reporter_id: (await rt.users.byUsername('carol'))!.id,
      reason: 'offCharter',
      note: '',
      created_at: Date.now(),
    });

    // Mona's queue (both themes), the report form, then she hides the post and tells the reporters.
    await signInPage(page, server.url, 'mona', MEMBER_PASSWORD, '/moderation');
    const item = page.locator(`[data-target="entity-${post}"]`);
    t.regex(await item.innerText(), /2 reports[\s\S]*Spam × 1[\s\S]*Against the usage charter × 1[\s\S]*Cheap watches/);
    await check('queue');
    // "Suspend or ban": a moderator bans (suspending an account of the root network takes root rights).
    await item.locator('.moderation-item__sanction > summary').click();
    const sanction = await item.locator('.moderation-item__sanction').innerText();
    t.regex(sanction, /Ban Alice Liddell…[\s\S]*Reason[\s\S]*Ban from the network/);
    t.notRegex(sanction, /Suspension for|Suspend the account/, 'no period where no suspension is offered');
    await check('queue-sanction');
    await page.goto(`${server.url}/moderation/report/entity/${post}`);
    await check('report-form');
    await rt.networks.update(root, { theme: 'ardoise' });
    await page.goto(`${server.url}/moderation`);
    await check('ardoise-queue');
    await page.goto(`${server.url}/moderation/report/entity/${post}`);
    await check('ardoise-report-form');
    await rt.networks.update(root, { theme: 'default' });
    await page.goto(`${server.url}/moderation`);
    await page.check(`[data-target="entity-${post}"] input[name=tell]`);
    await Promise.all([page.waitForURL('**/moderation'), item.getByRole('button', { name: 'Hide' }).click()]);
    await page.locator('text=Hidden: only its author still sees it.').waitFor();
    await check('queue-empty');

    // Bob no longer sees it anywhere; his reports say what was decided.
    await phone.goto(`${server.url}/activity`);
    t.false(await phone.isVisible('text=Cheap watches'), 'gone from the feed of others');
    t.is((await phone.goto(`${server.url}/status/${post}`))?.status(), 404);
    await phone.goto(`${server.url}/moderation/mine`);
    t.regex(await phone.locator('.moderation-mine__item').innerText(), /Spam[\s\S]*Hidden/);
    await phone.screenshot({ path: artifactPath('moderation/mine-bob-phone.png'), fullPage: true });
    await context.close();

    // Alice, its author, still sees it, marked.
    const author = watch(await browser.newPage({ viewport: PHONE }));
    await signInPage(author, server.url, 'alice', MEMBER_PASSWORD, `/status/${post}`);
    await author.locator('text=Hidden by a moderator.').waitFor(); // the author still sees it, marked
    await author.screenshot({ path: artifactPath('moderation/hidden-author-phone.png'), fullPage: true });
    await rt.networks.update(root, { theme: 'ardoise' });
    await author.goto(`${server.url}/activity`);
    await author.screenshot({ path: artifactPath('moderation/ardoise-hidden-author-feed-phone.png'), fullPage: true });
    await author.close();

    // The network's dashboard, once the rollup job has run: the period's funnel, Alice contributing.
    await analyticsOf(app).rollup();
    await page.context().clearCookies();
    await signInPage(page, server.url, ADMIN.username, ADMIN.password, '/admin/analytics');
    const funnel = page.locator('#table-funnel').locator('xpath=ancestor::section[1]');
    const figures = await funnel.innerText();
    t.regex(figures, /Members\s+5\b/);
    t.regex(figures, /Contributing \(posted, published, shared\)\s+1\s+20 %/);
    await check('ardoise-dashboard');
    await rt.networks.update(root, { theme: 'default' });
    await page.reload();
    await check('dashboard');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
