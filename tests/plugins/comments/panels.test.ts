// The panels under content: what they show in a feed and on a page, and that a page of 20
// entities costs the same number of queries as a page of 2 (no N+1), for both plugins.
import type { ExecutionContext } from 'ava';
import { relLink } from '../../helpers/api-clients';
import { bulkMembers } from '../../helpers/members';
import { eachSocialApp, type Signed, type SocialApp } from './support';
import { statementsDuring } from '../../helpers/statements';

/** Queries the app runs while answering GET `url`. */
async function queriesFor(app: SocialApp, who: Signed, url: string, t: ExecutionContext): Promise<{ n: number; text: string }> {
  const { value: res, sql } = await statementsDuring(app.rt, () => who.agent.http.get(url));
  t.is(res.status, 200, url);
  return { n: sql.length, text: res.text };
}

async function seed(app: SocialApp, owner: number, fans: number[], notes: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < notes; i++) {
    const id = await app.note(owner, 'members');
    ids.push(id);
    const now = Date.now();
    for (const [k, fan] of fans.entries()) {
      const [row] = await app
        .db('comments')
        .insert({ entity_id: id, network_id: app.root, author_id: fan, parent_id: null, body: `Comment ${k} on ${id}`, created_at: now + k })
        .returning('id');
      await app.db('comments').insert({
        entity_id: id,
        network_id: app.root,
        author_id: owner,
        parent_id: Number(typeof row === 'object' ? row.id : row),
        body: `Reply ${k}`,
        created_at: now + k,
      });
      await app.db('reactions').insert({ entity_id: id, user_id: fan, reaction: k % 2 ? 'love' : 'like', network_id: app.root, created_at: now + k });
    }
    await app.db('comment_counts').insert({ entity_id: id, n: fans.length * 2 });
    const half = Math.ceil(fans.length / 2);
    await app.db('reaction_counts').insert([
      { entity_id: id, reaction: 'like', n: half },
      { entity_id: id, reaction: 'love', n: fans.length - half },
    ]);
  }
  return ids;
}

eachSocialApp('feed panels for 20 entities use the same number of queries as for 2; a page thread is fixed too', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const fans = await bulkMembers(app.db, 'fan', 4);
  const ids = await seed(app, alice, fans, 20);
  const a = await app.as('alice');
  const list = (n: number): string => `/fixture/entities?ids=${ids.slice(0, n).join(',')}`;
  await queriesFor(app, a, list(1), t); // warm caches alike
  const two = await queriesFor(app, a, list(2), t);
  const twenty = await queriesFor(app, a, list(20), t);
  t.is((twenty.text.match(/class="comments comments--feed"/g) ?? []).length, 20);
  t.is((twenty.text.match(/class="reactions reactions--feed"/g) ?? []).length, 20);
  t.is(twenty.n, two.n, `2 entities: ${two.n} queries, 20 entities: ${twenty.n}`);
  t.log(`feed page: ${two.n} queries for 2 or 20 entities`);

  // Feed mode: the count, the 2 latest comments, a compact form, reaction counts.
  t.regex(two.text, /8 comments/);
  t.regex(two.text, /See all 8 comments/);
  t.regex(two.text, /Comment 3 on \d+[\s\S]*Reply 3/);
  t.notRegex(two.text, /Reply 2|Comment 2 on/);
  t.regex(two.text, /comments-form--compact/);
  t.regex(two.text, /4 reactions · who reacted/);
  // The latest live ones: a deleted comment leaves its place to the one before it.
  await app.db('comments').where({ entity_id: ids[0], body: 'Reply 3' }).update({ deleted_at: Date.now() });
  const afterDelete = (await queriesFor(app, a, list(1), t)).text;
  t.regex(afterDelete, /Reply 2[\s\S]*Comment 3 on/);
  t.notRegex(afterDelete, /Reply 3|Comment 2 on/);

  // Page mode: the whole thread, the same number of queries for 1 comment or 30.
  const few = await app.note(alice, 'members');
  const many = (await seed(app, alice, await bulkMembers(app.db, 'more', 30), 1))[0];
  await app
    .db('comments')
    .insert({ entity_id: few, network_id: app.root, author_id: fans[0], parent_id: null, body: 'Only one', created_at: Date.now() });
  const small = await queriesFor(app, a, `/fixture/entities/${few}`, t);
  const big = await queriesFor(app, a, `/fixture/entities/${many}`, t);
  t.is(big.n, small.n, `1 comment: ${small.n} queries, 60: ${big.n}`);
  t.is((big.text.match(/class="comment"/g) ?? []).length, 40, '20 top-level comments per page, each with its reply');
  const later = relLink(big.text, 'next')!;
  t.regex(later, new RegExp(`^/fixture/entities/${many}\\?comments_after=[A-Za-z0-9_-]+#comments-${many}$`));
  const page2 = await a.agent.http.get(later.split('#')[0]);
  t.is((page2.text.match(/class="comment"/g) ?? []).length, 20);
  t.regex(page2.text, /Comment 29 on/);
});

eachSocialApp('guests see public panels read-only with a sign-in link; members without the capability see no forms', async (t, app) => {
  await app.rt.networks.update(app.root, { allowGuests: true });
  const alice = await app.member('alice');
  const note = await app.note(alice, 'public');
  await app.db('reactions').insert({ entity_id: note, user_id: alice, reaction: 'like', network_id: app.root, created_at: Date.now() });
  await app.db('reaction_counts').insert({ entity_id: note, reaction: 'like', n: 1 });
  const guest = app.agent();
  const page = await guest.http.get(`/fixture/entities/${note}`);
  t.is(page.status, 200);
  t.regex(page.text, /Sign in to comment/);
  t.regex(page.text, /Sign in to react/);
  t.notRegex(page.text, /name="body"/);
  t.notRegex(page.text, /name="reaction"/);
  t.regex(page.text, /class="reaction reaction--static"/);

  for (const cap of ['comments.write', 'likes.react']) await app.rt.permissions.setGrant(app.root, cap, 'member', false);
  await app.member('bob');
  const b = await app.as('bob');
  const member = await b.agent.http.get(`/fixture/entities/${note}`);
  t.notRegex(member.text, /name="body"/);
  t.notRegex(member.text, /name="reaction"/);
  t.is((await b.post(`/entities/${note}/comments`, { body: 'Hi' })).status, 403);
  t.is((await b.post(`/entities/${note}/react`, { reaction: 'like' })).status, 403);
});
