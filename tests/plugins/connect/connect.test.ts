// Connect in person, on both databases: codes rotate and expire, a mutual scan connects at once
// (a one-sided one asks), "People I met" keeps where and when, blocks and other networks'
// codes do nothing, the feature can be turned off, and a typed code is forgiving.
import QRCode from 'qrcode';
import { CODE_TTL } from '../../../plugins/connect/service';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { rowCount } from '../../helpers/rows';
import { eachConnectApp } from './support';

const UNKNOWN = /This code does not work: it expired, was replaced, or belongs to another network/;

eachConnectApp('a code stays the same for a day, rotates on demand and expires; old codes do nothing', async (t, app) => {
  const aliceId = await app.member('alice', 'Alice Martin');
  await app.member('bob', 'Bob Durand');
  const alice = await app.as('alice');
  const bob = await app.as('bob');

  // Opening the page writes nothing: no code until she asks for one.
  let res = await alice.agent.http.get('/connect');
  t.is(res.status, 200);
  t.regex(res.text, /You have no code at the moment[\s\S]*Show my code/);
  t.is(await rowCount(app.db('connect_codes')), 0);
  res = await alice.post('/connect/rotate');
  t.is(res.status, 303);
  res = await alice.agent.http.get('/connect');
  t.regex(res.text, /Here is your code: it works for a day/);
  const first = await app.codeOf('alice');
  t.regex(first, /^[2-9A-HJ-NP-Z]{8}$/, 'no 0, O, 1 or I');
  t.is(await app.codeOf('alice'), first, 'the same code all day');
  // "Show my code" twice answers as once.
  t.is((await alice.post('/connect/rotate')).status, 303);
  t.is(await app.codeOf('alice'), first);
  res = await bob.agent.http.get(`/connect/c/${first}`);
  t.is(res.status, 200);
  t.regex(res.text, /Connect with Alice Martin/);

  // On demand: a new code, and the old one no longer opens anything; a double submit answers as the first.
  t.regex((await alice.agent.http.get('/connect')).text, new RegExp(`name="replaces" value="${first}"`));
  res = await alice.post('/connect/rotate', { replaces: first });
  t.is(res.status, 303);
  const second = await app.codeOf('alice');
  t.not(second, first);
  t.is((await alice.post('/connect/rotate', { replaces: first })).status, 303);
  t.is(await app.codeOf('alice'), second, 'the repeated submit changed nothing');
  res = await bob.agent.http.get(`/connect/c/${first}`);
  t.is(res.status, 404);
  t.regex(res.text, UNKNOWN);
  res = await bob.post(`/connect/c/${first}`, { note: 'Hall B' });
  t.is(res.status, 404);
  t.is(await rowCount(app.db('connection_requests')), 0);

  // A day later it has expired: refused, and the owner's page offers a new one (writing nothing until asked).
  const later = Date.now() + CODE_TTL + 1000;
  await t.throwsAsync(app.connect.owner(second, 1, 99, later), { message: '404 connect.error.unknownCode' });
  await app
    .db('connect_codes')
    .where({ user_id: aliceId })
    .update({ expires_at: Date.now() - 1 });
  res = await bob.agent.http.get(`/connect/c/${second}`);
  t.is(res.status, 404);
  const expired = await app.db('connect_codes').where({ user_id: aliceId }).first();
  res = await alice.agent.http.get('/connect');
  t.regex(res.text, /Show my code/);
  t.notRegex(res.text, /data-connect-code/);
  t.deepEqual(await app.db('connect_codes').where({ user_id: aliceId }).first(), expired, 'the GET wrote nothing');
  t.is((await alice.agent.http.get(`/connect/qr/${second}`)).status, 404);
  const third = await app.codeOf('alice');
  t.not(third, second);
  t.is(await rowCount(app.db('connect_codes').where({ user_id: aliceId })), 1);

  // The QR image encodes the code's absolute address; only its owner gets it, and only the current one.
  res = await alice.agent.http.get(`/connect/qr/${third}`);
  t.is(res.status, 200);
  t.regex(String(res.headers['content-type']), /^image\/svg\+xml/);
  const svg = res.body instanceof Buffer ? res.body.toString('utf8') : res.text;
  const siteUrl = app.rt.config.siteUrl.replace(/\/$/, '');
  t.is(svg, await QRCode.toString(`${siteUrl}/connect/c/${third}`, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }));
  t.is((await alice.agent.http.get(`/connect/qr/${second}`)).status, 404);
  t.is((await bob.agent.http.get(`/connect/qr/${third}`)).status, 404);
});

eachConnectApp('a mutual scan connects at once, with where they met; a one-sided scan asks', async (t, app) => {
  const aliceId = await app.member('alice', 'Alice Martin');
  const bobId = await app.member('bob', 'Bob Durand');
  await app.member('carol', 'Carol Petit');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  const carol = await app.as('carol');
  const aliceCode = await app.codeOf('alice');
  const bobCode = await app.codeOf('bob');

  // Bob opens Alice's code: a request, nothing more yet.
  let res = await bob.post(`/connect/c/${aliceCode}`, { note: 'Devoxx, hall B' });
  t.is(res.status, 303);
  t.is(res.headers.location, '/connect');
  t.truthy(await app.db('connection_requests').where({ from_id: bobId, to_id: aliceId, status: 'pending' }).first());
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:requested'],
  );
  // Alice opens Bob's code in turn: connected at once, both ways.
  res = await alice.post(`/connect/c/${bobCode}`, { note: '' });
  t.is(res.status, 303);
  t.is(res.headers.location, '/connect/met');
  t.is(await rowCount(app.db('user_relations').where({ kind: 'friend' })), 2);
  t.deepEqual(
    app.events.map((e) => e.name),
    ['connections:requested', 'connections:accepted'],
  );
  res = await alice.agent.http.get('/connect/met');
  t.regex(res.text, /You are now connected with Bob Durand/);
  t.regex(res.text, /Bob Durand[\s\S]*Met at Devoxx, hall B/, "Alice typed nothing: Bob's note");
  res = await bob.agent.http.get('/connect/met');
  t.regex(res.text, /Alice Martin[\s\S]*Met at Devoxx, hall B/);

  // A second submit answers as the first: nothing more is written.
  res = await alice.post(`/connect/c/${bobCode}`);
  t.is(res.status, 303);
  t.is(await rowCount(app.db('connect_met')), 2);
  t.is(app.events.length, 2);

  // Carol opens Bob's code; Bob accepts from his requests later: the meeting is kept too.
  res = await carol.post(`/connect/c/${bobCode}`, { note: 'Café du Port' });
  t.is(res.status, 303);
  const request = await app.db('connection_requests').where({ to_id: bobId, status: 'pending' }).first('id');
  res = await bob.post(`/connections/requests/${request.id}/accept`);
  t.is(res.status, 303);
  res = await bob.agent.http.get('/connect/met');
  t.regex(res.text, /Carol Petit[\s\S]*Met at Café du Port[\s\S]*Alice Martin/, 'newest first');
  // Connections made otherwise are not "met".
  res = await carol.agent.http.get('/connect/met');
  t.notRegex(res.text, /Alice Martin/);

  // One's own code, and a note too long (kept in the form).
  res = await alice.post(`/connect/c/${await app.codeOf('alice')}`);
  t.is(res.status, 400);
  t.regex(res.text, /This is your own code/);
  res = await carol.post(`/connect/c/${aliceCode}`, { note: 'x'.repeat(121) });
  t.is(res.status, 422);
  t.regex(res.text, /Keep it to 120 characters/);
  t.regex(res.text, /value="x{121}"/);

  // In Bob's archive: his code, the codes opened either way, his meetings (both sides).
  const parts = await app.rt.hooks.filter('member:export', [], { rt: app.rt, userId: bobId });
  const rows = (name: string) => parts.find((p) => p.plugin === 'connect' && p.name === name)?.rows.length;
  t.deepEqual([rows('codes'), rows('scans'), rows('met')], [1, 4, 4], 'scans: his of Alice, her two of his, Carol of his');
});

eachConnectApp('blocks and other networks: a code does nothing', async (t, app) => {
  const rt = app.rt;
  const aliceId = await app.member('alice', 'Alice Martin');
  const bobId = await app.member('bob', 'Bob Durand');
  const carolId = await app.member('carol', 'Carol Petit');
  const paris = await addSubNetwork(rt, 'paris', 'Paris office');
  await rt.pluginState.enable('connect', paris);
  await addMemberships(rt, paris, [aliceId, bobId]);
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  const carol = await app.as('carol');

  // Alice's Paris code works in Paris, not at the root (and the other way round).
  const parisCode = await app.codeOf('alice', '/n/paris');
  const rootCode = await app.codeOf('alice');
  t.not(parisCode, rootCode);
  t.is((await bob.agent.http.get(`/n/paris/connect/c/${parisCode}`)).status, 200);
  let res = await bob.agent.http.get(`/connect/c/${parisCode}`);
  t.is(res.status, 404);
  t.regex(res.text, UNKNOWN);
  t.is((await bob.post(`/connect/c/${parisCode}`)).status, 404);
  t.is((await bob.post(`/n/paris/connect/c/${rootCode}`)).status, 404);
  // Carol is not a member of Paris: its pages are not hers.
  t.is((await carol.post(`/n/paris/connect/c/${parisCode}`)).status, 403);
  t.is(await rowCount(app.db('connection_requests')), 0);

  // Bob scans Alice in Paris (a request, a scan), then Alice blocks Bob: everything goes, and his code does nothing.
  t.is((await bob.post(`/n/paris/connect/c/${parisCode}`, { note: 'Lobby' })).status, 303);
  res = await alice.post('/messages/block/bob');
  t.is(res.status, 303);
  t.is(await rowCount(app.db('connect_scans')), 0);
  t.is(await rowCount(app.db('connection_requests').where({ status: 'pending' })), 0);
  const bobCode = await app.codeOf('bob');
  for (const [who, code] of [
    [alice, bobCode],
    [bob, rootCode],
  ] as const) {
    res = await who.agent.http.get(`/connect/c/${code}`);
    t.is(res.status, 404);
    t.regex(res.text, UNKNOWN, 'a block is not revealed: the same refusal');
    t.is((await who.post(`/connect/c/${code}`)).status, 404);
  }
  t.is(await rowCount(app.db('connection_requests').where({ status: 'pending' })), 0);
  t.is(await rowCount(app.db('user_relations')), 0);
  // Carol, blocking no one, still connects with Alice.
  t.is((await carol.post(`/connect/c/${rootCode}`)).status, 303);
  t.truthy(await app.db('connection_requests').where({ from_id: carolId, to_id: aliceId, status: 'pending' }).first());
});

eachConnectApp('turned off, a code does nothing until turned on again; a typed code is forgiving', async (t, app) => {
  const aliceId = await app.member('alice', 'Alice Martin');
  const bobId = await app.member('bob', 'Bob Durand');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  const code = await app.codeOf('alice');

  let res = await alice.post('/connect/off');
  t.is(res.status, 303);
  res = await alice.agent.http.get('/connect');
  t.regex(res.text, /Connect in person is off/);
  t.notRegex(res.text, /data-connect-code/);
  t.is((await bob.agent.http.get(`/connect/c/${code}`)).status, 404);
  t.is((await bob.post(`/connect/c/${code}`)).status, 404);
  t.is((await alice.post('/connect/rotate')).status, 409);
  t.is((await alice.agent.http.get(`/connect/qr/${code}`)).status, 404);
  t.is(await rowCount(app.db('connect_codes').where({ user_id: aliceId })), 0);
  // Off twice answers as once.
  t.is((await alice.post('/connect/off')).status, 303);
  // Off here only: in another network of hers, her code still works.
  const lyon = await addSubNetwork(app.rt, 'lyon', 'Lyon site');
  await app.rt.pluginState.enable('connect', lyon);
  await addMemberships(app.rt, lyon, [aliceId, bobId]);
  const lyonCode = await app.codeOf('alice', '/n/lyon');
  t.is((await bob.agent.http.get(`/n/lyon/connect/c/${lyonCode}`)).status, 200);

  res = await alice.post('/connect/on');
  t.is(res.status, 303);
  const fresh = await app.codeOf('alice');
  t.not(fresh, code, 'a new code: the old one stays dead');
  t.is((await bob.agent.http.get(`/connect/c/${code}`)).status, 404);

  // Typed: case, spaces and the dash do not matter; a malformed code is refused with what was typed kept.
  const typed = ` ${fresh.slice(0, 4).toLowerCase()}-${fresh.slice(4)} `;
  res = await bob.agent.http.get(`/connect/go?code=${encodeURIComponent(typed)}`);
  t.is(res.status, 303);
  t.is(res.headers.location, `/connect/c/${fresh}`);
  res = await bob.agent.http.get('/connect/go?code=+');
  t.is(res.status, 303);
  t.is(res.headers.location, '/connect');
  res = await bob.agent.http.get('/connect/go?code=OI10-ABCD');
  t.is(res.status, 422);
  t.regex(res.text, /A code has 8 letters and digits/);
  t.regex(res.text, /value="OI10-ABCD"/);
});
