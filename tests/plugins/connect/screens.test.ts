// Connect in person in headless Chromium, in the default and Ardoise themes: Alice shows her
// code on her phone; Bob's phone opens its address (signing in on the way), notes where they
// met and asks; Alice opens Bob's code in turn and they are connected at once (a mutual scan);
// both see each other under "People I met"; she prints name badges for an event she organises. Screenshots at 390 and 1280 px for review
// (tests/e2e/artifacts/connect/*.png), nothing sticking out sideways, no CSP violation.
import test from 'ava';
import { PHONE, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD, createMembers } from '../../helpers/members';
import { imageShows, screensPage } from '../../helpers/screens';
import { EventsService } from '../../../plugins/events/service';
import { RsvpService } from '../../../plugins/events/rsvp';
import { eventDraft } from '../events/support';

test('connect: a member shows a code, another opens its address, and a mutual scan connects them; both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await rt.pluginState.enable('connect');
    await createMembers(rt, { alice: 'Alice Martin', bob: 'Bob Durand' });
    const shots = await screensPage(t, browser, 'connect');
    const alice = shots.page;
    await alice.setViewportSize(PHONE);
    await signInPage(alice, server.url, 'alice', MEMBER_PASSWORD);
    // From the user menu.
    await alice.goto(server.url);
    const entry = alice.locator('a:has-text("Connect in person")').first();
    t.truthy(await entry.getAttribute('href'));
    await alice.goto(`${server.url}${await entry.getAttribute('href')}`);
    // No code yet today: she asks for one.
    await alice.locator('text=You have no code at the moment').waitFor();
    await shots.check('no-code');
    await Promise.all([alice.waitForURL(`${server.url}/connect`), alice.click('button:has-text("Show my code")')]);
    await alice.locator('img.connect-code__qr').waitFor();
    t.true(await imageShows(alice, 'img.connect-code__qr'), 'the QR image loads');
    const aliceCode = ((await alice.textContent('[data-connect-code]')) ?? '').replace('-', '');
    t.regex(aliceCode, /^[2-9A-HJ-NP-Z]{8}$/);
    await shots.check('code');

    // Bob's phone opens the address the QR encodes; he signs in and lands on Alice's code.
    const bobContext = await browser.newContext({ viewport: PHONE });
    const bob = shots.watch(await bobContext.newPage());
    await bob.goto(`${server.url}/connect/c/${aliceCode}`);
    await bob.fill('#field-login', 'bob');
    await bob.fill('#field-password', MEMBER_PASSWORD);
    await Promise.all([bob.waitForURL(`**/connect/c/${aliceCode}`), bob.click('form.form button[type=submit]')]);
    t.regex((await bob.textContent('h1')) ?? '', /Connect with Alice Martin/);
    await bob.fill('#field-note', 'Devoxx, hall B');
    await Promise.all([bob.waitForURL(`${server.url}/connect`), bob.click('form.form button[type=submit]')]);
    await bob.locator('text=Request sent to Alice Martin').waitFor();
    await Promise.all([bob.waitForURL(`${server.url}/connect`), bob.click('button:has-text("Show my code")')]);
    await bob.locator('[data-connect-code]').waitFor();
    const bobCode = ((await bob.textContent('[data-connect-code]')) ?? '').replace('-', '');

    // Alice types Bob's code (read aloud): connected at once.
    await alice.fill('#field-code', `${bobCode.slice(0, 4).toLowerCase()} ${bobCode.slice(4)}`);
    await Promise.all([alice.waitForURL(`**/connect/c/${bobCode}`), alice.click('form.connect-type button[type=submit]')]);
    await shots.check('open');
    await Promise.all([alice.waitForURL(`${server.url}/connect/met`), alice.click('form.form button[type=submit]')]);
    await alice.locator('text=You are now connected with Bob Durand').waitFor();
    t.regex((await alice.textContent('.connect-met')) ?? '', /Bob Durand[\s\S]*Met at Devoxx, hall B/);
    await shots.check('met');
    await bob.goto(`${server.url}/connect/met`);
    t.regex((await bob.textContent('.connect-met')) ?? '', /Alice Martin[\s\S]*Met at Devoxx, hall B/);
    t.is(
      await rt
        .db('user_relations')
        .where({ kind: 'friend' })
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
      2,
    );

    // Alice organises an event Bob goes to: she prints the name badges from its page.
    const events = rt.container.resolve(EventsService);
    const aliceViewer = (await rt.users.viewer(Number((await rt.users.byUsername('alice'))!.id)))!;
    const eventId = await events.create(aliceViewer, rt.networks.root().id, null, eventDraft({ title: 'Spring meetup' }));
    for (const who of ['alice', 'bob']) {
      const viewer = (await rt.users.viewer(Number((await rt.users.byUsername(who))!.id)))!;
      await rt.container.resolve(RsvpService).answer(viewer, (await events.find(eventId))!, 'going');
    }
    await alice.goto(`${server.url}/events/${eventId}`);
    await alice.goto(`${server.url}${await alice.locator('a:has-text("Print name badges")').first().getAttribute('href')}`);
    // Their codes of the day would not last until the event: she makes them last, then prints.
    t.is(await alice.locator('.connect-badge img.connect-badge__qr').count(), 0);
    await Promise.all([alice.waitForNavigation(), alice.locator('form[action$="/codes"] button').click()]);
    t.is(await alice.locator('.connect-badge img.connect-badge__qr').count(), 2);
    await shots.check('badges');

    // Ardoise: the same pages.
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    await alice.goto(`${server.url}/connect`);
    await alice.locator('img.connect-code__qr').waitFor();
    await shots.check('ardoise-code');
    await alice.goto(`${server.url}/connect/met`);
    await shots.check('ardoise-met');
    await alice.goto(`${server.url}/connect/c/${bobCode}`);
    await shots.check('ardoise-open');
    await alice.goto(`${server.url}/connect/badges/${eventId}`);
    await shots.check('ardoise-badges');
    await alice.goto(`${server.url}/connect`);
    await alice.click('form[action="/connect/off"] button');
    await alice.locator('text=Connect in person is off:').waitFor();
    await shots.check('ardoise-off');
    await bobContext.close();
    t.deepEqual(shots.csp, [], 'no Content Security Policy violation');
  }));
