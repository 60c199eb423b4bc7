// The "unanswered" filter counts the replies the reader sees (issue 22), as the lists' counts do: a
// topic whose only reply a moderator hid is unanswered for a guest, a member, a group's member and a
// suspended member, answered for the reply's author and the network's moderators; its pages stay
// full and keyset (the pages' and the API's `next`).
import { withholdPiece, type Viewer } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { discApp, type DiscApp } from './support';

const ids = (text: string) => [...text.matchAll(/data-topic="(\d+)"/g)].map((m) => Number(m[1]));

/** Every page of the viewer's unanswered topics, two at a time by keyset: each page's ids. */
async function pages(app: DiscApp, viewer: Viewer | null, containerId?: number): Promise<number[][]> {
  const out: number[][] = [];
  let after: readonly [number, number, number] | undefined;
  for (;;) {
    const page = await app.topics.list(viewer, app.rt.networks.root().id, {
      filter: 'unanswered',
      limit: 2,
      containerId,
      ...(after ? { after } : {}),
    });
    out.push(page.items.map((i) => i.id));
    if (!page.next) return out;
    after = page.next as unknown as readonly [number, number, number];
  }
}

eachApp('discussions: the unanswered filter follows the replies each reader sees; its pages stay full', discApp, async (t, app) => {
  await app.allowGuests(true);
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const carol = await app.member('carol');
  const mona = await app.member('mona', { role: 'moderator' });
  const gina = await app.member('gina');
  const sam = await app.member('sam');
  // Newest first: hidden (its only reply hidden), quiet2, answered (a reply all see), quiet1.
  const quiet1 = await app.topic(ann, { title: 'Quiet one', access: 'public' });
  const answered = await app.topic(ann, { title: 'Answered', access: 'public' });
  await app.reply(bob, answered, 'Seen by all');
  const quiet2 = await app.topic(ann, { title: 'Quiet two', access: 'public' });
  const hidden = await app.topic(ann, { title: 'Only a hidden reply', access: 'public' });
  const reply = await app.reply(bob, hidden, 'Buy cheap watches');
  await app.db.transaction((trx) => withholdPiece(app.rt, 'reply', reply, true, trx));
  const viewer = async (id: number) => (await app.rt.users.viewer(id))!;
  const suspended = await viewer(sam);
  await app.rt.users.setStatus(sam, 'suspended');

  const unanswered = [[hidden, quiet2], [quiet1]];
  const answeredToThem = [[quiet2, quiet1]];
  const readers: [string, Viewer | null, number[][]][] = [
    ['guest', null, unanswered],
    ['member', await viewer(carol), unanswered],
    ['suspended member', { ...suspended, status: 'suspended' }, unanswered],
    ['the hidden reply’s author', await viewer(bob), answeredToThem],
    ['moderator', await viewer(mona), answeredToThem],
  ];
  for (const [who, v, expected] of readers) t.deepEqual(await pages(app, v, undefined), expected, `${who}: full pages of what they see`);

  // The page and the API say the same.
  for (const [username, expected] of [
    ['carol', [hidden, quiet2, quiet1]],
    ['mona', [quiet2, quiet1]],
  ] as const) {
    const agent = await app.as(username);
    t.deepEqual(ids((await agent.get('/discussions?filter=unanswered')).text), [...expected], `${username}: the page`);
    const first = await agent.agent.http.get('/api/v1/discussions?filter=unanswered&limit=2');
    t.deepEqual(
      first.body.topics.map((x: { id: number }) => x.id),
      expected.slice(0, 2),
      `${username}: the API's first page`,
    );
    const next = first.body.next as string | null;
    t.is(!!next, expected.length > 2, `${username}: a next page only when there is more`);
    if (next) {
      const second = await agent.agent.http.get(next.replace(/^https?:\/\/[^/]+/, ''));
      t.deepEqual(
        second.body.topics.map((x: { id: number }) => x.id),
        expected.slice(2),
        `${username}: the API's next page`,
      );
    }
  }
  t.deepEqual(ids((await app.guest().http.get('/discussions?filter=unanswered')).text), [hidden, quiet2, quiet1], 'guest: the page');

  // In a group: its member who did not write the hidden reply lists the topic unanswered; its author not.
  const group = await app.container(ann, [bob, gina]);
  const inGroup = await app.topic(ann, { title: 'In the group', containerId: group });
  const groupReply = await app.reply(bob, inGroup, 'Buy cheap watches');
  await app.db.transaction((trx) => withholdPiece(app.rt, 'reply', groupReply, true, trx));
  t.deepEqual(await pages(app, await viewer(gina), group), [[inGroup]], 'a group member');
  t.deepEqual(await pages(app, await viewer(bob), group), [[]], 'the author, in the group');
});
