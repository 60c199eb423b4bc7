/**
 * A bot never creates a group (issue 17): its groups are its scope, chosen by its network's
 * admins, and a group it created would be one it administers. `GroupsService.create` refuses
 * it whatever the path — the form posted with its API token answers a localised 403 (English
 * and French) and writes nothing; the service itself throws the same refusal. A person still
 * creates one. Both databases.
 */
import request from 'supertest';
import { HttpError } from '../../../core';
import { pageAgent, signedIn } from '../../helpers/members';
import { eachGroupApp } from './support';

eachGroupApp('a bot creates no group, through the form with its token or the service', async (t, app) => {
  const rt = app.rt;
  const admin = pageAgent(await signedIn(app, 'admin'), '/admin/bots');
  const created = await admin.post('/admin/bots', { displayName: 'CI Bot', username: 'ci-bot', scope: 'network' });
  t.is(created.status, 303, created.text.slice(0, 300));
  const botId = Number(/(\d+)$/.exec(created.headers.location)![1]);
  const token = (await rt.apiTokens.create(botId, 'ci', 'write')).token;
  const groups = async () => Number((await rt.db('groups').count({ n: '*' }).first())!.n);
  const before = await groups();

  const post = (locale: string) =>
    request(app.app.callback())
      .post('/groups')
      .set('Authorization', `Bearer ${token}`)
      .set('Accept-Language', locale)
      .type('form')
      .send({ name: 'Bot group', description: '', category: 'social', visibility: 'open' });
  const en = await post('en');
  t.is(en.status, 403, en.text.slice(0, 300));
  t.regex(en.text, /A bot does not create groups/);
  await rt.db('users').where({ id: botId }).update({ locale: 'fr' });
  const fr = await post('fr');
  t.is(fr.status, 403);
  t.regex(fr.text, /Un bot ne crée pas de groupe/);
  t.is(await groups(), before, 'nothing written');

  const bot = (await rt.users.viewer(botId))!;
  const e = await t.throwsAsync(
    () => app.svc.create(bot, rt.networks.root().id, { name: 'Bot group', description: '', category: 'social', visibility: 'open' }, null),
    { instanceOf: HttpError },
  );
  t.is(e?.status, 403);
  t.is(e?.messageKey, 'groups.errors.botCreate');
  t.is(await groups(), before);

  // A person still creates one.
  await app.member('bob');
  t.true((await app.group('bob', { name: 'People', visibility: 'open' })) > 0);
  t.is(await groups(), before + 1);
});
