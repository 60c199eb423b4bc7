// Issue 27 item 5: the profile's "Recent activity" shows the feed's own cards, styled as on
// the feed (round avatar beside the line, not a square on its own line): the same partial,
// the same stylesheet. Screenshots at 390 and 1280 px in tests/e2e/artifacts/activity/.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { screensPage } from '../../helpers/screens';
import { createMember, MEMBER_PASSWORD } from '../../helpers/members';

type Looks = { radius: string; width: string; head: string };
const looks = `(() => {
  const img = document.querySelector('.activity-entry__avatar');
  const head = document.querySelector('.activity-entry__head');
  const s = getComputedStyle(img);
  return { radius: s.borderRadius, width: s.width, head: getComputedStyle(head).display };
})()`;

test('the profile’s recent activity looks like the feed at 390 and 1280 px', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    await createMember(app.app.ruche, 'alice', { displayName: 'Alice Martin' });
    const { page, csp, check } = await screensPage(t, browser, 'activity');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD, '/activity');
    await page.fill('#status-body', 'Fire drill at 3 pm: meet at the car park.');
    await Promise.all([page.waitForLoadState(), page.click('.activity-composer button[type=submit]')]);
    await page.goto(`${server.url}/activity`);
    const feed = (await page.evaluate(looks)) as Looks;
    await page.goto(`${server.url}/people/alice`);
    await page.waitForSelector('.activity-profile .activity-entry');
    const profile = (await page.evaluate(looks)) as Looks;
    t.deepEqual(profile, feed, 'the same card as on the feed');
    t.not(profile.radius, '0px', 'a round avatar');
    t.is(profile.head, 'flex', 'beside the line');
    await check('profile-recent');
    t.deepEqual(csp, []);
  }));
