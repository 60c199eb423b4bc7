// Guessing codes is limited, on both databases: past 10 codes that open nothing, a member is
// refused (a localised 429 with Retry-After, what they typed kept), a good code too, and writes
// nothing; past 30 from one address, every member there is; the limit lifts with time. Two
// servers on one PostgreSQL database allow the limit once between them, not once each.
import test from 'ava';
import { CODE_ALPHABET } from '../../../plugins/connect/codes';
import { ADDRESS_FAILURES, MEMBER_FAILURES, WINDOW_MS } from '../../../plugins/connect/guesses';
import { makeApp } from '../../helpers/app';
import { databaseKinds, freshDatabase } from '../../helpers/databases';
import { signedIn } from '../../helpers/members';
import { rowCount } from '../../helpers/rows';
import { connectApp, eachConnectApp } from './support';

// 15 minutes after the oldest failure counted (14 on a slow machine, a minute after it).
const TOO_MANY = /Too many codes that did not work: try again in 1[45] minutes/;
/** The i-th code that opens nothing (nobody holds a code of seven Z). */
const wrong = (i: number): string => `ZZZZZZZ${CODE_ALPHABET[i % CODE_ALPHABET.length]}`;

eachConnectApp('a member who tries too many codes is refused for a while, a good code too', async (t, app) => {
  await app.member('alice', 'Alice Martin');
  await app.member('bob', 'Bob Durand');
  const aliceCode = await app.codeOf('alice');
  const bob = await app.as('bob');

  // Her own code is no guess: it does not count.
  const alice = await app.as('alice');
  for (let i = 0; i < MEMBER_FAILURES + 2; i++) t.is((await alice.agent.http.get(`/connect/c/${aliceCode}`)).status, 400);

  for (let i = 0; i < MEMBER_FAILURES; i++) t.is((await bob.agent.http.get(`/connect/c/${wrong(i)}`)).status, 404);
  let res = await bob.agent.http.get(`/connect/c/${aliceCode}`);
  t.is(res.status, 429, 'the right code too, once over the limit');
  t.true([14 * 60, 15 * 60].includes(Number(res.headers['retry-after'])), String(res.headers['retry-after']));
  t.regex(res.text, TOO_MANY);
  t.regex(res.text, new RegExp(`value="${aliceCode}"`), 'what was opened stays in the form');
  t.notRegex(res.text, /Alice Martin/);
  res = await bob.post(`/connect/c/${aliceCode}`, { note: 'Hall B' });
  t.is(res.status, 429);
  t.regex(res.text, TOO_MANY);
  t.is(await rowCount(app.db('connect_scans')), 0);
  t.is(await rowCount(app.db('connection_requests')), 0);
  res = await bob.agent.http.get(`/connect/c/${aliceCode}`).set('Accept-Language', 'fr');
  t.is(res.status, 429);
  t.regex(res.text, /Trop de codes qui ne fonctionnaient pas : réessayez dans 1[45] minutes/);

  // Alice, from the same address, is not slowed by Bob's guesses.
  t.is((await alice.agent.http.get(`/connect/c/${wrong(0)}`)).status, 404);

  // A quarter of an hour later, Bob may try again.
  app.connect.guesses.now = () => Date.now() + WINDOW_MS + 1000;
  res = await bob.post(`/connect/c/${aliceCode}`, { note: 'Hall B' });
  t.is(res.status, 303);
  t.is(await rowCount(app.db('connection_requests').where({ status: 'pending' })), 1);
});

eachConnectApp('one address trying too many codes is refused, whoever signs in there', async (t, app) => {
  const names = ['ann', 'ben', 'cat', 'dan', 'eve'];
  for (const n of names) await app.member(n);
  // Four members each stay under their own limit, and together reach their address's.
  for (let i = 0; i < ADDRESS_FAILURES; i++) {
    const m = await app.as(names[i % 4]);
    t.is((await m.agent.http.get(`/connect/c/${wrong(i)}`)).status, 404);
  }
  t.true(Math.ceil(ADDRESS_FAILURES / 4) < MEMBER_FAILURES);
  const eve = await app.as('eve');
  const res = await eve.agent.http.get(`/connect/c/${wrong(0)}`);
  t.is(res.status, 429, 'a fifth member at the same address');
  t.regex(res.text, TOO_MANY);
  // Typed in the form, the refusal is the same.
  t.is((await eve.agent.http.get(`/connect/go?code=${wrong(1)}`)).status, 303);
  t.is((await eve.agent.http.get(`/connect/c/${wrong(1)}`)).status, 429);
});

for (const kind of databaseKinds().filter((k) => k === 'postgres')) {
  test(`two servers on one ${kind} database count a member's failed codes together`, async (t) => {
    const db = await freshDatabase(kind);
    t.teardown(() => db.drop());
    const app = await connectApp(db);
    t.teardown(() => app.close());
    await app.member('alice');
    await app.member('bob');
    const aliceCode = await app.codeOf('alice');
    // A second server on the same database (another process of `ruche start --workers 2`).
    const other = await makeApp(db, { install: false });
    t.teardown(() => other.close());
    const bobHere = await app.as('bob');
    const bobThere = await signedIn(other, 'bob');

    // Half of his guesses on each server: neither saw the limit's worth alone.
    const half = MEMBER_FAILURES / 2;
    for (let i = 0; i < half; i++) t.is((await bobHere.agent.http.get(`/connect/c/${wrong(i)}`)).status, 404);
    for (let i = half; i < MEMBER_FAILURES; i++) t.is((await bobThere.http.get(`/connect/c/${wrong(i)}`)).status, 404);

    // Both refuse him now, the right code too (the other server's failures arrive by NOTIFY: asked until they have).
    for (const [where, get] of [
      ['here', (p: string) => bobHere.agent.http.get(p)],
      ['there', (p: string) => bobThere.http.get(p)],
    ] as const) {
      let status = 0;
      for (let tries = 0; tries < 50 && status !== 429; tries++) {
        if (tries) await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await get(`/connect/c/${aliceCode}`)).status;
        t.true([200, 429].includes(status), `${where}: ${status}`);
      }
      t.is(status, 429, `refused ${where}`);
    }
  });
}
