// Password hashing: parameters stored with the hash, wrong passwords refused, and a burst
// of hashes (many sign-ins at once) all complete correctly one at a time.
import test from 'ava';
import { hashPassword, needsRehash, passwordParams, verifyPassword, PASSWORD_PARAMS } from '../../core/auth/passwords';
import { loadConfig } from '../../core';
import { makeApp } from '../helpers/app';
import { eachApp } from '../helpers/each-app';

test('a hash carries its parameters and verifies only its own password', async (t) => {
  const stored = await hashPassword('correct horse battery');
  t.regex(stored, new RegExp(`^scrypt\\$${PASSWORD_PARAMS.N}\\$${PASSWORD_PARAMS.r}\\$${PASSWORD_PARAMS.p}\\$`));
  t.true(await verifyPassword('correct horse battery', stored));
  t.false(await verifyPassword('correct horse batterY', stored));
  t.false(await verifyPassword('correct horse battery', null));
  t.false(await verifyPassword('correct horse battery', 'md5$abc'));
  t.false(needsRehash(stored));
  t.true(needsRehash(await hashPassword('weaker parameters', { N: 1 << 10, r: 8, p: 1, keyLength: 32 })));
});

test('twelve sign-ins at once: every hash and check completes with the right answer', async (t) => {
  const passwords = Array.from({ length: 12 }, (_, i) => `burst password ${i}`);
  const hashes = await Promise.all(passwords.map((p) => hashPassword(p)));
  t.is(new Set(hashes).size, 12, 'salted: all different');
  const checks = await Promise.all(hashes.map((h, i) => verifyPassword(passwords[i], h)));
  t.deepEqual(
    checks,
    passwords.map(() => true),
  );
  const wrong = await Promise.all(hashes.map((h, i) => verifyPassword(passwords[(i + 1) % 12], h)));
  t.deepEqual(
    wrong,
    passwords.map(() => false),
  );
});

test.serial('a burst of sign-ins holds one hash’s memory at a time', async (t) => {
  // Each hash holds 32 MB while it runs; one at a time keeps the burst near that, where two
  // at once would add 64 MB.
  await hashPassword('warm the pool');
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  await Promise.all(Array.from({ length: 6 }, (_, i) => hashPassword(`burst ${i}`)));
  clearInterval(sample);
  const grew = (peak - before) / 2 ** 20;
  t.true(grew > 16, `the hashes were seen running (${grew.toFixed(0)} MB)`);
  t.true(grew < 52, `one hash at a time (${grew.toFixed(0)} MB above the start)`);
});

// `passwords.cost` sets N for new hashes: the test config's 10, the default 15. Hashes of either
// cost verify, so lowering or raising it never locks anyone out.
eachApp(
  'config passwords.cost sets the cost of new hashes; sign-in checks each hash at its own cost',
  (db) => makeApp(db),
  async (t, app) => {
    const rt = app.app.ruche;
    t.is(app.config.passwords.cost, 10, 'the test config');
    const created = await rt.users.create({ username: 'cheap', email: 'cheap@example.com', password: 'a modest passphrase 1' }, 'member');
    if (!('id' in created)) return t.fail(JSON.stringify(created.errors));
    const cheap = created.id;
    const stored = (await rt.db('users').where({ id: cheap }).first('password_hash')).password_hash as string;
    t.regex(stored, /^scrypt\$1024\$8\$1\$/);
    const strong = await hashPassword('a strong passphrase 2');
    await rt.db('users').where({ id: cheap }).update({ password_hash: strong });
    const a = app.agent();
    await a.login('cheap', 'a strong passphrase 2');
    t.is((await a.http.get('/account')).status, 200, 'a default-cost hash signs in under a lower configured cost');
    const stranger = app.agent();
    const token = await stranger.csrf('/login');
    const wrong = await stranger.http.post('/login').type('form').send({ _csrf: token, login: 'nobody-here', password: 'whatever 12345' });
    t.is(wrong.status, 422, 'an unknown account is refused like a wrong password');
  },
);

test('passwords.cost defaults to 15 and is refused outside 10–20', (t) => {
  const base = { secret: 'x'.repeat(40), dataDir: '/tmp/unused' };
  t.is(loadConfig({ env: {}, overrides: base }).passwords.cost, 15);
  t.is(passwordParams(15).N, PASSWORD_PARAMS.N);
  for (const cost of [9, 21, 12.5]) {
    const err = t.throws(() => loadConfig({ env: {}, overrides: { ...base, passwords: { cost } } }));
    t.regex(err!.message, /passwords\.cost/);
  }
});
