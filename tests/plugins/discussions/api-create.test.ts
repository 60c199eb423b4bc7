// Starting a topic through the JSON API (`POST /api/v1/discussions`, the core's article form
// twin, core/content/article-form.ts): the form's checks and saving, in the network or a
// container the member belongs to; refusals are localised 4xx with the form's messages.
import request from 'supertest';
import { eachApp } from '../../helpers/each-app';
import { discApp } from './support';

eachApp('a topic started through the API: saved as by the form; refused where the form refuses', discApp, async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const group = await app.container(olga, [olga]);
  const tokenOf = async (userId: number, scope: 'read' | 'write') => (await app.rt.apiTokens.create(userId, 'topics api', scope)).token;
  const tokens = { olga: await tokenOf(olga, 'write'), mia: await tokenOf(mia, 'write'), olgaRead: await tokenOf(olga, 'read') };
  const api = request(app.app.callback());
  const post = (who: keyof typeof tokens, body: Record<string, unknown>, locale = 'en') =>
    api.post('/api/v1/discussions').set('authorization', `Bearer ${tokens[who]}`).set('Accept-Language', locale).send(body);

  const made = await post('olga', { title: 'Release plans', body: 'What ships **next**?', tags: 'release, plans' });
  t.is(made.status, 201, made.text);
  const row = await app.db('discussion_topics').where({ entity_id: made.body.id }).first();
  t.is(row.title, 'Release plans');
  t.is(made.body.href, `/discussions/${made.body.id}`);
  const entity = await app.rt.entities.get(made.body.id);
  t.is(entity?.access, app.topics.defaultAccess(app.rt.networks.root().id), 'the network’s default level, as the form');
  t.deepEqual((await app.rt.entities.tagsOf([made.body.id])).get(made.body.id)?.sort(), ['plans', 'release']);
  t.deepEqual(
    app.events.filter((e) => e.name === 'discussions:started').map((e) => e.payload.topicId ?? e.payload.entityId),
    [made.body.id],
  );
  const read = await api.get(`/api/v1/discussions/${made.body.id}`).set('authorization', `Bearer ${tokens.mia}`);
  t.is(read.body.topic.title, 'Release plans');

  // In a container: its members only, at the group level.
  const inGroup = await post('olga', { title: 'Inside', body: 'Members only.', container: group });
  t.is(inGroup.status, 201);
  t.like(await app.rt.entities.get(inGroup.body.id), { container_id: group, access: 'group' });
  t.is((await post('mia', { title: 'Intruder', body: 'Hello', container: group })).status >= 403, true, 'not a member of the container');
  t.is((await post('olga', { title: 'Nowhere', body: 'Hello', container: 999_999 })).status, 404);

  // The form's checks, in the reader's language; nothing saved.
  const empty = await post('olga', { title: '', body: 'No title' });
  t.is(empty.status, 400);
  t.is(empty.body.error.code, 'invalid');
  t.truthy(empty.body.error.fields.title);
  const fr = await post('olga', { title: '', body: 'Sans titre' }, 'fr');
  t.not(fr.body.error.fields.title, empty.body.error.fields.title, 'localised');
  const shape = await post('olga', { body: 5, extra: true });
  t.is(shape.status, 400);
  t.deepEqual(Object.keys(shape.body.error.fields).sort(), ['body.body', 'body.title'], 'other fields are left aside');
  t.is((await post('olgaRead', { title: 'Read only', body: 'No' })).status, 403, 'a read token cannot write');
  t.is(Number((await app.db('discussion_topics').count({ n: '*' }).first())?.n), 2);
});
