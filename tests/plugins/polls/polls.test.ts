// Polls end to end through the forms, on both databases: creating (refusals keep the input),
// single and multiple choice, "other" answers, changing a named vote, results shown always /
// after voting / after closing, closing, the managers' CSV, polls under a status post, a
// group's polls, and double submits counted once.
import { passwordOf } from '../../helpers/members';
import { PollsService } from '../../../plugins/polls/service';
import { eachPollsApp, vote } from './support';
import { rowCount } from '../../helpers/rows';

eachPollsApp('polls: a refused form keeps the input; a single-choice poll counts, changes and shows results as bars', async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('bob', 'Bob');
  const olga = await app.as('olga');
  const refused = await olga.post('/polls', { question: 'Where shall we eat?', options: 'Only one', results: 'always', access: 'members' });
  t.is(refused.status, 422);
  t.true(refused.text.includes('Give at least two options, one per line.'));
  t.true(refused.text.includes('value="Where shall we eat?"'));
  t.true(refused.text.includes('>Only one</textarea>'));
  const past = await olga.post('/polls', { question: 'Q', options: 'a\nb', results: 'always', access: 'members', closes: '2001-01-01T10:00' });
  t.is(past.status, 422);
  t.true(past.text.includes('The closing date must be in the future.'));

  const id = await app.poll('olga', { question: 'Where shall we eat?', options: 'Pizza\nSushi\nTacos' });
  const [pizza, sushi] = await app.optionIds(id);
  const bob = await app.as('bob');
  const first = await vote(bob, id, [pizza]);
  t.is(first.status, 303);
  t.deepEqual(await app.votes(id), [1, 0, 0]);
  const page = await bob.agent.http.get(`/polls/${id}`);
  t.true(page.text.includes('poll-w-100'));
  t.true(page.text.includes('1 vote · 100%'));
  t.true(page.text.includes('Change my vote'));
  // Changing the vote moves the count; the same ballot again changes nothing.
  await vote(bob, id, [sushi]);
  await vote(bob, id, [sushi]);
  t.deepEqual(await app.votes(id), [0, 1, 0]);
  t.is(await rowCount(app.db('polls_voters').where({ poll_id: id })), 1);
  // Two options in a single-choice poll, an unknown option, no option: refused, nothing counted.
  for (const bad of [[pizza, sushi], [999999], []]) {
    const res = await vote(bob, id, bad);
    t.is(res.status, 303);
  }
  t.deepEqual(await app.votes(id), [0, 1, 0]);
  const flashed = await bob.agent.http.get(`/polls/${id}`);
  t.true(flashed.text.includes('Choose an option before voting.'));
  // French
  const fr = await bob.agent.http.get(`/polls/${id}`).set('Accept-Language', 'fr');
  t.true(fr.text.includes('Modifier mon vote') || fr.text.includes('Change my vote'));
});

eachPollsApp('polls: multiple choice with "other" words; results after voting and after closing; closing stops votes', async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('bob', 'Bob');
  await app.member('cat', 'Cat');
  const multi = await app.poll('olga', { question: 'Which days?', options: 'Monday\nTuesday', multiple: '1', other: '1', results: 'voted' });
  const [mon, tue, other] = await app.optionIds(multi);
  const bob = await app.as('bob');
  const cat = await app.as('cat');
  // Results hidden from a member who has not voted (the owner, a manager, sees them).
  const before = await cat.agent.http.get(`/polls/${multi}`);
  t.true(before.text.includes('Results show once you have voted.'));
  t.false(before.text.includes('poll__bar'));
  t.true((await (await app.as('olga')).agent.http.get(`/polls/${multi}`)).text.includes('poll__bar'));
  // "Other" without words is refused; with words it counts, with the words listed.
  await vote(bob, multi, [mon, other]);
  t.deepEqual(await app.votes(multi), [0, 0, 0]);
  await vote(bob, multi, [mon, tue, other], '  Saturday   morning ');
  await vote(cat, multi, [other], 'Saturday morning');
  t.deepEqual(await app.votes(multi), [1, 1, 2]);
  t.deepEqual((await app.rt.container.resolve(PollsService).otherAnswers([multi])).get(multi), [{ answer: 'Saturday morning', n: 2 }]);
  const after = await cat.agent.http.get(`/polls/${multi}`);
  t.true(after.text.includes('poll__bar'));
  t.true(after.text.includes('Saturday morning'));
  // Bob drops "other": its words count once less.
  await vote(bob, multi, [tue]);
  t.deepEqual(await app.votes(multi), [0, 1, 1]);
  t.deepEqual((await app.rt.container.resolve(PollsService).otherAnswers([multi])).get(multi), [{ answer: 'Saturday morning', n: 1 }]);

  const closing = await app.poll('olga', { question: 'Budget?', options: 'Yes\nNo', results: 'closed', closes: '2999-01-01T10:00' });
  const [yes] = await app.optionIds(closing);
  await vote(bob, closing, [yes]);
  t.true((await bob.agent.http.get(`/polls/${closing}`)).text.includes('Results show once the poll closes.'));
  // Only a manager closes it.
  t.is((await bob.post(`/polls/${closing}/close`)).status, 403);
  const olga = await app.as('olga');
  t.is((await olga.post(`/polls/${closing}/close`)).status, 303);
  const closed = await bob.agent.http.get(`/polls/${closing}`);
  t.true(closed.text.includes('poll__bar'));
  t.false(closed.text.includes('name="option"'));
  await vote(cat, closing, [yes]);
  t.deepEqual(await app.votes(closing), [1, 0]);
  t.true((await cat.agent.http.get(`/polls/${closing}`)).text.includes('This poll is closed.'));
});

eachPollsApp('polls: the CSV export is for managers: counts, other answers and, for a named poll, who chose what', async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('bob', 'Bob "B" Stone');
  const id = await app.poll('olga', { question: 'Lunch, then?', options: '=Pizza\nSushi', other: '1' });
  const [pizza, , other] = await app.optionIds(id);
  const bob = await app.as('bob');
  await vote(bob, id, [other], 'Soup, hot');
  t.is((await bob.agent.http.get(`/polls/${id}/export.csv`)).status, 403);
  const olga = await app.as('olga');
  const csv = await olga.agent.http.get(`/polls/${id}/export.csv`);
  t.is(csv.status, 200);
  t.regex(String(csv.headers['content-type']), /^text\/csv/);
  t.regex(String(csv.headers['content-disposition']), /attachment; filename="poll-\d+\.csv"/);
  t.true(csv.text.includes('"Question","Lunch, then?"\r\n'));
  t.true(csv.text.includes(`"'=Pizza","0"\r\n`));
  t.true(csv.text.includes('"Other: Soup, hot","1"\r\n'));
  t.true(csv.text.includes('"Bob ""B"" Stone","bob","Other: Soup, hot"\r\n'));
  t.truthy(pizza);
  const mod = await app.member('mod');
  await app.rt.db('memberships').where({ user_id: mod }).update({ role: 'moderator' });
  t.is((await (await app.as('mod')).agent.http.get(`/polls/${id}/export.csv`)).status, 200);
});

eachPollsApp(
  'polls: a poll on a status post follows the post: shown under it, seen by whoever sees the post, added by its author only',
  async (t, app) => {
    const olga = await app.member('olga', 'Olga');
    const fred = await app.member('fred', 'Fred');
    await app.member('mia', 'Mia');
    await app.befriend(olga, fred);
    const status = await app.post('olga', 'Friday drinks?', 'friends');
    const olgaA = await app.as('olga');
    const own = await olgaA.agent.http.get(`/status/${status}`);
    t.true(own.text.includes(`/polls/new?on&#x3D;${status}`));
    const fredA = await app.as('fred');
    t.false((await fredA.agent.http.get(`/status/${status}`)).text.includes('/polls/new?on'));
    t.is((await fredA.agent.http.get(`/polls/new?on=${status}`)).status, 403);
    const form = await olgaA.agent.http.get(`/polls/new?on=${status}`);
    t.is(form.status, 200);
    t.false(form.text.includes('name="access"'));
    const res = await olgaA.post('/polls', { on: String(status), question: 'Which bar?', options: 'Le Zinc\nThe Crown', results: 'always' });
    t.is(res.status, 303);
    const id = Number((await app.db('polls_polls').where({ parent_entity_id: status }).first('entity_id'))!.entity_id);
    t.is(res.headers.location, `/status/${status}#poll-${id}`);
    t.is((await app.db('entities').where({ id }).first('access'))!.access, 'private');
    // Under the post on its page and in the friend's feed, with the vote form.
    const page = await fredA.agent.http.get(`/status/${status}`);
    t.true(page.text.includes(`id="poll-${id}"`));
    t.true(page.text.includes('Le Zinc'));
    const feed = await fredA.agent.http.get('/activity');
    t.true(feed.text.includes(`id="poll-${id}"`));
    const [zinc] = await app.optionIds(id);
    t.is((await vote(fredA, id, [zinc])).headers.location, `/polls/${id}#poll-${id}`);
    t.deepEqual(await app.votes(id), [1, 0]);
    // Mia is not a friend: no poll page, no vote, not in the network list.
    const mia = await app.as('mia');
    t.is((await mia.agent.http.get(`/polls/${id}`)).status, 404);
    t.is((await vote(mia, id, [zinc])).status, 404);
    t.deepEqual(await app.votes(id), [1, 0]);
    t.false((await mia.agent.http.get('/polls')).text.includes('Which bar?'));
    t.false((await fredA.agent.http.get('/polls')).text.includes('Which bar?'));
    // The post deleted: the poll goes with it.
    await app.rt.entities.softDelete(status);
    t.is((await fredA.agent.http.get(`/polls/${id}`)).status, 404);
  },
);

eachPollsApp(
  'polls: standalone polls at each level, in the list, on their page and to vote (owner, friend, member, groupie, moderator, admin, guest)',
  async (t, app) => {
    const { matrixViewers, SEES } = await import('../../helpers/who-sees');
    const m = await matrixViewers({
      member: (u, o) =>
        app.member(u).then(async (id) => {
          if (o?.role) await app.rt.db('memberships').where({ user_id: id }).update({ role: o.role });
          return id;
        }),
      befriend: (a, b) => app.befriend(a, b),
      container: (owner, members) => app.container(owner, members),
      allowGuests: (allow) => app.rt.networks.update(app.rt.networks.root().id, { allowGuests: allow }).then(() => undefined),
      as: async (u) => {
        const f = await app.as(u, passwordOf(u));
        return { agent: f.agent, token: async () => f.token, get: (url: string) => f.agent.http.get(url), post: f.post };
      },
      guest: () => app.agent(),
    });
    const olga = await app.as('olga');
    const ids: Record<string, number> = {};
    for (const level of ['group', 'members', 'public'] as const) {
      const fields = { question: `Level ${level}?`, options: 'Yes\nNo', results: 'always', access: level === 'group' ? 'group' : level };
      const res = await olga.post('/polls', level === 'group' ? { ...fields, container: String(m.container) } : fields);
      t.is(res.status, 303, level);
      ids[level] = Number(/\/polls\/(\d+)$/.exec(res.headers.location)![1]);
    }
    // Levels a standalone poll may not take are refused.
    t.is((await olga.post('/polls', { question: 'Q?', options: 'a\nb', results: 'always', access: 'private' })).status, 422);
    for (const [level, id] of Object.entries(ids)) {
      for (const who of ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin', 'guest'] as const) {
        const sees = (SEES as Record<string, readonly string[]>)[level].includes(who);
        const page = await m.get(who, `/polls/${id}`);
        t.is(page.status, sees ? 200 : who === 'guest' ? 302 : 404, `${level} page as ${who}`);
        const list = await m.get(who, level === 'group' ? `/polls/in/${m.container}` : '/polls');
        t.is(list.text.includes(`Level ${level}?`), sees, `${level} list as ${who}`);
      }
    }
  },
);

eachPollsApp('polls: a double submit of a vote counts once and never fails (named and anonymous)', async (t, app) => {
  await app.member('olga', 'Olga');
  await app.member('bob', 'Bob');
  const named = await app.poll('olga', { question: 'Named?', options: 'A\nB' });
  const secret = await app.poll('olga', { question: 'Secret?', options: 'A\nB', anonymous: '1' });
  const bob = await app.as('bob');
  for (const id of [named, secret]) {
    const [a] = await app.optionIds(id);
    const answers = await Promise.all(Array.from({ length: 8 }, () => vote(bob, id, [a])));
    t.deepEqual(
      answers.map((r) => r.status),
      Array(8).fill(303),
    );
    t.deepEqual(await app.votes(id), [1, 0]);
  }
});

eachPollsApp("polls: a group poll is made by its members only and listed on the group's polls page", async (t, app) => {
  const { group } = await app.olgasGroup();
  const mia = await app.as('mia');
  t.is((await mia.agent.http.get(`/polls/new?container=${group}`)).status, 404);
  t.is((await mia.post('/polls', { container: String(group), question: 'Q?', options: 'a\nb', results: 'always', access: 'group' })).status, 404);
  const coraA = await app.as('cora');
  const res = await coraA.post('/polls', {
    container: String(group),
    question: 'Team outing?',
    options: 'Bowling\nKaraoke',
    results: 'always',
    access: 'group',
  });
  t.is(res.status, 303);
  t.true((await coraA.agent.http.get(`/polls/in/${group}`)).text.includes('Team outing?'));
  t.false((await mia.agent.http.get(`/polls/in/${group}`)).text.includes('Team outing?'));
});
