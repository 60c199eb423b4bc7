// The queue's history in a real Chromium (issue 22): Mona hides a reported comment and deletes a
// reported post from the queue; the history lists both with who decided, the reasons and the
// content in context; she shows the comment again from it. Mathis, a French-speaking moderator,
// reads the same history in French. A restore links to the hide's own page. Each page at 390 and 1280 px, nothing sticking out sideways,
// no Content Security Policy complaint.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMember, createMembers, MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage, submitAndLoad } from '../../helpers/screens';

test('the history of decisions, a restore from it, in English and French', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const { alice, bob } = await createMembers(rt, { alice: 'Alice Liddell', bob: 'Bob Marley', carol: 'Carol Danvers' });
    await createMember(rt, 'mona', { displayName: 'Mona Lisa', role: 'moderator' });
    await createMember(rt, 'mathis', { displayName: 'Mathis Lefèvre', role: 'moderator', locale: 'fr' });
    const { spam, comment } = await rt.db.transaction(async (trx) => {
      const status = async (owner: number, body: string): Promise<number> => {
        const id = await rt.entities.create({ type: 'status', ownerId: owner, networkId: root, access: 'members', containerId: null }, trx);
        await trx('status_posts').insert({ entity_id: id, body });
        await rt.activity.record({ verb: 'posted', actorId: owner, entityId: id, networkId: root }, trx);
        return id;
      };
      const post = await status(alice, 'Our walk by the river this morning, with photos soon.');
      const spam = await status(bob, 'Cheap watches at example.com, 90% off today only!');
      const [c] = await trx('comments')
        .insert({ entity_id: post, network_id: root, author_id: bob, body: 'Nobody cares about your walk, honestly.', created_at: Date.now() })
        .returning('id');
      await trx('comment_counts').insert({ entity_id: post, n: 1 });
      return { spam, comment: Number(typeof c === 'object' ? c.id : c) };
    });

    const reporter = await browser.newPage();
    await signInPage(reporter, server.url, 'carol', MEMBER_PASSWORD, `/moderation/report/piece/comment/${comment}`);
    await reporter.check('input[value=harassment]');
    await reporter.fill('#field-note', 'Unkind to Alice.');
    await submitAndLoad(reporter, () => reporter.click('form.form button[type=submit]'));
    await reporter.goto(`${server.url}/moderation/report/entity/${spam}`);
    await reporter.check('input[value=spam]');
    await submitAndLoad(reporter, () => reporter.click('form.form button[type=submit]'));
    t.is(Number((await rt.db('moderation_reports').count<{ n: number }[]>('* as n'))[0].n), 2);

    const { page, csp, check } = await screensPage(t, browser, 'moderation-history');
    await signInPage(page, server.url, 'mona', MEMBER_PASSWORD, '/moderation');
    await submitAndLoad(page, () => page.locator(`[data-target="comment-${comment}"]`).getByRole('button', { name: 'Hide' }).click());
    await submitAndLoad(page, () => page.locator(`[data-target="entity-${spam}"]`).getByRole('button', { name: 'Delete' }).click());
    await page.goto(`${server.url}/moderation/history`);
    t.is(await page.locator('[data-decision]').count(), 2);
    t.regex(await page.locator(`[data-target="comment-${comment}"]`).innerText(), /Decided by Mona Lisa[\s\S]*Nobody cares about your walk/);
    t.regex(await page.locator(`[data-target="entity-${spam}"]`).innerText(), /no longer exists/);
    await check('history-en');

    await submitAndLoad(page, () => page.locator(`[data-target="comment-${comment}"]`).getByRole('button', { name: 'Show again' }).click());
    t.false(Boolean(Number((await rt.db('comments').where({ id: comment }).first('withheld')).withheld)), 'shown again');
    await page.goto(`${server.url}/moderation/history`);
    await check('history-restored-en');
    // The restore links to the hide it undid, at that decision's own page.
    await submitAndLoad(page, () => page.locator('a.moderation-item__restores').click());
    t.is(await page.locator('h1').innerText(), 'A moderation decision');
    t.is(await page.locator('[data-decision]').count(), 1);
    t.regex(
      await page.locator(`[data-target="comment-${comment}"]`).innerText(),
      /Hidden[\s\S]*Nobody cares about your walk[\s\S]*Shown again by Mona Lisa/,
    );
    await check('decision-en');

    const fr = await screensPage(t, browser, 'moderation-history');
    await signInPage(fr.page, server.url, 'mathis', MEMBER_PASSWORD, '/moderation/history');
    t.regex(await fr.page.locator('h1').innerText(), /\S/);
    t.is(await fr.page.locator('[data-decision]').count(), 3, 'the restore is listed too');
    await fr.check('history-fr');
    await submitAndLoad(fr.page, () => fr.page.locator('a.moderation-item__permalink').first().click());
    t.is(await fr.page.locator('h1').innerText(), 'Une décision de modération');
    await fr.check('decision-fr');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
    t.deepEqual(fr.csp, []);
  }));
