// A poll from the status composer: "Post and add a poll" (the activity plugin's
// `activity:composerActions`) saves the status, then opens the poll form for it; the poll shows
// under the post in the feed. An anonymous poll made this
// way names no voter on the feed or the post.
import { eachPollsApp, vote } from './support';

eachPollsApp('polls: "Post and add a poll" from the composer attaches a poll to the new status; anonymous stays unjoinable', async (t, app) => {
  await app.member('olga', 'Olga Owner');
  await app.member('bob', 'Bobby Voter');
  const olga = await app.as('olga');
  const home = await olga.agent.http.get('/activity');
  t.true(home.text.includes('data-compose-then="poll"'));
  t.true(home.text.includes('Post and add a poll'));
  const posted = await olga.post('/status', { body: 'Picnic on Saturday: which park?', access: 'members', then: 'poll' });
  t.is(posted.status, 303);
  const status = Number((await app.rt.db('entities').where({ type: 'status' }).max({ id: 'id' }).first())!.id);
  t.is(posted.headers.location, `/polls/new?on=${status}`);
  const form = await olga.agent.http.get(posted.headers.location);
  t.is(form.status, 200);
  t.true(form.text.includes('Add a poll'));
  t.is(
    (
      await olga.post('/polls', {
        on: String(status),
        question: 'Which park?',
        options: 'Montsouris\nButtes-Chaumont',
        anonymous: '1',
        results: 'always',
      })
    ).status,
    303,
  );
  const id = Number((await app.rt.db('polls_polls').where({ parent_entity_id: status }).first('entity_id'))!.entity_id);
  const bob = await app.as('bob');
  const feed = await bob.agent.http.get('/activity');
  t.true(feed.text.includes('Which park?'), 'the poll shows under the post in the feed');
  // How often the owner's pages name or link the voter (the feed says Bob joined): the same after the vote.
  const urls = ['/activity', `/status/${status}`, `/polls/${id}`];
  const mentions = async () => {
    const out: string[] = [];
    for (const url of urls) {
      const text = (await olga.agent.http.get(url)).text;
      out.push(
        `${url}: ${text.split('Bobby Voter').length - 1} names, ${text.split('/people/bob').length - 1} links, ${text.split('poll__mine').length - 1} marks`,
      );
    }
    return out;
  };
  const before = await mentions();
  const [montsouris] = await app.optionIds(id);
  t.is((await vote(bob, id, [montsouris])).status, 303);
  t.deepEqual(await app.votes(id), [1, 0]);
  t.deepEqual(await mentions(), before, 'a page names the voter or marks a choice after the vote');
  t.false((await bob.agent.http.get(`/status/${status}`)).text.includes('poll__mine'), "the voter's own choice is not marked either");
  // an unknown next step is ignored: the status is posted as usual
  const plain = await olga.post('/status', { body: 'Another post', access: 'members', then: 'nothing' });
  t.is(plain.status, 303);
  t.regex(String(plain.headers.location), /^\/status\/\d+$/);
});
