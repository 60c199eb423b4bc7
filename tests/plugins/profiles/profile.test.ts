import { eachApp } from '../../helpers/each-app';
import { ADMIN, assertPage, makeApp } from '../../helpers/app';
import { addField, addSubnetwork, addUser, allowGuests, befriend, setValue, signIn } from './support';

const LEVELS = ['public', 'members', 'network', 'friends', 'private'] as const;

eachApp('profile page: owner, member, admin, guest and a suspended owner', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const alice = await addUser(app, 'alice', 'Alice <Liddell>');
  await addUser(app, 'bob');
  await rt.db('profiles').insert({
    user_id: alice,
    headline: 'Chief rabbit chaser',
    department: 'Wonderland',
    location: 'Oxford',
    languages: 'English, French',
    skills: 'Croquet, Tea',
    about: '**Curious** <script>alert(1)</script>',
    updated_at: Date.now(),
  });

  const owner = await signIn(app, 'alice');
  const ownShown = ['Alice &lt;Liddell&gt;', 'Chief rabbit chaser', '<strong>Curious</strong>', '/profile/edit', `/avatars/${alice}/initials.svg`];
  assertPage(t, await owner.http.get('/people/alice'), ownShown, ['<script>alert(1)']);

  const member = await signIn(app, 'bob');
  const memberShown = ['Wonderland', 'Oxford', 'English', 'French', 'Croquet', 'Tea'];
  assertPage(t, await member.http.get('/people/ALICE'), memberShown, ['href="/profile/edit" class="btn']);
  t.is((await member.http.get('/people/nobody')).status, 404);

  // guests: asked to sign in where guests are not allowed, public fields only where they are
  const guest = app.agent();
  const refused = await guest.http.get('/people/alice');
  t.true([302, 303, 401].includes(refused.status), `guest got ${refused.status}`);
  t.false(refused.text.includes('Wonderland'));
  await allowGuests(app, true);
  // members-only fields hidden from guests
  assertPage(t, await guest.http.get('/people/alice'), ['Alice &lt;Liddell&gt;'], ['Wonderland', 'Curious']);

  // suspended: 404 for members and guests, visible to admins
  await rt.users.setStatus(alice, 'suspended');
  t.is((await member.http.get('/people/alice')).status, 404);
  t.is((await guest.http.get('/people/alice')).status, 404);
  const admin = await signIn(app, ADMIN.username);
  assertPage(t, await admin.http.get('/people/alice'), ['Wonderland', 'suspended']);
});

eachApp('profile page: each field visibility level for each kind of viewer', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const team = await addSubnetwork(app, 'team');
  const owner = await addUser(app, 'owner');
  const stranger = await addUser(app, 'stranger');
  const comember = await addUser(app, 'comember');
  const friend = await addUser(app, 'friend');
  // the owner belongs to "team" only, so the stranger and the friend share no network with them
  await rt.users.setRole(owner, team, 'member');
  await rt.users.setRole(comember, team, 'member');
  await rt.db('memberships').where({ user_id: owner, network_id: rt.networks.root().id }).delete();
  await befriend(app, owner, friend);
  for (const level of LEVELS) {
    const id = await addField(app, `f_${level}`, 'text', level);
    await setValue(app, owner, id, `VALUE-${level.toUpperCase()}`);
  }
  await allowGuests(app, true);

  const expected: Record<string, readonly string[]> = {
    owner: LEVELS,
    admin: LEVELS,
    stranger: ['public', 'members'],
    comember: ['public', 'members', 'network'],
    friend: ['public', 'members', 'friends'],
    guest: ['public'],
  };
  for (const [who, visible] of Object.entries(expected)) {
    const agent = who === 'guest' ? app.agent() : await signIn(app, who === 'admin' ? ADMIN.username : who);
    // The owner belongs to "team" only: the root's pages answer them the outsider page
    // (core/http/outsiders.ts), so they look at their profile in their own network.
    const res = await agent.http.get(who === 'owner' ? '/n/team/people/owner' : '/people/owner');
    t.is(res.status, 200, who);
    for (const level of LEVELS) {
      t.is(res.text.includes(`VALUE-${level.toUpperCase()}`), visible.includes(level), `${who} sees the ${level} field: ${visible.includes(level)}`);
    }
  }
  // inside the sub-network too, and in French
  await rt.db('users').where({ id: comember }).update({ locale: 'fr' });
  const co = await signIn(app, 'comember');
  assertPage(t, await co.http.get('/n/team/people/owner'), ['VALUE-NETWORK', 'Membre depuis', '/n/team/avatars/'], ['VALUE-PRIVATE']);
  t.true(stranger > 0);
});

eachApp('initials avatar: escaped SVG with a long cache; unknown member 404', makeApp, async (t, app) => {
  const id = await addUser(app, 'zoe', '<b>Zoé</b> "Quote" Ünal');
  const agent = await signIn(app, 'zoe');
  const res = await agent.http.get(`/avatars/${id}/initials.svg`);
  t.is(res.status, 200);
  t.regex(res.headers['content-type'], /image\/svg\+xml/);
  t.regex(res.headers['cache-control'], /max-age=\d{6,}/);
  const svg = res.body instanceof Buffer ? res.body.toString('utf8') : res.text;
  t.true(svg.includes('&lt;Ü') || svg.includes('>&lt;Ü<'), svg);
  t.false(svg.includes('<b>'));
  t.is((await agent.http.get('/avatars/99999/initials.svg')).status, 404);
  t.is((await agent.http.get(`/avatars/${id}/..%2Fetc.jpg`)).status, 404);
  t.is((await agent.http.get(`/avatars/${id}/0123456789abcdef0123-160.jpg`)).status, 404);
});
