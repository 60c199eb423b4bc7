/**
 * The keyset-paged lists in Chromium, in both themes, at 390 and 1280 px: a group's members, a
 * member's followers and the network's blog (newest first, "Older" and "Newer"), their first page and the one "Next" leads to (a plain
 * link carrying the cursor), and back with "Previous". Screenshots go to
 * tests/e2e/artifacts/paging/; nothing sticks out sideways, no CSP violation.
 */
import test from 'ava';
import { BlogsService } from '../../plugins/blogs/service';
import { GroupsService } from '../../plugins/groups/service';
import { browserAvailable, signInPage } from '../helpers/browser';
import { browserAppForFile, themedScreensPage, type StartedBrowserApp } from '../helpers/browser-app';
import { bulkMembers, createMember, MEMBER_PASSWORD } from '../helpers/members';

let env: StartedBrowserApp | undefined;
let groupId = 0;
browserAppForFile({}, async (started) => {
  env = started;
  const rt = started.app.app.ruche;
  const alice = await createMember(rt, 'alice', { displayName: 'Alice Liddell' });
  const groups = rt.container.resolve(GroupsService);
  groupId = await groups.create(
    (await rt.users.viewer(alice))!,
    1,
    {
      name: 'Community garden',
      description: 'We grow vegetables together on Saturdays.',
      category: 'social',
      visibility: 'open',
    },
    null,
  );
  const names = await bulkMembers(rt.db, 'Gardener', 26);
  await rt
    .db('container_members')
    .insert(names.map((id, i) => ({ container_id: groupId, user_id: id, role: i < 2 ? 'admin' : 'member', created_at: Date.now() })));
  await rt.db('follows').insert(names.map((id) => ({ follower_id: id, followee_id: alice, created_at: Date.now() })));
  const blogs = rt.container.resolve(BlogsService);
  for (let i = 1; i <= 14; i++) {
    const post = { title: `Garden diary, week ${i}`, body: `What grew in week ${i}.`, tags: ['garden'], access: 'members' as const };
    await blogs.create((await rt.users.viewer(alice))!, 1, null, { ...post, status: 'published', publishAt: null });
  }
});
const run = browserAvailable() ? test.serial : test.skip;

for (const theme of ['default', 'ardoise'] as const) {
  run(`${theme}: group members, followers and the blog page on by "Next" and back by "Previous"`, async (t) => {
    const e = env!;
    const { page, csp, check } = await themedScreensPage(t, e, 'paging', { theme });
    await signInPage(page, e.url, 'alice', MEMBER_PASSWORD);
    for (const [name, path, row, size] of [
      ['members', `/groups/${groupId}/members`, '.groups-member', 20],
      ['followers', '/people/alice/followers', '.connections-person', 20],
      ['blog', '/blogs', '.blogs-card', 10],
    ] as const) {
      await page.goto(`${e.url}${path}`);
      t.is(await page.locator(row).count(), size, `${name}: ${size} a page`);
      t.is(await page.locator('a[rel="prev"]').count(), 0, `${name}: no previous link on the first page`);
      await check(`${theme}-${name}`);
      const first = await page.locator(row).first().textContent();
      await Promise.all([page.waitForURL(/after=/), page.click('a[rel="next"]')]);
      t.true((await page.locator(row).count()) > 0, `${name}: the next page lists the rest`);
      t.is(await page.locator('a[rel="next"]').count(), 0, `${name}: the last page has no next link`);
      await check(`${theme}-${name}-next`);
      await Promise.all([page.waitForURL(/before=/), page.click('a[rel="prev"]')]);
      t.is(await page.locator(row).first().textContent(), first, `${name}: "Previous" goes back to the first page`);
    }
    t.deepEqual(csp, [], 'no CSP violation');
  });
}
