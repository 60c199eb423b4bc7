// Password hashing: parameters stored with the hash, wrong passwords refused, and a burst
// of hashes (many sign-ins at once) all complete correctly one at a time.
import test from 'ava';
import { hashPassword, needsRehash, verifyPassword, PASSWORD_PARAMS } from '../../core/auth/passwords';

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
