/**
 * Found by the scope matrix: a group's co-admin could delete the group — and everything
 * posted into it — although they may not hand it over (issue 16, case 7). Deleting is the
 * owner's decision, as a transfer is: the owner, and moderators and admins of the group's
 * network. A co-admin gets a 403 and nothing changes.
 */
import { eachDatabase } from '../helpers/databases';
import { makeApp, type TestAgent } from '../helpers/app';

const PASSWORD = 'violet staple engine 7';

eachDatabase('a group co-admin cannot delete the group; its owner can', async (t, db) => {
  const made = await makeApp(db);
  try {
    const rt = made.app.ruche;
    for (const username of ['olga', 'cora']) {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, emailVerified: true });
      if ('errors' in r) throw new Error(JSON.stringify(r.errors));
    }
    const signIn = async (username: string): Promise<{ agent: TestAgent; token: string }> => {
      const agent = made.agent();
      await agent.login(username, PASSWORD);
      return { agent, token: await agent.csrf('/account') };
    };
    const owner = await signIn('olga');
    const coadmin = await signIn('cora');
    const created = await owner.agent.http
      .post('/groups')
      .type('form')
      .send({ _csrf: owner.token, name: 'Choir', description: 'We sing.', category: 'social', visibility: 'open' });
    t.is(created.status, 303);
    const id = Number((await rt.db('groups').max({ m: 'entity_id' }).first())?.m);
    t.is((await coadmin.agent.http.post(`/groups/${id}/join`).type('form').send({ _csrf: coadmin.token })).status, 303);
    const cora = Number((await rt.db('users').where({ username_lower: 'cora' }).first('id')).id);
    t.is((await owner.agent.http.post(`/groups/${id}/members/${cora}/promote`).type('form').send({ _csrf: owner.token })).status, 303);

    const refused = await coadmin.agent.http
      .post(`/groups/${id}/delete`)
      .type('form')
      .set('Accept-Language', 'en')
      .send({ _csrf: coadmin.token, confirm: 'Choir' });
    t.is(refused.status, 403);
    t.true(refused.text.includes('may delete the group'), 'a clear message');
    t.is((await rt.db('entities').where({ id }).first('deleted_at')).deleted_at, null, 'the group is still there');
    const page = await coadmin.agent.http.get(`/groups/${id}/edit`);
    t.is(page.status, 200, 'the co-admin still edits the group');
    t.false(page.text.includes(`/groups/${id}/delete`), 'without the deletion form');

    t.is((await owner.agent.http.post(`/groups/${id}/delete`).type('form').send({ _csrf: owner.token, confirm: 'Choir' })).status, 303);
    t.not((await rt.db('entities').where({ id }).first('deleted_at')).deleted_at, null, 'the owner deleted it');
  } finally {
    await made.close();
  }
});
