// Reported pieces in a real Chromium (issue 22): Carol reports Bob's comment from its "Report"
// link and Dave's private message; Mona's queue shows both in context, then she hides the
// comment; Bob, its author, still sees it marked. Each page at 390 and 1280 px, nothing
// sticking out sideways, no Content Security Policy complaint.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMember, createMembers, MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';

test('a reported comment and a reported message in the queue; a hidden comment as its author sees it', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const { alice, bob, carol, dave } = await createMembers(rt, {
      alice: 'Alice Liddell',
      bob: 'Bob Marley',
      carol: 'Carol Danvers',
      dave: 'Dave Grohl',
    });
    await createMember(rt, 'mona', { displayName: 'Mona Lisa', role: 'moderator' });
    const { post, comment, message } = await rt.db.transaction(async (trx) => {
      const post = await rt.entities.create({ type: 'status', ownerId: alice, networkId: root, access: 'members', containerId: null }, trx);
      await trx('status_posts').insert({ entity_id: post, body: 'Our walk by the river this morning, with photos soon.' });
      await rt.activity.record({ verb: 'posted', actorId: alice, entityId: post, networkId: root }, trx);
      const [c] = await trx('comments')
        .insert({
          entity_id: post,
          network_id: root,
          author_id: bob,
          body: 'Cheap watches at example.com, 90% off today only!',
          created_at: Date.now(),
        })
        .returning('id');
      await trx('comment_counts').insert({ entity_id: post, n: 1 });
      const [conv] = await trx('conversations')
        .insert({
          network_id: root,
          kind: 'direct',
          subject: 'About the meeting',
          created_by: dave,
          created_at: Date.now(),
          last_seq: 1,
          last_message_at: Date.now(),
        })
        .returning('id');
      const conversation = Number(typeof conv === 'object' ? conv.id : conv);
      for (const u of [dave, carol]) await trx('conversation_members').insert({ conversation_id: conversation, user_id: u, joined_at: Date.now() });
      const [m] = await trx('messages')
        .insert({ conversation_id: conversation, seq: 1, author_id: dave, body: 'You will regret speaking up, believe me.', created_at: Date.now() })
        .returning('id');
      return { post, comment: Number(typeof c === 'object' ? c.id : c), message: Number(typeof m === 'object' ? m.id : m) };
    });
    const { page, csp, check, watch } = await screensPage(t, browser, 'moderation-pieces');

    const reporter = watch(await browser.newPage());
    await signInPage(reporter, server.url, 'carol', MEMBER_PASSWORD, `/status/${post}`);
    await Promise.all([
      reporter.waitForURL(/\/moderation\/report\/piece\/comment\/\d+/),
      reporter.locator(`#comment-${comment} [data-action=report]`).click(),
    ]);
    await reporter.check('input[value=spam]');
    await Promise.all([reporter.waitForURL(`**/status/${post}`), reporter.click('form.form button[type=submit]')]);
    await reporter.goto(`${server.url}/moderation/report/piece/message/${message}`);
    await reporter.check('input[value=harassment]');
    await reporter.fill('#field-note', 'A threat after the meeting.');
    await reporter.click('form.form button[type=submit]');
    await reporter.waitForLoadState();
    t.is(
      await rt
        .db('moderation_reports')
        .count<{ n: number }[]>('* as n')
        .then((r) => Number(r[0].n)),
      2,
    );

    await signInPage(page, server.url, 'mona', MEMBER_PASSWORD, '/moderation');
    t.regex(await page.locator(`[data-target="comment-${comment}"]`).innerText(), /Comment on “Our walk by the river[\s\S]*Cheap watches/);
    t.regex(await page.locator(`[data-target="message-${message}"]`).innerText(), /Private message in “About the meeting”[\s\S]*You will regret/);
    await check('queue');
    await Promise.all([
      page.waitForURL('**/moderation'),
      page.locator(`[data-target="comment-${comment}"]`).getByRole('button', { name: 'Hide' }).click(),
    ]);

    const author = watch(await browser.newPage());
    await signInPage(author, server.url, 'bob', MEMBER_PASSWORD, `/status/${post}`);
    await author.locator('text=Hidden by a moderator.').waitFor();
    const hidden = await screensPage(t, browser, 'moderation-pieces');
    await hidden.page.context().addCookies(await author.context().cookies());
    await hidden.page.goto(`${server.url}/status/${post}`);
    await hidden.check('hidden-comment-author');
    t.false(await reporter.goto(`${server.url}/status/${post}`).then(() => reporter.isVisible('text=Cheap watches')), 'gone for the others');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
    t.deepEqual(hidden.csp, []);
  }));
