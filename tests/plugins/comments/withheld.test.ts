// Comments a moderator hid (issue 22) are their author's and the network's moderators' only, and
// the statements that read a thread and a feed apply that rule themselves (plugins/comments/reads.ts):
// a page of the thread is full of what the reader sees, the count and the pager's total count what
// they see, a hidden top-level comment whose replies they see keeps its place as a neutral
// "hidden by a moderator" placeholder without its text, and a feed's latest comments show the
// author and the moderators their hidden one, marked. Others (a member, a guest, a suspended
// member) never read its text: not on the page, not in the feed, not in the API.
import { eachSocialApp, type SocialApp } from './support';

async function insert(app: SocialApp, entityId: number, authorId: number, body: string, opts: { parent?: number; withheld?: boolean } = {}) {
  const [r] = await app
    .db('comments')
    .insert({
      entity_id: entityId,
      network_id: app.root,
      author_id: authorId,
      parent_id: opts.parent ?? null,
      body,
      created_at: Date.now(),
      withheld: opts.withheld ?? false,
    })
    .returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

const HIDDEN_TOPS = new Set([1, 5, 9, 13]);

eachSocialApp(
  'a thread page is full of what the reader sees, counts and totals are theirs, a hidden comment with replies keeps a neutral place',
  async (t, app) => {
    await app.rt.networks.update(app.root, { allowGuests: true });
    const alice = await app.member('alice', 'Alice');
    const bob = await app.member('bob', 'Bob');
    const carol = await app.member('carol', 'Carol');
    const mona = await app.member('mona', 'Mona');
    const sam = await app.member('sam', 'Sam');
    await app.setRole(mona, 'moderator');
    const note = await app.note(alice, 'public');
    // 24 top-level comments, four of Bob's hidden; Carol replied to the second hidden one, and a
    // hidden reply of Bob's is under the first comment. The counter leaves the hidden ones out.
    const tops: number[] = [];
    for (let i = 0; i < 24; i++)
      tops.push(
        await insert(app, note, HIDDEN_TOPS.has(i) ? bob : alice, HIDDEN_TOPS.has(i) ? `Secret ${i}` : `Open ${i}`, { withheld: HIDDEN_TOPS.has(i) }),
      );
    const carolReply = await insert(app, note, carol, 'Carol answers', { parent: tops[5] });
    const bobReply = await insert(app, note, bob, 'Secret reply', { parent: tops[0], withheld: true });
    await app.db('comment_counts').insert({ entity_id: note, n: 21 });
    const samAgent = await app.as('sam');
    await app.rt.users.setStatus(sam, 'suspended');

    const others = tops.filter((_, i) => !HIDDEN_TOPS.has(i) || i === 5);
    const readers = [
      { who: 'member', agent: (await app.as('carol')).agent, sees: false },
      { who: 'guest', agent: app.agent(), sees: false },
      { who: 'suspended member', agent: samAgent.agent, sees: false },
      { who: 'author', agent: (await app.as('bob')).agent, sees: true },
      { who: 'moderator', agent: (await app.as('mona')).agent, sees: true },
    ];
    for (const { who, agent, sees } of readers) {
      const shown = sees ? tops : others;
      const count = sees ? 26 : 21;
      const api = await agent.http.get(`/api/v1/entities/${note}/comments`);
      if (who === 'suspended member') {
        // Whatever a suspended member is answered, never the hidden text.
        t.true(api.status < 500, `${who}: ${api.status}`);
        t.notRegex(api.text, /Secret/, who);
        const page = await agent.http.get(`/fixture/entities/${note}`);
        t.true(page.status < 500, `${who}: ${page.status}`);
        t.notRegex(page.text, /Secret/, who);
        continue;
      }
      t.is(api.status, 200, who);
      const rows = api.body.comments as { id: number; parentId: number | null; body: string | null; withheld?: true }[];
      t.deepEqual(
        rows.filter((c) => c.parentId === null).map((c) => c.id),
        shown.slice(0, 20),
        `${who}: the first page is full`,
      );
      t.deepEqual(
        rows.filter((c) => c.parentId !== null).map((c) => c.id),
        sees ? [carolReply, bobReply].sort((a, b) => a - b) : [carolReply],
        `${who}: the replies they see`,
      );
      t.is(api.body.count, count, `${who}: the count is what they see`);
      t.is(api.body.topLevel, shown.length, `${who}: the pager's total`);
      t.is(api.body.pages, 2);
      const placeholder = rows.find((c) => c.id === tops[5])!;
      t.is(placeholder.withheld, true, who);
      t.is(placeholder.body, sees ? 'Secret 5' : null, `${who}: the hidden comment's text`);
      if (!sees) t.notRegex(api.text, /Secret/, who);
      const second = await agent.http.get(api.body.next);
      t.deepEqual(
        (second.body.comments as { id: number; parentId: number | null }[]).filter((c) => c.parentId === null).map((c) => c.id),
        shown.slice(20),
        `${who}: the second page`,
      );

      const page = await agent.http.get(`/fixture/entities/${note}`);
      t.is(page.status, 200, who);
      t.regex(page.text, new RegExp(`${count} comments`), `${who}: the panel's count`);
      const lis = [...page.text.matchAll(/<li class="comment[^"]*" id="comment-(\d+)"/g)].map((m) => Number(m[1]));
      t.is(lis.filter((id) => shown.includes(id)).length, 20, `${who}: 20 top-level comments on the page`);
      if (sees) {
        t.regex(page.text, /Secret 5/, who);
        t.regex(page.text, who === 'author' ? /Only you and the moderators see it\./ : /Only its author and the moderators see it\./, who);
        t.notRegex(page.text, /Comment hidden by a moderator/, `${who}: no placeholder, they read it`);
      } else {
        t.notRegex(page.text, /Secret/, who);
        t.is(page.text.match(/Comment hidden by a moderator/g)?.length, 1, `${who}: the hidden comment with a reply keeps its place`);
        t.regex(page.text, /Carol answers/, `${who}: its reply stays`);
        t.notRegex(page.text, /Comment deleted/, `${who}: not called deleted`);
      }

      // A feed's latest two: the author and the moderators see the hidden reply, marked.
      const feed = await agent.http.get(`/fixture/entities?ids=${note}`);
      t.is(feed.status, 200, who);
      t.regex(feed.text, new RegExp(`${count} comments`), `${who}: the feed's count`);
      t.regex(feed.text, /Carol answers/, who);
      if (sees) {
        t.regex(feed.text, /Secret reply/, `${who}: their hidden comment in the feed`);
        t.regex(feed.text, /Hidden by a moderator\./, `${who}: marked`);
        t.notRegex(feed.text, /Open 23/, who);
      } else {
        t.notRegex(feed.text, /Secret/, who);
        t.regex(feed.text, /Open 23/, `${who}: the latest they see`);
      }
    }
  },
);
