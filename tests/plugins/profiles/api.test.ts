// The profile API answers exactly what the profile page shows, viewer by viewer: the same
// status (a hidden member is the 404 of an unknown name, a guest of a closed network must sign
// in) and the same field values at each visibility level (both databases).
import request from 'supertest';
import { eachApp } from '../../helpers/each-app';
import { ADMIN, makeApp } from '../../helpers/app';
import { addField, addUser, allowGuests, befriend, setValue, signIn } from './support';

const VALUES = { public: 'Value-public-1', members: 'Value-members-2', friends: 'Value-friends-3', private: 'Value-private-4' };

eachApp('the profile API answers what the profile page shows, for every kind of viewer', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await addUser(app, 'olga', 'Olga');
  const friend = await addUser(app, 'fred', 'Fred');
  await addUser(app, 'mia', 'Mia');
  const gone = await addUser(app, 'gus', 'Gus');
  await befriend(app, olga, friend);
  for (const [level, value] of Object.entries(VALUES)) await setValue(app, olga, await addField(app, `f_${level}`, 'text', level), value);
  await rt.db('profiles').insert({
    user_id: olga,
    headline: 'Headline-members',
    department: '',
    location: '',
    languages: '',
    skills: '',
    about: '',
    updated_at: Date.now(),
  });
  await rt.users.setStatus(gone, 'suspended');

  const api = request(app.app.callback());
  const viewers: Record<string, { page: request.Agent | ReturnType<typeof app.agent>['http']; token: string | null }> = {};
  for (const [name, username] of [
    ['owner', 'olga'],
    ['friend', 'fred'],
    ['member', 'mia'],
    ['admin', ADMIN.username],
  ] as const) {
    const id = Number((await rt.db('users').where({ username }).first('id')).id);
    viewers[name] = { page: (await signIn(app, username)).http, token: (await rt.apiTokens.create(id, 'test', 'read')).token };
  }
  viewers.guest = { page: app.agent().http, token: null };

  for (const open of [false, true]) {
    await allowGuests(app, open);
    for (const [who, v] of Object.entries(viewers)) {
      for (const username of ['olga', 'gus', 'nobody']) {
        const page = await v.page.get(`/people/${username}`);
        const call = api.get(`/api/v1/people/${username}`);
        const res = await (v.token ? call.set('authorization', `Bearer ${v.token}`) : call);
        const where = `${who} on ${username} (guests ${open ? 'allowed' : 'refused'})`;
        const expected = page.status === 302 && /\/login/.test(page.headers.location) ? 401 : page.status;
        t.is(res.status, expected, `${where}: the API answers as the page (${page.status})`);
        if (res.status !== 200) continue;
        const apiValues = new Set<string>(res.body.fields.flatMap((f: { values: string[] }) => f.values));
        for (const value of Object.values(VALUES)) t.is(apiValues.has(value), page.text.includes(value), `${where}: ${value}`);
        t.is(res.body.builtin?.headline === 'Headline-members', page.text.includes('Headline-members'), `${where}: built-in fields`);
      }
    }
  }
  // The owner sees every level; a plain member neither friends' nor private values.
  const own = await api.get('/api/v1/people/olga').set('authorization', `Bearer ${viewers.owner.token}`);
  t.is(own.body.fields.length, 4);
  const mia = await api.get('/api/v1/people/olga').set('authorization', `Bearer ${viewers.member.token}`);
  t.deepEqual(mia.body.fields.map((f: { key: string }) => f.key).sort(), ['f_members', 'f_public']);
});
