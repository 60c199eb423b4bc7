// New-member safeguards (plugins/moderation/safeguards.ts), per network and off by default: a new
// member's first posts held for review (seen by their author and the moderators only, queued with
// their own reason, published by a moderator), and the pace limits on posts and links per hour
// (the form refused with a localised message, the text kept). Moderators and admins are exempt;
// comments are never held but count toward the pace; each network keeps its own settings.
import test from 'ava';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { apiClients } from '../../helpers/api-clients';
import { countLinks } from '../../../plugins/moderation/safeguards';
import { eachModApp, openReportsOn } from './support';

test('links are counted with or without their scheme', (t) => {
  t.is(countLinks('see https://a.example/x and http://b.example, www.c.example; not d.example'), 3);
  t.is(countLinks('no link here'), 0);
});

eachModApp('the first posts of a new member wait for a moderator; moderators are exempt; another network keeps its own setting', async (t, app) => {
  const [ada, bob, , mona] = await app.members('ada', 'bob', 'carol', 'mona');
  await app.setRole(ada, 'admin');
  await app.setRole(mona, 'moderator');
  const settingsPage = await (await app.as('ada')).agent.http.get('/admin/plugins/moderation/settings');
  t.is(settingsPage.status, 200);
  t.regex(settingsPage.text, /Hold a new member’s first posts for review/);
  await app.rt.pluginState.configure('moderation', { newMemberHeldPosts: 2 }, app.root);
  const carol = await app.as('carol');

  const first = await app.post('bob', 'Bonjour à tous, je suis nouveau');
  t.is((await carol.agent.http.get(`/status/${first}`)).status, 404, 'nobody else sees a new member’s first post');
  t.notRegex((await carol.agent.http.get('/activity')).text, /je suis nouveau/);
  const own = await (await app.as('bob')).agent.http.get(`/status/${first}`);
  t.is(own.status, 200);
  t.regex(own.text, /Waiting for a moderator’s review\./);
  t.deepEqual(
    (await openReportsOn(app.db, 'entity', first)).map((r) => [Number(r.reporter_id), r.reason, r.note]),
    [[bob, 'newMember', 'Bonjour à tous, je suis nouveau']],
  );
  const queue = await (await app.as('mona')).agent.http.get('/moderation');
  t.regex(queue.text, /First posts of a new member × 1/);
  t.notRegex(queue.text, /Reported by/, 'the author is not named as a reporter');
  t.false(/First posts of a new member/.test((await (await app.as('bob')).agent.http.get('/moderation/mine')).text));

  const second = await app.post('bob', 'Deuxième message');
  t.is((await carol.agent.http.get(`/status/${second}`)).status, 404, 'the second is held too');
  const third = await app.post('bob', 'Troisième message');
  t.is((await carol.agent.http.get(`/status/${third}`)).status, 200, 'past the first two, posts are published');

  const byModerator = await app.post('mona', 'Premier message de la modératrice');
  t.is((await carol.agent.http.get(`/status/${byModerator}`)).status, 200, 'a moderator is exempt');
  t.deepEqual(await openReportsOn(app.db, 'entity', byModerator), []);

  // A comment is never held on its own (that would withhold the post it is on).
  await app.member('dave', 'Dave');
  const comment = await (await app.as('dave')).post(`/entities/${third}/comments`, { body: 'Bienvenue Bob' });
  t.is(comment.status, 303);
  t.is((await carol.agent.http.get(`/status/${third}`)).status, 200);
  t.deepEqual(await openReportsOn(app.db, 'entity', third), []);

  t.is((await app.decide('mona', `entity-${first}`, 'approve')).status, 303);
  t.is((await carol.agent.http.get(`/status/${first}`)).status, 200, 'published once approved');
  t.is((await carol.agent.http.get(`/status/${second}`)).status, 404, 'each is decided on its own');

  // A partner network with its own value (0: off) does not hold; the root's value is not its.
  const sub = await addSubNetwork(app.rt, 'partner');
  await addMemberships(app.rt, sub, [bob, (await app.db('users').where({ username: 'carol' }).first('id'))!.id]);
  await app.rt.pluginState.configure('moderation', { newMemberHeldPosts: 0 }, sub);
  const there = await (await app.as('bob')).post('/n/partner/status', { body: 'Dans le réseau partenaire', access: 'members' });
  t.is(there.status, 303);
  const thereId = Number(/\/status\/(\d+)/.exec(there.headers.location)![1]);
  t.is((await carol.agent.http.get(`/n/partner/status/${thereId}`)).status, 200);
});

eachModApp('posts and links per hour: refused with the text kept, in the member’s language; comments count; moderators exempt', async (t, app) => {
  const [, , mona] = await app.members('bob', 'carol', 'mona');
  await app.setRole(mona, 'moderator');
  await app.rt.pluginState.configure('moderation', { postsPerHour: 2, linksPerHour: 3 }, app.root);
  const b = await app.as('bob');

  await app.post('bob', 'Un');
  const withLinks = await app.post('bob', 'Deux: https://a.example et www.b.example');
  const refused = await b.post('/status', { body: 'Trois, de trop', access: 'members' });
  t.is(refused.status, 400);
  t.regex(refused.text, /You can post 2 times an hour in this network\. Try again in (60|59) min: your text is kept below\./);
  t.regex(refused.text, /Trois, de trop/, 'the text is kept');
  t.is(Number((await app.db('status_posts').count({ n: '*' }).first())!.n), 2);
  const comment = await b.post(`/entities/${withLinks}/comments`, { body: 'Un commentaire' });
  t.is(comment.status, 422, 'a comment counts toward the pace');
  t.regex(comment.text, /Un commentaire/);

  await app.db('users').where({ username: 'bob' }).update({ locale: 'fr' });
  t.regex((await b.post('/status', { body: 'Encore', access: 'members' })).text, /Vous pouvez publier 2 fois par heure dans ce réseau\./);
  await app.db('users').where({ username: 'bob' }).update({ locale: 'en' });

  for (let i = 0; i < 4; i++) t.is((await (await app.as('mona')).post('/status', { body: `Modération ${i}`, access: 'members' })).status, 303);

  // An hour later the posts are counted no more; the links limit still holds per post and per hour.
  await app.db('moderation_pace').update({ at: Date.now() - 3_600_001 });
  const tooMany = await b.post('/status', { body: 'https://1.example https://2.example https://3.example https://4.example', access: 'members' });
  t.is(tooMany.status, 400);
  t.regex(tooMany.text, /A post can carry 3 links at most in this network\./);
  t.is((await b.post('/status', { body: 'Deux liens https://1.example https://2.example', access: 'members' })).status, 303);
  const links = await b.post('/status', { body: 'Encore https://3.example https://4.example', access: 'members' });
  t.is(links.status, 400);
  t.regex(links.text, /You can post 3 links an hour in this network\. Try again in (60|59) min, or remove some links/);
  t.is((await b.post('/status', { body: 'Sans lien cette fois', access: 'members' })).status, 303, 'a post without links is still allowed');
  t.is(
    Number(
      (await app
        .db('moderation_pace')
        .where({ network_id: app.root })
        .where('at', '<', Date.now() - 3_600_000)
        .count({ n: '*' })
        .first())!.n,
    ),
    0,
    'rows older than an hour go',
  );
});

eachModApp('past the pace, the API answers 429 with Retry-After and a problem body, in every kind it counts', async (t, app) => {
  const [bob, carol] = await app.members('bob', 'carol');
  await app.rt.pluginState.configure('moderation', { postsPerHour: 1 }, app.root);
  const as = await apiClients(app, { bob: [bob, 'write'], carol: [carol, 'write'] });
  const first = await as('bob').post('/api/v1/status', { body: 'Un', access: 'members' });
  t.is(first.status, 201, first.text);
  const id = Number(first.body.id);

  const paced = [
    await as('bob').post('/api/v1/status', { body: 'Deux', access: 'members' }),
    await as('bob').post(`/api/v1/entities/${id}/comments`, { body: 'Un commentaire' }),
    await as('bob').post('/api/v1/conversations', { to: ['carol'], body: 'Bonjour Carol' }),
  ];
  for (const res of paced) {
    t.is(res.status, 429, res.text);
    const wait = Number(res.headers['retry-after']);
    t.true(wait > 3500 && wait <= 3600, `Retry-After: ${res.headers['retry-after']}`);
    t.is(res.body.error.code, 'rate_limited');
    t.is(res.body.error.status, 429);
    t.regex(JSON.stringify(res.body.error), /You can post once an hour in this network\. Try again in 60 min/);
  }
  t.is(Number((await app.db('status_posts').count({ n: '*' }).first())!.n), 1, 'nothing more was saved');

  // More links in one post than the hour allows never passes by waiting: a 400, no Retry-After.
  await app.rt.pluginState.configure('moderation', { postsPerHour: 0, linksPerHour: 1 }, app.root);
  const links = await as('carol').post('/api/v1/status', { body: 'https://1.example https://2.example', access: 'members' });
  t.is(links.status, 400);
  t.false('retry-after' in links.headers);
  t.is(links.body.error.code, 'invalid');
});
