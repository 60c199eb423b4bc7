// The comment and reaction panels in headless Chromium at phone and desktop widths:
// screenshots for review (tests/e2e/artifacts/social/*.png), nothing sticking out sideways,
// no CSP violation; a member comments, replies and reacts through the real forms, no JavaScript needed.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { screensPage } from '../../helpers/screens';
import { createMember } from '../../helpers/members';
import { withNotesBrowserApp } from './screens-app';
import { PASSWORD } from './support';

test('comment and reaction panels render cleanly at 390 px and 1280 px; a member comments, replies and reacts', (t) =>
  withNotesBrowserApp(t, async ({ rt, root, server, browser }) => {
    const user = (username: string, displayName: string): Promise<number> => createMember(rt, username, { displayName });
    const alice = await user('alice', 'Alice Liddell');
    const bob = await user('bob', 'Bob the Builder with a rather long display name');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await rt.entities.create({ type: 'fixture_note', ownerId: alice, networkId: root, access: 'members' }));
    const now = Date.now();
    const comment = async (entityId: number, authorId: number, body: string, parentId: number | null = null): Promise<number> => {
      const [row] = await rt
        .db('comments')
        .insert({ entity_id: entityId, network_id: root, author_id: authorId, parent_id: parentId, body, created_at: now - 3600_000 })
        .returning('id');
      await rt
        .db('comment_counts')
        .insert({ entity_id: entityId, n: 1 })
        .onConflict('entity_id')
        .merge({ n: rt.db.raw('comment_counts.n + 1') });
      return Number(typeof row === 'object' ? row.id : row);
    };
    const c1 = await comment(
      ids[0],
      bob,
      'What a **lovely** day for a picnic. https://example.com/a/very/long/link/that/should/wrap/nicely/on/phones',
    );
    await comment(ids[0], alice, 'Agreed! Bring the tea.', c1);
    await comment(ids[0], bob, 'And the cakes 🍰', c1);
    await comment(ids[1], bob, 'Short one.');
    for (const [uid, r] of [
      [bob, 'love'],
      [alice, 'like'],
    ] as const) {
      await rt.db('reactions').insert({ entity_id: ids[0], user_id: uid, reaction: r, network_id: root, created_at: now });
      await rt.db('reaction_counts').insert({ entity_id: ids[0], reaction: r, n: 1 });
    }

    const { page, csp, check } = await screensPage(t, browser, 'social');
    await signInPage(page, server.url, 'alice', PASSWORD);

    await page.goto(`${server.url}/fixture/entities?ids=${ids.join(',')}`);
    await check('feed');

    // React from the feed, without JavaScript: the card's one control opens the picker (a
    // page with every reaction), whose form posts and comes back to the same card.
    await Promise.all([page.waitForURL(`**/entities/${ids[1]}/reactions?*`), page.click(`#reactions-${ids[1]} .reactions__pick`)]);
    await check('picker');
    await Promise.all([page.waitForURL(`**/fixture/entities?ids=*`), page.click(`#reactions-${ids[1]} button[value="celebrate"]`)]);
    t.is(await page.getAttribute(`#reactions-${ids[1]} button[value="celebrate"]`, 'aria-pressed'), 'true');

    await page.goto(`${server.url}/fixture/entities/${ids[0]}`);
    await page.fill(`#comment-body-${ids[0]}`, 'A new comment with _emphasis_.');
    await Promise.all([page.waitForURL(`**/fixture/entities/${ids[0]}#comment-*`), page.click(`#comments-${ids[0]} > form button[type=submit]`)]);
    t.regex((await page.textContent(`#comments-${ids[0]}`)) ?? '', /4 comments/);
    // Reply: the comment's link opens its one reply form (the page again, with ?reply=).
    await Promise.all([
      page.waitForURL(`**/fixture/entities/${ids[0]}?reply=${c1}#comment-reply-${c1}`),
      page.click(`#comment-${c1} > .comment__actions a.comment__reply`),
    ]);
    await check('page-reply-open');
    await page.fill(`#comment-reply-${c1}`, 'Replying from the page.');
    await Promise.all([
      page.waitForURL(`**/fixture/entities/${ids[0]}#comment-*`),
      page.click(`#comment-${c1} > .comment__actions form button[type=submit]`),
    ]);
    t.regex((await page.textContent(`#comment-${c1} .comment__replies`)) ?? '', /Replying from the page/);
    await check('page');

    // A refused comment comes back with the error, on the thread page.
    await page.fill(`#comment-body-${ids[0]}`, '   ');
    await page.click(`#comments-${ids[0]} > form button[type=submit]`);
    await page.waitForSelector('.field__error');
    await check('thread-error');

    await page.goto(`${server.url}/entities/${ids[0]}/reactions`);
    await check('who');
    await page.goto(`${server.url}/comments/${(await rt.db('comments').where({ author_id: alice }).first('id')).id}/edit`);
    await check('edit');
    t.deepEqual(csp, []);
  }));
