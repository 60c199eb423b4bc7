/**
 * In a real browser: Alice creates a closed group; Bob finds it in the directory, asks to
 * join, and Alice approves him from the members page; Bob starts a discussion in the
 * group from its Discussions tab; Alice replies and, as the group's admin, marks her
 * reply as the answer. Carol, outside the group, sees the group's name but none of it.
 */
import test from 'ava';
import { signInPage } from '../helpers/browser';
import { withBrowserApp } from '../helpers/browser-app';
import { PASSWORD, addUser } from '../plugins/profiles/support';

test('a closed group: request, approval, a discussion and its accepted answer', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    await addUser(app, 'alice', 'Alice Liddell');
    await addUser(app, 'bob', 'Bob Marley');
    await addUser(app, 'carol', 'Carol Danvers');
    const alice = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInPage(alice, server.url, 'alice', PASSWORD);
    await alice.goto(`${server.url}/groups/new`);
    await alice.fill('#field-name', 'Night shift');
    await alice.fill('#field-description', 'For the **night** team.');
    await alice.check('#visibility-closed');
    await Promise.all([alice.waitForURL(/\/groups\/\d+$/), alice.click('main form[action$="/groups"] button[type=submit]')]);
    const groupUrl = alice.url();
    const groupId = Number(/\/groups\/(\d+)$/.exec(groupUrl)![1]);

    const bob = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signInPage(bob, server.url, 'bob', PASSWORD);
    await bob.goto(`${server.url}/groups`);
    await Promise.all([bob.waitForURL(/\/groups\/\d+$/), bob.click('main a:has-text("Night shift")')]);
    t.false(((await bob.textContent('main')) ?? '').includes('Discussions'), 'no tabs before joining a closed group');
    await Promise.all([
      bob.waitForLoadState('load'),
      bob.click('.groups-header button:has-text("Ask to join"), main button:has-text("Ask to join")'),
    ]);
    t.regex((await bob.textContent('main')) ?? '', /request|awaiting|pending/i);

    await alice.goto(`${groupUrl}/members`);
    await Promise.all([alice.waitForLoadState('load'), alice.click('form[action*="/approve"] button')]);
    t.truthy(
      await app.app.ruche
        .db('container_members')
        .where({ container_id: groupId })
        .whereIn('user_id', app.app.ruche.db('users').where({ username: 'bob' }).select('id'))
        .first(),
      'Bob is a member',
    );

    await bob.goto(groupUrl);
    await Promise.all([bob.waitForURL(/\/discussions\/in\/\d+/), bob.click('main a:has-text("Discussions")')]);
    await bob.goto(`${server.url}/discussions/new?container=${groupId}`);
    await bob.fill('#field-title', 'Who has the keys on Sunday?');
    await bob.fill('#field-body', 'The usual holder is away.');
    await Promise.all([bob.waitForURL(/\/discussions\/\d+$/), bob.click('main form[action$="/discussions"] button[type=submit]')]);
    const topicUrl = bob.url();
    const topic = await app.app.ruche
      .db('entities')
      .where({ id: Number(/\/discussions\/(\d+)$/.exec(topicUrl)![1]) })
      .first();
    t.is(Number(topic.container_id), groupId);
    t.is(topic.access, 'group');

    await alice.goto(topicUrl);
    await alice.fill('#field-reply', 'I do: come by at 21:00.');
    await Promise.all([alice.waitForLoadState('load'), alice.click('form:has(#field-reply) button[type=submit]')]);
    await alice.goto(topicUrl);
    await Promise.all([alice.waitForLoadState('load'), alice.click('.discussions-reply form[action*="/accept"] button')]);
    await alice.goto(topicUrl);
    t.is(await alice.locator('.discussions-reply[data-accepted]').count(), 1, 'her reply is the accepted answer');
    t.regex((await alice.locator('.discussions-reply[data-accepted]').textContent()) ?? '', /21:00/);

    const carol = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInPage(carol, server.url, 'carol', PASSWORD);
    const res = await carol.goto(topicUrl);
    t.is(res?.status(), 404, 'outside the closed group, the topic does not exist');
    await carol.goto(groupUrl);
    const outside = (await carol.textContent('main')) ?? '';
    t.regex(outside, /Night shift/, 'a closed group shows its name');
    t.false(outside.includes('Who has the keys'), 'but none of its content');
  }));
