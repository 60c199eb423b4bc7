// The pieces (issue 22: comments, discussion replies, private messages) for the viewers who must
// never act on another network's or a conversation's pieces: a member of a partner network only,
// the admin of that partner network, and a suspended member of the network. None of them reads
// a piece of a members' post or topic (the root network's members) or of a conversation they are
// not in, reports it or decides on it, at the network's addresses or at their own network's; the
// network's moderator does (so each refusal could fail), and once a piece is hidden they still
// read nothing of it.
import type { Response } from 'supertest';
import { addMemberships, addSubNetwork, type FormAgent } from '../../helpers/members';
import { comment, reply, send, topic } from './pieces-support';
import { eachModApp } from './support';

const PARTNER = '/n/partner';

eachModApp('a partner network’s member and admin and a suspended member read, report and decide on no piece of the network', async (t, app) => {
  const rt = app.app.ruche;
  const [, bob, , mona, pat, pia, sam] = await app.members('alice', 'bob', 'carol', 'mona', 'pat', 'pia', 'sam');
  await app.setRole(mona, 'moderator');
  const partner = await addSubNetwork(rt, 'partner', 'Partner');
  await rt.db('memberships').whereIn('user_id', [pat, pia]).where({ network_id: app.root }).delete();
  await addMemberships(rt, partner, [pat]);
  await addMemberships(rt, partner, [pia], 'admin');

  const post = await app.post('alice', 'A walk by the river');
  const pieces = [
    { kind: 'comment', id: await comment(app, 'bob', post, 'Secret comment words'), at: `/status/${post}`, table: 'comments' },
    { kind: 'reply', id: 0, at: '', table: 'discussion_replies' },
    { kind: 'message', id: 0, at: '', table: 'messages' },
  ];
  const topicId = await topic(app, 'alice', 'Where to walk?');
  pieces[1].id = await reply(app, 'bob', topicId, 'Secret reply words');
  pieces[1].at = `/discussions/${topicId}`;
  const { conversation, message } = await send(app, 'bob', 'carol', 'Secret message words');
  pieces[2].id = message;
  pieces[2].at = `/messages/${conversation}`;

  const viewers: [string, FormAgent][] = [
    ['partner-network member', await app.as('pat')],
    ['partner-network admin', await app.as('pia')],
    ['suspended member', await app.as('sam')],
  ];
  await rt.users.setStatus(sam, 'suspended');
  const withheld = async (table: string, id: number) => Number((await app.db(table).where({ id }).first('withheld')).withheld) === 1;
  const refusedAll = async (phase: string) => {
    for (const [who, agent] of viewers)
      for (const p of pieces) {
        const what = `${phase}: ${who}, ${p.kind}`;
        for (const path of [p.at, `/moderation/report/piece/${p.kind}/${p.id}`])
          for (const base of ['', PARTNER]) {
            const seen: Response = await agent.agent.http.get(`${base}${path}`);
            t.true(seen.status < 500, `${what} GET ${base}${path}: ${seen.status}`);
            t.notRegex(seen.text, /Secret/, `${what}: reads nothing of it at ${base}${path}`);
          }
        for (const base of ['', PARTNER]) {
          const reported = await agent.post(`${base}/moderation/report/piece/${p.kind}/${p.id}`, { reason: 'spam', note: '' });
          t.true([302, 401, 403, 404].includes(reported.status), `${what}: reports nothing at ${base || '/'} (${reported.status})`);
          const decided = await agent.post(`${base}/moderation/pieces/${p.kind}/${p.id}/decide`, { decision: phase === 'live' ? 'hide' : 'approve' });
          t.true([302, 401, 403, 404].includes(decided.status), `${what}: decides nothing at ${base || '/'} (${decided.status})`);
        }
        t.is(await withheld(p.table, p.id), phase !== 'live', `${what}: unchanged`);
      }
    const filed = await app.db('moderation_reports').whereIn('reporter_id', [pat, pia, sam]).count({ n: '*' }).first();
    t.is(Number(filed!.n), 0, `${phase}: none of them filed a report`);
  };

  await refusedAll('live');
  // A participant of the network reports each; the form says what is reported.
  const carol = await app.as('carol');
  for (const [kind, subject] of [
    ['comment', /A comment posted by Bob/],
    ['reply', /A reply posted by Bob/],
    ['message', /A message sent by Bob/],
  ] as const)
    t.regex((await carol.agent.http.get(`/moderation/report/piece/${kind}/${pieces.find((p) => p.kind === kind)!.id}`)).text, subject, kind);
  // A member of the network reports each, and the network's moderator hides it (so the refusals
  // above were refusals).
  const m = await app.as('mona');
  for (const p of pieces) {
    t.is((await carol.post(`/moderation/report/piece/${p.kind}/${p.id}`, { reason: 'spam', note: '' })).status, 303, `carol reports the ${p.kind}`);
    t.is((await m.post(`/moderation/pieces/${p.kind}/${p.id}/decide`, { decision: 'hide' })).status, 303, `the moderator hides the ${p.kind}`);
    t.true(await withheld(p.table, p.id), p.kind);
  }
  await refusedAll('hidden');
  t.truthy(bob);
});
