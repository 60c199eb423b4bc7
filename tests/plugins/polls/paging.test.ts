// Polls (newest first) and the idea box (by votes: the score, then newest; or newest) page by
// keyset (plugins/polls/service.ts `list`, ideas-service.ts IDEA_ORDERS): items that sort first,
// added between requests, make nothing repeat or be skipped; an idea voted up past the page
// being read is not listed again; a cursor the list did not write is a localised 400; an old
// `?page=N` opens the first page; and a group's polls and ideas stay its members'.
import type { AccessLevel } from '../../../core';
import { encodeCursor } from '../../../core';
import { IdeasService } from '../../../plugins/polls/ideas-service';
import { PollsService } from '../../../plugins/polls/service';
import { relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { listOutsiders } from '../../helpers/list-outsiders';
import { eachPollsApp, type PollsApp } from './support';

const pollIds = (html: string): number[] => [...html.matchAll(/id="poll-(\d+)"/g)].map((m) => Number(m[1]));
const ideaIds = (html: string): number[] => [...html.matchAll(/idea-row__title" href="[^"]*\/ideas\/(\d+)"/g)].map((m) => Number(m[1]));

function makers(app: PollsApp, ownerId: number) {
  const networkId = app.rt.networks.root().id;
  return {
    poll: (question: string, containerId: number | null = null, access: AccessLevel = 'members') =>
      app.rt.container
        .resolve(PollsService)
        .create(
          ownerId,
          { networkId, access, containerId, parent: null },
          { question, options: ['Yes', 'No'], multiple: false, other: false, anonymous: false, results: 'always', closesAt: null, access },
        ),
    async idea(title: string, score: number, containerId: number | null = null, access: AccessLevel = 'members') {
      const id = await app.rt.container.resolve(IdeasService).create(ownerId, { networkId, containerId, access }, { title, body: 'Why not' });
      await app
        .db('polls_ideas')
        .where({ entity_id: id })
        .update({ score, up: Math.max(0, score) });
      return id;
    },
  };
}

eachPollsApp('polls and ideas page by cursor while items sorting first arrive between requests', async (t, app) => {
  const olga = await app.member('olga', 'Olga');
  const make = makers(app, olga);
  const polls: number[] = [];
  const ideas: { id: number; score: number }[] = [];
  for (let i = 0; i < 45; i++) {
    polls.push(await make.poll(`Question ${i}?`));
    ideas.push({ id: await make.idea(`Idea ${i}`, i % 7), score: i % 7 });
  }
  const o = await app.as('olga');
  const reader = (idsOf: (html: string) => number[]) => async (path: string) => {
    const res = await o.agent.http.get(path);
    t.is(res.status, 200, path);
    return { items: idsOf(res.text), next: relLink(res.text, 'next') };
  };
  let k = 0;
  const lists = [
    { path: '/polls', idsOf: pollIds, expected: [...polls].reverse(), arrive: () => make.poll(`New ${k++}?`) },
    {
      path: '/ideas',
      idsOf: ideaIds,
      expected: [...ideas].sort((a, b) => b.score - a.score || b.id - a.id).map((i) => i.id),
      arrive: () => make.idea(`Popular ${k++}`, 100 + k),
    },
    { path: '/ideas?sort=newest', idsOf: ideaIds, expected: ideas.map((i) => i.id).reverse(), arrive: () => make.idea(`Fresh ${k++}`, 0) },
  ];
  for (const list of lists) {
    const read = reader(list.idsOf);
    const before = (await walkLinksWhileAdding(list.path, read, async () => undefined)).walked;
    const walked = await walkLinksWhileAdding(list.path, read, list.arrive);
    t.is(new Set(walked.walked).size, walked.walked.length, `${list.path}: nothing twice`);
    t.deepEqual(walked.walked, before, `${list.path}: each once`);
    t.deepEqual(
      walked.walked.filter((id) => list.expected.includes(id)),
      list.expected,
      `${list.path}: in order`,
    );
    t.regex(walked.links[0], new RegExp(`^${list.path.replace('?', '\\?')}[?&]after=[A-Za-z0-9_-]+$`));
    const second = await o.agent.http.get(walked.links[0]);
    const all = (await walkLinksWhileAdding(list.path, read, async () => undefined)).walked;
    const at = all.indexOf(list.idsOf(second.text)[0]);
    t.deepEqual((await read(relLink(second.text, 'prev')!)).items, all.slice(at - 20, at), `${list.path}: previous`);
  }

  // An idea voted up while the member reads the first page by votes: the next page does not list it again.
  const byVotes = await reader(ideaIds)('/ideas');
  const shown = byVotes.items[byVotes.items.length - 1];
  await app.db('polls_ideas').where({ entity_id: shown }).update({ score: 5_000 });
  const next = await reader(ideaIds)(byVotes.next!);
  t.false(next.items.includes(shown), 'a vote between requests does not repeat an idea');

  t.deepEqual(pollIds((await o.agent.http.get('/polls?page=2')).text), pollIds((await o.agent.http.get('/polls')).text), 'old ?page=');
  t.deepEqual(ideaIds((await o.agent.http.get('/ideas?page=2')).text), ideaIds((await o.agent.http.get('/ideas')).text));
  // A newest cursor (an id) is not a by-votes one (score, id), nor the reverse; nor an edited one.
  for (const path of [
    '/polls?after=abc',
    `/ideas?after=${encodeCursor([3])}`,
    `/ideas?sort=newest&before=${encodeCursor([3, 4])}`,
    `/polls?after=${encodeCursor(['x'])}`,
  ]) {
    const res = await o.agent.http.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  await app.db('users').where({ id: olga }).update({ locale: 'fr' });
  t.regex((await (await app.as('olga')).agent.http.get('/ideas?after=abc')).text, /Ce lien de page n’est pas valable pour cette liste/);
});

eachPollsApp('a group’s polls and ideas stay its members’ on every page', async (t, app) => {
  const olga = await app.member('olga', 'Olga');
  const c = await app.container(olga, []);
  const make = makers(app, olga);
  for (let i = 0; i < 25; i++) {
    await make.poll(`Open question ${i}?`, c);
    await make.idea(`Open idea ${i}`, 10, c);
  }
  for (let i = 0; i < 3; i++) {
    await make.poll(`Secret question ${i}?`, c, 'group');
    await make.idea(`Secret idea ${i}`, 1, c, 'group');
  }
  const { hidden } = await listOutsiders(app, c);
  const anyId = encodeCursor([1_000_000_000]);
  for (const path of [
    '/polls',
    `/polls?after=${anyId}`,
    `/polls/in/${c}?after=${anyId}`,
    `/ideas/in/${c}?after=${encodeCursor([5, 0])}`,
    `/ideas/in/${c}?sort=newest`,
  ])
    await hidden(t, path, /Secret/);
});
