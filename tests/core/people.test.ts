// People through the core: the avatar photo key is core data (users.photo_key), avatars are
// a core route that answers only for a person the viewer may see through the network (a
// partner company's network shows no one else's initials), and person cards link to a
// profile only where a plugin declares the profile route (the profiles plugin). Existing
// photo keys move from `profiles` to `users`.
import { avatarUrl, openBase, personCards, type RucheContext, type Runtime } from '../../core';
import { ADMIN, makeApp, testConfig } from '../helpers/app';
import { eachDatabase } from '../helpers/databases';
import { eachApp } from '../helpers/each-app';
import { insertUser } from '../helpers/rows';

const PASSWORD = 'violet staple engine 7';

async function person(rt: Runtime, username: string, displayName: string, networkId?: number): Promise<number> {
  const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName, emailVerified: true, networkId });
  if (!('id' in r)) throw new Error(`cannot create ${username}: ${JSON.stringify(r.errors)}`);
  return r.id;
}

/** What personCards and avatarUrl read of a request: the runtime, the network and its base path. */
const requestIn = (rt: Runtime, network: ReturnType<Runtime['networks']['root']>, basePath: string): RucheContext =>
  ({ ruche: rt, state: { network, basePath } }) as unknown as RucheContext;

eachApp('avatars answer only for a person the viewer may see: no names across a partner network', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const partner = await rt.networks.create({ slug: 'partner', name: 'Partner Co', isolated: true });
  const alice = await person(rt, 'alice', 'Alice Liddell');
  const pat = await person(rt, 'pat', 'Pat Partner', partner.id);
  const bob = await person(rt, 'bob', 'Bob Suspended');
  await rt.users.setStatus(bob, 'suspended');

  const p = app.agent();
  await p.login('pat', PASSWORD);
  const own = await p.http.get(`/n/partner/avatars/${pat}/initials.svg`);
  t.is(own.status, 200);
  t.regex(own.headers['cache-control'], /^private/, 'what a viewer may see is not for shared caches');
  t.is((await p.http.get(`/n/partner/avatars/${alice}/initials.svg`)).status, 404, 'the company member is not there for a partner');
  t.is((await p.http.get(`/n/partner/avatars/${alice}/0123456789abcdef0123-160.jpg`)).status, 404);

  const a = app.agent();
  await a.login('alice', PASSWORD);
  const svg = await a.http.get(`/avatars/${alice}/initials.svg`);
  t.is(svg.status, 200);
  t.true((svg.body instanceof Buffer ? svg.body.toString('utf8') : svg.text).includes('>AL<'));
  t.is((await a.http.get(`/avatars/${bob}/initials.svg`)).status, 404, 'a suspended member, for a member');
  t.is((await a.http.get('/avatars/99999/initials.svg')).status, 404);
  const root = app.agent();
  await root.login(ADMIN.username, ADMIN.password);
  t.is((await root.http.get(`/avatars/${bob}/initials.svg`)).status, 200, 'a suspended member, for a root admin');
  t.is((await root.http.get(`/n/partner/avatars/${alice}/initials.svg`)).status, 200, 'root admins see everyone');
});

eachApp('person cards in one statement: name, core avatar, and a profile link only where profiles are enabled', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const alice = await person(rt, 'alice', 'Alice Liddell');
  const bob = await person(rt, 'bob', 'Bob');
  await rt.db('users').where({ id: bob }).update({ photo_key: 'abcdef0123456789abcd' });
  const root = rt.networks.root();
  const cards = await personCards(requestIn(rt, root, ''), [alice, bob, alice, 99999]);
  t.deepEqual([...cards.keys()].sort(), [alice, bob].sort(), 'unknown ids are left out, duplicates read once');
  t.deepEqual(cards.get(alice), {
    id: alice,
    username: 'alice',
    displayName: 'Alice Liddell',
    avatarUrl: `/avatars/${alice}/initials.svg`,
    href: '/people/alice',
    isBot: false,
  });
  await rt.db('users').where({ id: bob }).update({ kind: 'bot' });
  t.true((await personCards(requestIn(rt, root, ''), [bob])).get(bob)!.isBot, 'a bot’s card says so');
  t.is(cards.get(bob)!.avatarUrl, `/avatars/${bob}/abcdef0123456789abcd-64.jpg`);
  t.is(avatarUrl(requestIn(rt, root, ''), { id: bob, photo_key: 'abcdef0123456789abcd' }, 400), `/avatars/${bob}/abcdef0123456789abcd-400.jpg`);

  // A sub-network without the profiles plugin (nor the plugins that depend on it): no link.
  const lyon = await rt.networks.create({ slug: 'lyon', name: 'Lyon' });
  const needsProfiles = (id: string): boolean =>
    id === 'profiles' || (rt.plugins.get(id)?.manifest.dependsOn ?? []).some((dep) => needsProfiles(dep));
  for (const p of [...rt.plugins.list()].reverse()) if (needsProfiles(p.manifest.id)) await rt.pluginState.disable(p.manifest.id, lyon.id);
  t.false(rt.pluginState.isEnabled('profiles', lyon.id));
  const inLyon = await personCards(requestIn(rt, lyon, '/n/lyon'), [alice]);
  t.is(inLyon.get(alice)!.href, null);
  t.is(inLyon.get(alice)!.avatarUrl, `/n/lyon/avatars/${alice}/initials.svg`);
});

eachDatabase('the photo keys kept by profiles move to users (profiles migration 003), and back on rollback', async (t, db) => {
  const base = await openBase(testConfig(db), { cwd: db.dataDir });
  try {
    const [profiles] = base.plugins.owners(['profiles']);
    const first = { id: 'profiles', migrations: profiles.migrations.filter((m) => m.name === '001_profiles') };
    await base.migrator.latest([...base.plugins.owners(['admin']), first]);
    const now = Date.now();
    const [anna, ben] = await Promise.all(['anna', 'ben'].map((u) => insertUser(base.db, u, {}, now)));
    await base.db('profiles').insert([
      { user_id: anna, photo_key: 'abcdef0123456789abcd', updated_at: now },
      { user_id: ben, photo_key: null, updated_at: now },
    ]);
    const applied = await base.migrator.latest(base.plugins.owners(['admin', 'profiles']));
    t.true(applied.some((a) => a.owner === 'profiles' && a.names.includes('003_photo_to_users')));
    const keys = async () => (await base.db('users').whereIn('id', [anna, ben]).orderBy('id').pluck('photo_key')) as (string | null)[];
    t.deepEqual(await keys(), ['abcdef0123456789abcd', null]);
    t.false(await base.db.schema.hasColumn('profiles', 'photo_key'), 'one place for the key');
    await base.migrator.rollbackLastRun(base.plugins.owners(['admin', 'profiles']));
    t.is((await base.db('profiles').where({ user_id: anna }).first('photo_key')).photo_key, 'abcdef0123456789abcd');
  } finally {
    await base.close();
  }
});
