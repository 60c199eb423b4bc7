/**
 * Found by the scope matrix: from an isolated partner network, blocking or unblocking
 * someone outside it answered as for anyone (a row written, a flash with their name), which
 * told the partner's members who exists elsewhere. Outside people now answer the same 404
 * as an unknown username, as their profile page does; a partner colleague can still be blocked.
 */
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

const PASSWORD = 'violet staple engine 7';

eachDatabase('an isolated partner member cannot block or unblock people outside the partner network', async (t, db) => {
  const made = await makeApp(db);
  try {
    const rt = made.app.ruche;
    const partner = await rt.networks.create({ slug: 'partner', name: 'Partner', host: null });
    await rt.networks.update(partner.id, { isolated: true });
    await rt.networks.load();
    const user = async (username: string, networkId?: number): Promise<number> => {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, emailVerified: true, networkId });
      if ('errors' in r) throw new Error(JSON.stringify(r.errors));
      return r.id;
    };
    const paula = await user('paula', partner.id);
    const pierre = await user('pierre', partner.id);
    await user('rita');
    const agent = made.agent();
    const token = await agent.csrf('/n/partner/login');
    t.is((await agent.http.post('/n/partner/login').type('form').send({ _csrf: token, login: 'paula', password: PASSWORD })).status, 303);
    const csrf = await agent.csrf('/n/partner/account');
    const blocks = async (): Promise<number> => Number((await rt.db('member_blocks').count({ n: '*' }).first())?.n);

    for (const action of ['block', 'unblock']) {
      const outside = await agent.http.post(`/n/partner/messages/${action}/rita`).type('form').send({ _csrf: csrf });
      const unknown = await agent.http.post(`/n/partner/messages/${action}/nobody`).type('form').send({ _csrf: csrf });
      t.is(outside.status, 404, `${action} someone outside the partner network`);
      t.is(unknown.status, 404);
      t.false(outside.text.includes('Rita'), 'the answer does not name them');
    }
    t.is(await blocks(), 0, 'nothing was written');

    const colleague = await agent.http.post('/n/partner/messages/block/pierre').type('form').send({ _csrf: csrf });
    t.is(colleague.status, 303, 'a colleague of the partner network can be blocked');
    t.truthy(await rt.db('member_blocks').where({ blocker_id: paula, blocked_id: pierre }).first());
  } finally {
    await made.close();
  }
});
