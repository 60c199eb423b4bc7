// Restoring from the history (issue 22): a hidden post or comment is shown again as its author left
// it, audited in the same transaction; a concurrent double submit answers as the first did; deleted
// content cannot be restored (it says so); only the decision's reviewers may.
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { migrations } from '../../../plugins/moderation/migrations';
import { comment, decideComment, reportComment } from './pieces-support';
import { auditOf, eachModApp } from './support';

/** The id of the history's last `hide` decision on a target. */
const hideOf = async (app: { db: import('knex').Knex }, type: string, id: number): Promise<number> =>
  Number((await app.db('moderation_decisions').where({ target_type: type, target_id: id, decision: 'hide' }).orderBy('id', 'desc').first('id')).id);

eachModApp('a hidden post is shown again from the history: once, audited, seen again by all; others may not', async (t, app) => {
  const [, , sam] = await app.members('alice', 'bob', 'sam');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const post = await app.post('alice', 'A post hidden by mistake');
  await app.report('bob', post, 'spam');
  t.is((await app.decide('mona', `entity-${post}`, 'hide')).status, 303);
  const b = await app.as('bob');
  t.is((await b.agent.http.get(`/status/${post}`)).status, 404, 'hidden');
  const decision = await hideOf(app, 'entity', post);
  const m = await app.as('mona');
  const history = await m.agent.http.get('/moderation/history');
  t.regex(history.text, new RegExp(`action="/moderation/history/${decision}/restore"`), 'offered on the hide');

  t.is((await b.post(`/moderation/history/${decision}/restore`)).status, 403, 'a member may not');
  const sub = await addSubNetwork(app.rt, 'partner');
  await addMemberships(app.rt, sub, [sam], 'admin');
  t.is((await (await app.as('sam')).post(`/n/partner/moderation/history/${decision}/restore`)).status, 404, 'nor another network’s admin');
  t.is(Number((await app.db('entities').where({ id: post }).first('withheld')).withheld), 1, 'still hidden');

  const twice = await Promise.all([m.post(`/moderation/history/${decision}/restore`), m.post(`/moderation/history/${decision}/restore`)]);
  t.deepEqual(
    twice.map((r) => [r.status, r.headers.location]),
    [
      [303, '/moderation/history'],
      [303, '/moderation/history'],
    ],
    'a double submit answers as the first',
  );
  t.is(Number((await app.db('entities').where({ id: post }).first('withheld')).withheld), 0);
  t.is((await app.db('moderation_hidden').where({ entity_id: post }).select('entity_id')).length, 0);
  t.is((await b.agent.http.get(`/status/${post}`)).status, 200, 'seen again');
  t.regex((await b.agent.http.get('/activity')).text, /A post hidden by mistake/, 'in the feed again');
  const audit = await auditOf(app.db, post);
  t.deepEqual(
    audit.map((r) => [r.action, Number(r.actor_id)]),
    [
      ['moderation.hide', mod],
      ['moderation.restore', mod],
    ],
    'one audit entry for the restore',
  );
  const after = await m.agent.http.get('/moderation/history');
  t.regex(after.text, /Shown again by <a href="\/people\/mona">Mona<\/a>/);
  t.regex(after.text, new RegExp(`data-target="entity-${post}" data-decision="approve"`), 'the restore is in the history');
  t.notRegex(after.text, /\/restore"/, 'not offered twice');
  // The restore is shown as one: who showed it again, when, and a link to the hide it undid — not a report item with 0 reports.
  const from = after.text.indexOf(`data-decision="approve"`);
  const item = after.text.slice(from, after.text.indexOf('</li>', from));
  t.regex(item, />Shown again</);
  t.regex(item, /Shown again by <a href="\/people\/mona">Mona<\/a>/);
  t.notRegex(item, /0 reports|Spam ×/, 'no reports, no reasons');
  const href = /<a class="moderation-item__restores" href="([^"]+)">the hiding it undid<\/a>/.exec(item)?.[1] ?? '';
  t.is(href, `/moderation/history/${decision}`, 'the hide’s own page');
  const linked = await m.agent.http.get(href);
  t.regex(linked.text, new RegExp(`id="decision-${decision}"`), 'the link leads to the hide');
  const row = await app.db('moderation_decisions').where({ decision: 'approve', target_id: post }).first('restores_id', 'reports', 'reasons');
  t.deepEqual([Number(row.restores_id), Number(row.reports), row.reasons], [decision, 0, '[]'], 'one writer: recordDecision, naming the hide');
  t.regex((await m.agent.http.get('/moderation/history').set('Accept-Language', 'fr')).text, /le masquage annulé/);

  // A restore written before migration 006 (the hide's reasons copied, no link) is matched to its hide.
  const step = migrations.find((x) => x.name === '006_decision_restores')!;
  const index = migrations.find((x) => x.name === '007_decision_restores_index')!;
  await index.down(app.db);
  await step.down(app.db);
  await app.db('moderation_decisions').where({ decision: 'approve', target_id: post }).update({ reasons: '[{"reason":"spam","count":1}]' });
  await step.up(app.db);
  await index.up(app.db);
  const again = await app.db('moderation_decisions').where({ decision: 'approve', target_id: post }).first('restores_id', 'reasons');
  t.deepEqual([Number(again.restores_id), again.reasons], [decision, '[]'], 'an earlier restore is matched to its hide');
});

eachModApp('a deleted post cannot be restored, and the history says so', async (t, app) => {
  await app.members('alice', 'bob');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const post = await app.post('alice', 'Hidden then deleted');
  await app.report('bob', post, 'spam');
  t.is((await app.decide('mona', `entity-${post}`, 'hide')).status, 303);
  // Its author deletes it while hidden (the core's soft delete, as their own deletion does).
  await app.rt.entities.softDelete(post);
  const m = await app.as('mona');
  const history = await m.agent.http.get('/moderation/history');
  t.regex(history.text, /Deleted since: it cannot be shown again\./);
  t.notRegex(history.text, /\/restore"/);
  const refused = await m.post(`/moderation/history/${await hideOf(app, 'entity', post)}/restore`);
  t.is(refused.status, 409);
  t.regex(refused.text, /This content was deleted: it cannot be shown again\./);
  t.deepEqual(
    (await auditOf(app.db, post)).map((r) => r.action),
    ['moderation.hide'],
    'nothing audited on a refusal',
  );
  t.is((await app.db('moderation_decisions').whereNotNull('restored_at').select('id')).length, 0, 'the claim rolled back');
});

eachModApp('a hidden comment is shown again through the pieces contract: in the thread again for others', async (t, app) => {
  await app.members('alice', 'bob', 'carol');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  const post = await app.post('alice', 'A walk by the river');
  const c = await comment(app, 'bob', post, 'A sharp but fair remark');
  await reportComment(app, 'carol', c, 'harassment');
  t.is((await decideComment(app, 'mona', c, 'hide')).status, 303);
  const carol = await app.as('carol');
  t.notRegex((await carol.agent.http.get(`/status/${post}`)).text, /A sharp but fair remark/);
  const m = await app.as('mona');
  const history = await m.agent.http.get('/moderation/history?kind=comment');
  t.regex(history.text, /Comment on “A walk by the river”/, 'the comment in context');
  t.is((await m.post(`/moderation/history/${await hideOf(app, 'comment', c)}/restore`)).status, 303);
  t.is(Number((await app.db('comments').where({ id: c }).first('withheld')).withheld), 0);
  t.regex((await carol.agent.http.get(`/status/${post}`)).text, /A sharp but fair remark/, 'in the thread again');
  t.deepEqual(
    (await auditOf(app.db, c)).map((r) => r.action),
    ['moderation.hide', 'moderation.restore'],
  );
});
