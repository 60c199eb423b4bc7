// A decision's own page (issue 22): `/moderation/history/:id` shows that decision whatever page of
// the history it is on now, with the history's access (the network's reviewers; a group's admins
// for their group's decisions; nobody else, nobody of another network). A restore links to the
// hide it undid there, and the hide to its restore, even when the hide is past the history's first page.
import type { Response } from 'supertest';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { eachModApp } from './support';

/** The href of `<a class="<cls>" href="...">` in `html`, unescaped. */
const hrefOf = (html: string, cls: string): string =>
  (new RegExp(`<a class="${cls}" href="([^"]+)"`).exec(html)?.[1] ?? '').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The ids of the decisions a page lists, in order. */
const ids = (html: string): number[] => [...html.matchAll(/id="decision-(\d+)"/g)].map((m) => Number(m[1]));

eachModApp('a restore links to the hide it undid at its own page, past the first page of the history', async (t, app) => {
  const [alice] = await app.members('alice', 'bob');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const post = await app.post('alice', 'Hidden, then buried under later decisions');
  await app.report('bob', post, 'spam');
  t.is((await app.decide('mona', `entity-${post}`, 'hide')).status, 303);
  const hide = await app.db('moderation_decisions').where({ target_id: post, decision: 'hide' }).first('id', 'decided_at');
  const hideId = Number(hide.id);
  // 25 hides of statuses decided after it: the hide leaves the first page, of the history and of its filtered list.
  const later = await Promise.all(Array.from({ length: 25 }, (_, i) => app.quickPost(alice, `Later post ${i}`)));
  await app.db('moderation_decisions').insert(
    later.map((id, i) => ({
      network_id: app.root,
      container_id: null,
      target_type: 'entity',
      target_id: id,
      target_user_id: alice,
      kind: 'status',
      decision: 'hide',
      reasons: JSON.stringify([{ reason: 'spam', count: 1 }]),
      reports: 1,
      decided_by: mod,
      decided_at: Number(hide.decided_at) + 1 + i,
    })),
  );
  const m = await app.as('mona');
  t.false(ids((await m.agent.http.get('/moderation/history')).text).includes(hideId), 'the hide is not on the first page');
  t.false(ids((await m.agent.http.get('/moderation/history?decision=hide&kind=status')).text).includes(hideId), 'nor on the filtered one');

  // Shown again from its own page: the reviewer comes back to it.
  const own = await m.agent.http.get(`/moderation/history/${hideId}`);
  t.is(own.status, 200);
  t.deepEqual(ids(own.text), [hideId], 'that decision alone');
  t.regex(own.text, /Hidden, then buried under later decisions/);
  t.regex(own.text, /Decided by <a href="\/people\/mona">Mona<\/a>/);
  t.regex(own.text, /href="\/moderation\/history">Back to the history</);
  const restored = await m.post(`/moderation/history/${hideId}/restore`, { next: `/moderation/history/${hideId}` });
  t.deepEqual([restored.status, restored.headers.location], [303, `/moderation/history/${hideId}`], 'back to the decision’s page');
  const restore = Number((await app.db('moderation_decisions').where({ restores_id: hideId }).first('id')).id);

  // The restore, newest, is on the first page; its link leads to the hide's page, which lists the hide.
  const first = await m.agent.http.get('/moderation/history');
  t.is(ids(first.text)[0], restore);
  const from = first.text.indexOf(`id="decision-${restore}"`);
  const item = first.text.slice(from, first.text.indexOf('</li>', from));
  t.is(hrefOf(item, 'moderation-item__restores'), `/moderation/history/${hideId}`);
  t.is(hrefOf(item, 'moderation-item__permalink'), `/moderation/history/${restore}`, 'every decision has its permalink');
  const linked = await m.agent.http.get(hrefOf(item, 'moderation-item__restores'));
  t.is(linked.status, 200);
  t.deepEqual(ids(linked.text), [hideId]);
  // The hide says who showed it again, linking to the restore's page.
  t.regex(linked.text, /Shown again by <a href="\/people\/mona">Mona<\/a>/);
  t.is(hrefOf(linked.text, 'moderation-item__restoredAt'), `/moderation/history/${restore}`);
  t.notRegex(linked.text, /\/restore"/, 'not offered again');
  const back = await m.agent.http.get(`/moderation/history/${restore}`);
  t.deepEqual(ids(back.text), [restore]);
  t.regex(back.text, />Shown again</);
  t.regex((await m.agent.http.get(`/moderation/history/${hideId}`).set('Accept-Language', 'fr')).text, /Une décision de modération/);

  t.is((await m.agent.http.get('/moderation/history/999999')).status, 404, 'an unknown decision');
  t.is((await m.agent.http.get('/moderation/history/abc')).status, 404);
});

eachModApp('who sees a decision’s page: the history’s access, across viewers and networks', async (t, app) => {
  const [alice, bob, dan, gus, sam, pia, vic] = await app.members('alice', 'bob', 'dan', 'gus', 'sam', 'pia', 'vic');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  await app.setRole(vic, 'moderator');
  const group = await app.container(dan, [alice, bob]);
  const other = await app.container(gus, [alice, bob]);
  const inGroup = await app.quickPost(alice, 'Group gossip', 'group', { containerId: group });
  const inOther = await app.quickPost(alice, 'Other group gossip', 'group', { containerId: other });
  const outside = await app.quickPost(alice, 'Network post', 'members');
  await app.report('bob', inGroup, 'confidential');
  await app.report('bob', inOther, 'spam');
  await app.report('bob', outside, 'spam');
  t.is((await app.decide('dan', `entity-${inGroup}`, 'hide', { group: String(group) })).status, 303);
  t.is((await app.decide('gus', `entity-${inOther}`, 'dismiss', { group: String(other) })).status, 303);
  t.is((await app.decide('mona', `entity-${outside}`, 'hide')).status, 303);
  const decisionOf = async (id: number) => Number((await app.db('moderation_decisions').where({ target_id: id }).first('id')).id);
  const [groupDecision, networkDecision] = [await decisionOf(inGroup), await decisionOf(outside)];
  const page = (id: number, query = '') => `/moderation/history/${id}${query}`;

  // The network's moderator: every decision of the network.
  const m = await app.as('mona');
  for (const id of [groupDecision, networkDecision]) t.is((await m.agent.http.get(page(id))).status, 200);
  // The group's admin: their group's decision, with or without the group named; not the network's nor another group's.
  const d = await app.as('dan');
  for (const query of ['', `?group=${group}`]) {
    const res = await d.agent.http.get(page(groupDecision, query));
    t.is(res.status, 200, query);
    t.regex(res.text, /Group gossip/);
  }
  t.regex((await d.agent.http.get(page(groupDecision, `?group=${group}`))).text, new RegExp(`href="/moderation/history\\?group&#x3D;${group}"`));
  t.is((await d.agent.http.get(page(networkDecision))).status, 404, 'not the network’s decision');
  t.is((await d.agent.http.get(page(networkDecision, `?group=${group}`))).status, 404);
  // Another group's admin: their group's scope, not this decision.
  const g = await app.as('gus');
  t.is((await g.agent.http.get(page(await decisionOf(inOther)))).status, 200);
  t.is((await g.agent.http.get(page(groupDecision))).status, 404, 'another group’s admin');
  t.is((await g.agent.http.get(page(groupDecision, `?group=${group}`))).status, 403, 'naming a group they do not run');

  // Sam administers a sub-network, Pia belongs to it alone; Vic, a moderator, is suspended once signed in.
  const sub = await addSubNetwork(app.rt, 'partner');
  await addMemberships(app.rt, sub, [sam], 'admin');
  await addMemberships(app.rt, sub, [pia]);
  await app.db('memberships').where({ user_id: pia, network_id: app.root }).delete();
  const vicAgent = (await app.as('vic')).agent;
  await app.db('users').where({ id: vic }).update({ status: 'suspended' });
  const [bobAgent, piaAgent, samAgent] = [(await app.as('bob')).agent, (await app.as('pia')).agent, (await app.as('sam')).agent];
  const cases: [string, (path: string) => Promise<Response>][] = [
    ['a guest', (path) => app.agent().http.get(path)],
    ['the reporter, a member of the group', (path) => bobAgent.http.get(path)],
    ['the reported member', async (path) => (await app.as('alice')).agent.http.get(path)],
    ['a partner-network member', (path) => piaAgent.http.get(path)],
    ['a suspended moderator', (path) => vicAgent.http.get(path)],
  ];
  for (const [who, get] of cases)
    for (const id of [groupDecision, networkDecision]) {
      const res = await get(page(id));
      t.true(res.status >= 300 && res.status < 500, `${who}: ${res.status}`);
      t.notRegex(res.text, /Network post|Group gossip/, who);
      t.is(res.status, (await get('/moderation/history')).status, `${who}: as the history answers`);
    }
  // The admin of another network: nothing of the root's decisions from theirs.
  const subSide = await samAgent.http.get(`/n/partner/moderation/history/${networkDecision}`);
  t.is(subSide.status, 404, 'another network’s admin');
  t.notRegex(subSide.text, /Network post/);
  t.is((await (await app.as('sam')).post(`/n/partner/moderation/history/${networkDecision}/restore`)).status, 404, 'nor restores it');
  t.is(Number((await app.db('entities').where({ id: outside }).first('withheld')).withheld), 1, 'still hidden');
});
