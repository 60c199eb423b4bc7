// The notifications JSON API: a member's own lines only, the same lines as the page, paged by
// keyset with next links; marking one read; someone else's line answers 404; a read-only token
// cannot mark (both databases).
import request from 'supertest';
import { eachApp } from '../../helpers/each-app';
import { notifApp } from './support';

eachApp('the API lists the member’s own notification lines like the page, by keyset, and marks them read', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [olga, bruno, chen] = await app.members('olga', 'bruno', 'chen');
  const posts = [await app.status(olga, 'First'), await app.status(olga, 'Second'), await app.status(olga, 'Third')];
  for (const entityId of posts)
    await rt.hooks.emit('likes:reacted', { networkId, entityId, userId: bruno, ownerId: olga, reaction: 'like', previous: null });
  await rt.hooks.emit('likes:reacted', { networkId, entityId: posts[0], userId: chen, ownerId: olga, reaction: 'like', previous: null });
  const bob = await app.status(bruno, 'Bruno’s');
  await rt.hooks.emit('likes:reacted', { networkId, entityId: bob, userId: chen, ownerId: bruno, reaction: 'like', previous: null });

  const api = request(app.app.callback());
  const as = (token: string) => ({
    get: (url: string) => api.get(url).set('authorization', `Bearer ${token}`),
    post: (url: string) => api.post(url).set('authorization', `Bearer ${token}`),
  });
  const o = as((await rt.apiTokens.create(olga, 'olga', 'write')).token);
  const b = as((await rt.apiTokens.create(bruno, 'bruno', 'write')).token);
  const readOnly = as((await rt.apiTokens.create(olga, 'olga read', 'read')).token);

  const sentences: string[] = [];
  const ids: number[] = [];
  let next: string | null = '/api/v1/notifications?limit=2';
  let pages = 0;
  while (next) {
    const res: request.Response = await o.get(next);
    t.is(res.status, 200);
    for (const line of res.body.items) {
      sentences.push(line.sentence);
      ids.push(line.id);
    }
    next = res.body.next;
    pages += 1;
  }
  t.is(pages, 2);
  t.deepEqual(
    [...ids].sort((x, y) => y - x),
    ids,
    'newest first',
  );
  t.is(sentences.length, 3, 'one line per post, grouped as on the page');
  t.true(sentences.includes('Chen and 1 other reacted to your post'));
  const page = (await (await app.as('olga')).agent.http.get('/notifications')).text;
  for (const s of sentences) t.true(page.includes(s), `the page shows “${s}” too`);

  const mine = (await b.get('/api/v1/notifications')).body.items;
  t.is(mine.length, 1, 'Bruno sees his own line only');
  t.is(mine[0].sentence, 'Chen reacted to your post');
  const line = ids[0];
  const other = await b.post(`/api/v1/notifications/${line}/read`);
  t.is(other.status, 404, 'someone else’s line is as unknown');
  t.is(other.body.error.code, 'not_found');
  t.is((await readOnly.post(`/api/v1/notifications/${line}/read`)).status, 403);
  const read = await o.post(`/api/v1/notifications/${line}/read`);
  t.is(read.status, 200);
  t.deepEqual(read.body, { id: line, unread: false });
  const after = (await o.get('/api/v1/notifications')).body.items;
  t.false(after.find((l: { id: number }) => l.id === line).unread);
  t.is(after.filter((l: { unread: boolean }) => l.unread).length, 2);
  // A line whose post is deleted is left out, as on the page.
  await rt.entities.softDelete(posts[2]);
  t.is((await o.get('/api/v1/notifications')).body.items.length, 2);
});
