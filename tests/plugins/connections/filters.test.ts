// Directory filters on profile fields: built-in columns and admin-defined extra fields (the
// festival case). A value the viewer may not see never matches, in results or counts.
import { ADMIN } from '../../helpers/app';
import { eachConnApp } from './support';
import { statementsDuring } from '../../helpers/statements';

const decode = (html: string): string => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const names = (html: string): string[] =>
  [...html.matchAll(/connections-person__name" href="[^"]*">[^<]*<\/a>\s*<span class="muted">@([^<]+)</g)].map((m) => m[1]);

eachConnApp('festival: find people by extra fields, each field only where the viewer may see it', async (t, app) => {
  const ownerId = await app.member('olga', 'Olga Owner');
  const friendId = await app.member('fred', 'Fred Friend');
  await app.member('sid', 'Sid Stranger');
  const openId = await app.member('oscar', 'Oscar Open');
  const now = Date.now();
  const field = async (key: string, type: string, visibility: string, choices: string[] = []) => {
    const [row] = await app
      .db('profile_fields')
      .insert({
        key,
        label_en: key.toUpperCase(),
        label_fr: `${key}-fr`,
        type,
        choices: JSON.stringify(choices),
        required: false,
        visibility,
        position: 0,
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  };
  const camp = await field('camp', 'choice', 'friends', ['North camp', 'South camp']);
  const flight = await field('flight', 'text', 'private');
  const langs = await field('tongues', 'multichoice', 'members', ['Basque', 'Breton']);
  const arrival = await field('arrival', 'date', 'public');
  await app.db('profile_values').insert([
    { user_id: ownerId, field_id: camp, value: 'North camp' },
    { user_id: ownerId, field_id: flight, value: 'AF 1234' },
    { user_id: ownerId, field_id: langs, value: 'Basque' },
    { user_id: ownerId, field_id: langs, value: 'Breton' },
    { user_id: ownerId, field_id: arrival, value: '2026-07-14' },
    { user_id: openId, field_id: langs, value: 'Breton' },
    { user_id: openId, field_id: arrival, value: '2026-07-14' },
  ]);
  await app.db('profiles').insert([
    {
      user_id: ownerId,
      headline: 'Stage manager',
      department: 'Logistics',
      location: 'Nantes',
      languages: 'French, Breton',
      skills: 'Rigging, First aid',
      about: '',
      updated_at: now,
    },
    { user_id: openId, headline: '', department: 'Bar', location: 'Rennes', languages: 'English', skills: 'Aid', about: '', updated_at: now },
  ]);
  await app.db('user_relations').insert([
    { user_id: ownerId, other_id: friendId, kind: 'friend', created_at: now },
    { user_id: friendId, other_id: ownerId, kind: 'friend', created_at: now },
  ]);

  const sid = await app.as('sid');
  const fred = await app.as('fred');
  const olga = await app.as('olga');
  const admin = await app.as(ADMIN.username, ADMIN.password);
  const get = async (who: typeof sid, qs: string) => {
    const res = await who.agent.http.get(`/people?${qs}`);
    t.is(res.status, 200, qs);
    return res.text;
  };

  // Connections-only field: the stranger finds nobody (count included), friend, owner and admin find her.
  let html = await get(sid, 'x_camp=North+camp');
  t.deepEqual(names(html), []);
  t.regex(html, /No members found/);
  for (const who of [fred, olga, admin]) t.deepEqual(names(await get(who, 'x_camp=North+camp')), ['olga']);
  // Private field: only the owner and the admin.
  for (const who of [sid, fred]) t.deepEqual(names(await get(who, 'x_flight=af+12')), []);
  for (const who of [olga, admin]) t.deepEqual(names(await get(who, 'x_flight=af+12')), ['olga']);
  // The private field is not even offered to others; the connections one is, with its choices.
  html = await get(sid, '');
  t.notRegex(html, /name="x_flight"/);
  t.regex(decode(html), /name="x_camp"[\s\S]*<option value="North camp">North camp<\/option>/);
  t.regex(await get(admin, ''), /name="x_flight"/);
  // Members-level multichoice, public date, combined with the name search.
  t.deepEqual(names(await get(sid, 'x_tongues=Breton&sort=name')), ['olga', 'oscar']);
  t.deepEqual(names(await get(sid, 'x_tongues=Basque')), ['olga']);
  t.deepEqual(names(await get(sid, 'x_arrival=2026-07-14&q=osc')), ['oscar']);
  // A combination: a hidden value excludes, even when the visible one matches.
  t.deepEqual(names(await get(sid, 'x_arrival=2026-07-14&x_camp=North+camp')), []);
  t.deepEqual(names(await get(fred, 'x_arrival=2026-07-14&x_camp=North+camp')), ['olga']);
  // Built-in columns: department/location contain, skills/languages whole items.
  html = await get(sid, 'f_department=logis');
  t.deepEqual(names(html), ['olga']);
  t.regex(html, /Stage manager/, 'each person with the headline the viewer may see');
  t.deepEqual(names(await get(sid, 'f_location=RENNES')), ['oscar']);
  // Several distinct values matching (each its own members), and LIKE's wildcards taken literally.
  t.deepEqual(names(await get(sid, 'f_location=N&sort=name')), ['olga', 'oscar']);
  t.deepEqual(names(await get(sid, 'f_department=%25')), []);
  t.deepEqual(names(await get(sid, 'f_department=_')), []);
  t.deepEqual(names(await get(sid, 'f_skills=aid&sort=name')), ['oscar']);
  t.deepEqual(names(await get(sid, 'f_skills=first+aid')), ['olga']);
  t.deepEqual(names(await get(sid, 'f_languages=breton')), ['olga']);
  // Tampered or unknown filters are ignored or match nothing, never a 500.
  t.deepEqual(names(await get(sid, 'x_nope=1&f_skills=%25')), []);
  t.regex(await get(sid, 'x_camp[]=a'), /connections-search/);
  // A suspended member never shows, even to the admin.
  await app.app.ruche.users.setStatus(ownerId, 'suspended');
  t.deepEqual(names(await get(admin, 'x_camp=North+camp')), []);
});

eachConnApp('the profile page shows counts, list links and follow/connect buttons with their state', async (t, app) => {
  await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  const alice = await app.as('alice');
  let res = await alice.agent.http.get('/people/bob');
  t.is(res.status, 200);
  t.regex(res.text, /href="\/people\/bob\/followers">No followers</);
  t.regex(res.text, /action="\/people\/bob\/follow"/);
  t.regex(res.text, /action="\/people\/bob\/connect"/);
  t.regex(res.text, /name="_csrf" value="[^"]+"/);
  const form = /<form method="post" action="\/people\/bob\/follow"[\s\S]*?<\/form>/.exec(res.text)![0];
  const token = /name="_csrf" value="([^"]+)"/.exec(form)![1];
  res = await alice.agent.http.post('/people/bob/follow').type('form').send({ _csrf: token, next: '/people/bob' });
  t.is(res.status, 303);
  await alice.post('/people/bob/connect');
  res = await alice.agent.http.get('/people/bob');
  t.regex(res.text, /1 follower</);
  t.regex(res.text, /action="\/people\/bob\/unfollow"/);
  t.regex(res.text, /Request sent/);
  t.regex(res.text, /action="\/connections\/requests\/\d+\/cancel"/);
  const bob = await app.as('bob');
  res = await bob.agent.http.get('/people/alice');
  t.regex(res.text, /Wants to connect with you/);
  t.regex(res.text, /action="\/connections\/requests\/\d+\/accept"/);
  // Own profile: counts, no buttons.
  res = await bob.agent.http.get('/people/bob');
  t.regex(res.text, /1 follower</);
  t.notRegex(res.text, /action="\/people\/bob\/follow"/);
  // A guest (where the network allows guests) sees the counts, and no buttons; French too.
  const rt = app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { allowGuests: true });
  const guest = app.agent();
  res = await guest.http.get('/people/bob');
  t.is(res.status, 200);
  t.regex(res.text, /1 follower</);
  t.notRegex(res.text, /action="\/people\/bob\/(follow|connect)"/);
  res = await app.agent().http.get('/people/bob').set('Accept-Language', 'fr');
  t.regex(res.text, /1 abonné</);
});

eachConnApp('the profile page reads where the viewer stands in one statement, whatever it is (issue 18)', async (t, app) => {
  await app.member('alice', 'Alice');
  await app.member('bob', 'Bob');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  await alice.agent.http.get('/people/bob'); // warm caches
  const standing = async (): Promise<{ statements: number; text: string }> => {
    const { value: res, sql: statements } = await statementsDuring(app.rt, () => alice.agent.http.get('/people/bob'));
    return { statements: statements.filter((s) => /connection_requests/.test(s)).length, text: res.text };
  };
  let now = await standing();
  t.is(now.statements, 1);
  t.regex(now.text, /action="\/people\/bob\/follow"/);
  await bob.post('/people/alice/connect');
  await bob.post('/people/alice/follow');
  now = await standing();
  t.is(now.statements, 1);
  t.regex(now.text, /action="\/connections\/requests\/\d+\/accept"/, 'their request waits for me');
  await alice.post('/people/bob/follow');
  now = await standing();
  t.regex(now.text, /action="\/people\/bob\/unfollow"/, 'I follow them');
});
