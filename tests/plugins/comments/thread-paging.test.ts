// A thread's comments page by keyset on their ids (plugins/comments/service.ts `pageOf`): on the
// entity's page ("Older"/"Newer comments" links carrying `comments_after`/`comments_before`) and in
// the API (`next`), comments deleted before the cursor and comments added between requests make
// nothing repeat or be skipped; an old `comments_page` opens the first page (the API still reads
// it); a cursor the list did not write is a localised 400; who may read a thread is unchanged.
import { encodeCursor } from '../../../core';
import { relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { eachSocialApp, type SocialApp } from './support';

const commentIds = (html: string): number[] => [...html.matchAll(/<li class="comment[^"]*" id="comment-(\d+)"/g)].map((m) => Number(m[1]));

async function comment(app: SocialApp, entityId: number, authorId: number, body: string, parentId: number | null = null): Promise<number> {
  const [r] = await app
    .db('comments')
    .insert({ entity_id: entityId, network_id: app.root, author_id: authorId, parent_id: parentId, body, created_at: Date.now() })
    .returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

eachSocialApp('a thread pages by cursor while comments before the cursor are deleted and new ones arrive', async (t, app) => {
  const owner = await app.member('owner', 'Olga');
  const note = await app.note(owner, 'members');
  const tops: number[] = [];
  const replies = new Map<number, number>();
  for (let i = 0; i < 45; i++) tops.push(await comment(app, note, owner, `Top ${i}`));
  for (const i of [1, 21, 44]) replies.set(tops[i], await comment(app, note, owner, `Reply to ${i}`, tops[i]));
  const token = await app.bearer(owner);
  const a = await app.as('owner');

  for (const via of ['page', 'api'] as const) {
    // Between two requests the first comment still live is deleted (an offset would skip one) and one is added (listed last, once).
    const alive = async () =>
      (await app.db('comments').where({ entity_id: note, parent_id: null }).whereNull('deleted_at').orderBy('id').pluck('id')).map(Number);
    const expected = await alive();
    const added: number[] = [];
    const change = async (round: number) => {
      const first = (await alive()).find((id) => !replies.has(id))!;
      await app.db('comments').where({ id: first }).update({ deleted_at: Date.now() });
      added.push(await comment(app, note, owner, `Late ${via} ${round}`));
    };
    const read = async (path: string) => {
      if (via === 'api') {
        const res = await app.agent().http.get(path).set('Authorization', `Bearer ${token}`);
        t.is(res.status, 200, path);
        const rows = res.body.comments as { id: number; parentId: number | null }[];
        t.deepEqual(
          rows.filter((c) => c.parentId !== null).map((c) => c.id),
          rows.filter((c) => replies.has(c.id)).map((c) => replies.get(c.id)),
          'each top-level comment comes with its reply',
        );
        return { items: rows.filter((c) => c.parentId === null).map((c) => c.id), next: res.body.next as string | null };
      }
      const res = await a.agent.http.get(path);
      t.is(res.status, 200, path);
      const next = relLink(res.text, 'next');
      return { items: commentIds(res.text).filter((id) => !new Set(replies.values()).has(id)), next: next && next.split('#')[0] };
    };
    const first = via === 'api' ? `/api/v1/entities/${note}/comments` : `/fixture/entities/${note}`;
    const walked = await walkLinksWhileAdding(first, read, change);
    t.deepEqual(walked.walked, [...expected, ...added], `${via}: every comment once, in order, the new ones last`);
    t.is(walked.links.length, 2, via);
    const param = via === 'api' ? 'after' : 'comments_after';
    t.regex(walked.links[0], new RegExp(`^${first}\\?${param}=[A-Za-z0-9_-]+$`));
  }

  // "Newer" from the second page lists the twenty live comments before its first one.
  const live = (await app.db('comments').where({ entity_id: note, parent_id: null }).whereNull('deleted_at').orderBy('id').pluck('id')).map(Number);
  const second = await a.agent.http.get(`/fixture/entities/${note}?comments_after=${encodeCursor([live[19]])}`);
  t.is(commentIds(second.text)[0], live[20]);
  const back = await a.agent.http.get(relLink(second.text, 'prev')!.split('#')[0]);
  t.deepEqual(
    commentIds(back.text).filter((id) => live.includes(id)),
    live.slice(0, 20),
  );
  t.is(relLink(back.text, 'prev'), null);
  // The API still answers a numbered page, its next link a cursor.
  const numbered = (await app.agent().http.get(`/api/v1/entities/${note}/comments?comments_page=2`).set('Authorization', `Bearer ${token}`)).body;
  t.like(numbered, { page: 2 });
  t.deepEqual(
    (numbered.comments as { id: number; parentId: number | null }[]).filter((c) => c.parentId === null).map((c) => c.id),
    live.slice(20, 40),
  );
  t.regex(numbered.next, new RegExp(`^/api/v1/entities/${note}/comments\\?after=[A-Za-z0-9_-]+$`));
});

eachSocialApp('thread cursors: one the list did not write is a 400; who may read a thread is unchanged', async (t, app) => {
  const owner = await app.member('owner');
  const other = await app.member('other');
  await app.db('users').where({ id: other }).update({ locale: 'fr' });
  const mine = await app.note(owner, 'private');
  const open = await app.note(owner, 'members');
  for (let i = 0; i < 25; i++) {
    await comment(app, mine, owner, `Secret ${i}`);
    await comment(app, open, owner, `Open ${i}`);
  }
  const tokens = { owner: await app.bearer(owner), other: await app.bearer(other) };
  const api = (who: keyof typeof tokens, path: string) => app.agent().http.get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const o = await app.as('owner');
  for (const query of ['comments_after=abc', `comments_before=${encodeCursor(['x'])}`, `comments_after=${encodeCursor([1, 2])}`]) {
    const res = await o.agent.http.get(`/fixture/entities/${open}?${query}`);
    t.is(res.status, 400, query);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  const fr = await (await app.as('other')).agent.http.get(`/fixture/entities/${open}?comments_after=abc`);
  t.is(fr.status, 400);
  t.regex(fr.text, /Ce lien de page n’est pas valable pour cette liste/);
  for (const query of ['after=abc', `after=${encodeCursor(['x'])}`, 'after=' + 'A'.repeat(900)]) {
    const res = await api('owner', `/api/v1/entities/${open}/comments?${query}`);
    t.deepEqual([res.status, Object.keys(res.body.error?.fields ?? {})], [400, ['query.after']], query.slice(0, 20));
  }

  // The owner pages the private thread; anyone else gets the 404 of an unknown entity, cursor or not.
  const secretNext = relLink((await o.agent.http.get(`/fixture/entities/${mine}`)).text, 'next')!.split('#')[0];
  t.is(commentIds((await o.agent.http.get(secretNext)).text).length, 5);
  const cursor = secretNext.split('comments_after=')[1];
  const otherAgent = await app.as('other');
  t.is((await otherAgent.agent.http.get(`/entities/${mine}/comments?comments_after=${cursor}`)).status, 404);
  t.is((await api('other', `/api/v1/entities/${mine}/comments?after=${cursor}`)).status, 404);
  t.is((await api('owner', `/api/v1/entities/${mine}/comments?after=${cursor}`)).body.comments.length, 5);
  // A guest signs in first (the network is closed to guests); the API asks for a token.
  const guestPage = await app.agent().http.get(`/entities/${open}/comments?comments_after=${cursor}`);
  t.is(guestPage.status, 302);
  t.regex(String(guestPage.headers.location), /\/login/);
  t.is((await app.agent().http.get(`/api/v1/entities/${open}/comments?after=${cursor}`)).status, 401);
  // A suspended member is signed out, their token refused.
  await app.rt.users.setStatus(other, 'suspended');
  t.not((await otherAgent.agent.http.get(`/entities/${open}/comments?comments_after=${cursor}`)).status, 200);
  t.is((await api('other', `/api/v1/entities/${open}/comments?after=${cursor}`)).status, 401);
});
