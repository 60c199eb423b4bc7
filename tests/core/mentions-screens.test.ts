// A blog post and a comment with @mentions and #hashtags in headless Chromium at 390 and
// 1280 px (tests/e2e/artifacts/mentions/*.png): the links are there, code stays inert,
// nothing sticks out sideways, no CSP violation.
import test from 'ava';
import { signInPage } from '../helpers/browser';
import { screensPage } from '../helpers/screens';
import { withBrowserApp } from '../helpers/browser-app';
import { createMember, MEMBER_PASSWORD as PASSWORD } from '../helpers/members';
import { BlogsService } from '../../plugins/blogs/service';
import { CommentsService } from '../../plugins/comments/service';

test('a blog post and its comment show mentions and hashtags as links at 390 px and 1280 px', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const user = (username: string, displayName: string): Promise<number> => createMember(rt, username, { displayName });
    const alice = await user('alice', 'Alice Liddell');
    const bob = await user('bob', 'Bob Marley');
    const body =
      'Thanks to @bob for the **launch** plan. #Launch #Q4\n\nThe checklist is in `@cleo #not-a-tag`, and the ' +
      '[wiki](https://example.org/@bob) has the rest.\n\n```\n@bob #inside-code\n```';
    const viewerA = (await rt.users.viewer(alice))!;
    const postId = await rt.container
      .resolve(BlogsService)
      .create(viewerA, root, null, { title: 'Launch week', body, tags: ['release'], access: 'members', status: 'published', publishAt: null });
    const entity = (await rt.entities.get(postId))!;
    await rt.container.resolve(CommentsService).create((await rt.users.viewer(bob))!, entity, { body: 'Count me in, @alice! #Launch' });

    const { page, csp, check } = await screensPage(t, browser, 'mentions');
    await signInPage(page, server.url, 'bob', PASSWORD);
    await page.goto(`${server.url}/blogs/${postId}`);
    t.is(await page.locator('article a.mention').first().textContent(), '@bob');
    t.true((await page.locator('a.hashtag').count()) >= 3, 'two in the post, one in the comment');
    t.is(await page.locator('code a').count(), 0, 'code stays inert');
    t.is(await page.locator('a.mention', { hasText: '@alice' }).count(), 1, 'the comment’s mention');
    await check('blog-post');
    await page.locator('.comment, [id^="comment-"]').first().scrollIntoViewIfNeeded();
    await check('comment');
    t.deepEqual(csp, []);
  }));
