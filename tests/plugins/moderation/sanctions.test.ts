// Suspending and banning from the queue: the member a report is about (the reported member or
// the content's author) is suspended (the core's rt.suspensions, within the core's account
// scope) or banned from the network (rt.bans: removed, cannot join again); each decision in the
// audit log, the reporters told when asked, the reason required and kept when refused; group
// admins take neither, moderators of one network cannot act on another, admins are not sanctioned.
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { auditOf, eachModApp, openReportsOn } from './support';

const DAY = 86_400_000;

eachModApp(
  'an admin suspends the author from the queue for a week: signed out, audited, the reporter told; the reason is required and kept',
  async (t, app) => {
    const [alice, bob, ada] = await app.members('alice', 'bob', 'ada');
    await app.setRole(ada, 'admin');
    const post = await app.post('alice', 'Buy cheap watches at example.com');
    await app.report('bob', post, 'spam');

    const queue = await (await app.as('ada')).agent.http.get('/moderation');
    t.regex(queue.text, /Suspend or ban Alice…/);
    t.regex(queue.text, /value="suspend">Suspend the account</);
    t.regex(queue.text, /value="ban">Ban from the network</);
    t.regex(queue.text, /<option value="7" selected>7 days<\/option>/);
    t.regex(queue.text, /Until an administrator reactivates the account/);

    const empty = await app.decide('ada', `entity-${post}`, 'suspend', { reason: '  ', days: '30' });
    t.is(empty.status, 422);
    t.regex(empty.text, /Say why: the reason is kept with the sanction\./);
    t.regex(empty.text, /<option value="30" selected>30 days<\/option>/, 'the period chosen is kept');
    const long = await app.decide('ada', `entity-${post}`, 'suspend', { reason: `Spam ${'x'.repeat(500)}`, days: '7' });
    t.is(long.status, 422);
    t.regex(long.text, /Spam x{10}/, 'the reason typed is kept');
    t.is((await app.decide('ada', `entity-${post}`, 'suspend', { reason: 'Spam', days: '3' })).status, 422, 'only the periods offered');
    t.is((await openReportsOn(app.db, 'entity', post)).length, 1, 'nothing decided on a refusal');

    const before = Date.now();
    const [first, second] = await Promise.all([
      app.decide('ada', `entity-${post}`, 'suspend', { reason: 'Repeated spam', days: '7', tell: '1' }),
      app.decide('ada', `entity-${post}`, 'suspend', { reason: 'Repeated spam', days: '7', tell: '1' }),
    ]);
    t.deepEqual([first.status, second.status], [303, 303], 'a double submit answers as the first');
    const user = await app.db('users').where({ id: alice }).first('status', 'suspension_reason', 'suspended_until');
    t.is(user.status, 'suspended');
    t.is(user.suspension_reason, 'Repeated spam');
    t.true(Number(user.suspended_until) >= before + 7 * DAY && Number(user.suspended_until) <= Date.now() + 7 * DAY);
    t.is((await app.db('sessions').where({ user_id: alice }).select('id')).length, 0, 'signed out everywhere');
    const audit = await auditOf(app.db, post);
    t.deepEqual(
      audit.map((r) => [r.action, Number(r.actor_id)]),
      [['moderation.suspend', ada]],
    );
    t.like(JSON.parse(audit[0].before), { reports: 1, member: alice, status: 'active' });
    t.like(JSON.parse(audit[0].after), { reports: 0, member: alice, status: 'suspended', reason: 'Repeated spam' });
    t.is((await app.db('notifications').where({ user_id: bob, kind: 'moderation.outcome' }).select('id')).length, 1);
    t.regex((await (await app.as('bob')).agent.http.get('/moderation/mine')).text, /Member suspended/);
  },
);

eachModApp(
  'a moderator bans a reported member from a sub-network: removed, cannot join again, audited; the account and its other networks stay',
  async (t, app) => {
    const [alice, bobId, mona] = await app.members('alice', 'bob', 'mona');
    const sub = await addSubNetwork(app.rt, 'partner');
    await addMemberships(app.rt, sub, [alice, bobId, mona]);
    await app.setRole(mona, 'moderator', sub);
    const bob = await app.as('bob');
    t.is((await bob.post('/n/partner/moderation/report/member/alice', { reason: 'harassment', note: 'Insults' })).status, 303);

    const queue = await (await app.as('mona')).agent.http.get('/n/partner/moderation');
    t.regex(queue.text, /value="ban">Ban from the network</);
    t.regex(queue.text, /Ban Alice…/);
    t.notRegex(queue.text, /name="days"/, 'no period where no suspension is offered');
    t.notRegex(queue.text, /value="suspend"/, "Alice's account is also the root network's: suspending it takes root rights");
    t.is((await app.decide('mona', 'member-alice', 'suspend', { reason: 'Insults', days: '7' }, '/n/partner')).status, 403);
    const refused = await app.decide('mona', 'member-alice', 'ban', { reason: '' }, '/n/partner');
    t.is(refused.status, 422);

    t.is((await app.decide('mona', 'member-alice', 'ban', { reason: 'Insults, again', tell: '1' }, '/n/partner')).status, 303);
    t.falsy(await app.db('memberships').where({ user_id: alice, network_id: sub }).first('role'), 'removed from the network');
    t.truthy(await app.db('memberships').where({ user_id: alice, network_id: app.root }).first('role'), 'still a member of the root network');
    t.is((await app.db('users').where({ id: alice }).first('status')).status, 'active', 'the account is not suspended');
    const ban = await app.db('network_bans').where({ user_id: alice, network_id: sub }).first('reason', 'banned_by');
    t.deepEqual([ban.reason, Number(ban.banned_by)], ['Insults, again', mona]);
    const audit = await auditOf(app.db, alice);
    t.deepEqual(
      audit.map((r) => r.action),
      ['moderation.ban'],
    );
    t.like(JSON.parse(audit[0].before), { member: alice, role: 'member' });
    t.like(JSON.parse(audit[0].after), { member: alice, banned: true, reason: 'Insults, again' });

    const a = await app.as('alice');
    t.is((await a.post('/n/partner/join')).status, 403, 'cannot join again by themselves');
    t.false(await app.rt.users.setRole(alice, sub, 'member'), 'nor be given a role there');
    t.falsy(await app.db('memberships').where({ user_id: alice, network_id: sub }).first('role'));
    t.is((await a.agent.http.get('/activity')).status, 200, 'the root network as before');
    await app.rt.bans.lift(sub, alice);
    t.is((await a.post('/n/partner/join')).status, 303, 'once the ban is lifted, the open network takes them again');
  },
);

eachModApp(
  'who may sanction: not group admins, not across networks, never an admin, a moderator or oneself; a sub-network moderator suspends its own members',
  async (t, app) => {
    const [alice, bob, dan, mona, ada] = await app.members('alice', 'bob', 'dan', 'mona', 'ada');
    await app.setRole(mona, 'moderator');
    await app.setRole(ada, 'admin');
    const group = await app.container(dan, [alice, bob]);
    const inGroup = await app.quickPost(alice, 'Group gossip', 'group', { containerId: group });
    const byAdmin = await app.post('ada', 'An admin post');
    const byModerator = await app.post('mona', 'A moderator post');
    await app.report('bob', inGroup, 'confidential');
    await app.report('bob', byAdmin, 'spam');
    await app.report('bob', byModerator, 'spam');

    const d = await (await app.as('dan')).agent.http.get(`/moderation?group=${group}`);
    t.regex(d.text, /Group gossip/);
    t.notRegex(d.text, /name="reason"/, 'a group admin has no sanctions');
    t.is((await app.decide('dan', `entity-${inGroup}`, 'ban', { reason: 'Gossip', group: String(group) })).status, 403);
    t.is((await app.decide('dan', `entity-${inGroup}`, 'suspend', { reason: 'Gossip', days: '1', group: String(group) })).status, 403);

    t.is((await app.decide('mona', `entity-${byAdmin}`, 'ban', { reason: 'No' })).status, 403, 'an admin is not banned');
    t.is((await app.decide('ada', `entity-${byModerator}`, 'ban', { reason: 'No' })).status, 403, 'a moderator is not banned from the queue');
    t.is((await app.decide('mona', `entity-${byModerator}`, 'ban', { reason: 'No' })).status, 403, 'nor oneself');
    t.is((await app.db('memberships').whereIn('user_id', [ada, mona]).where({ network_id: app.root }).select('user_id')).length, 2);

    // Sam moderates a sub-network: nothing of the root's reports; Zoe, a member of it alone, he may suspend.
    const sub = await addSubNetwork(app.rt, 'partner');
    const [sam, zoe] = await app.members('sam', 'zoe');
    await app.db('memberships').where({ user_id: zoe }).delete();
    await addMemberships(app.rt, sub, [sam, zoe, bob]);
    await app.setRole(sam, 'moderator', sub);
    t.is((await app.decide('sam', `entity-${inGroup}`, 'ban', { reason: 'Across' }, '/n/partner')).status, 404);
    t.truthy(await app.db('memberships').where({ user_id: alice, network_id: app.root }).first('role'), 'nothing done across networks');
    const zoePost = await app.quickPost(zoe, 'Partner spam', 'members', { networkId: sub });
    t.is((await (await app.as('bob')).post(`/n/partner/moderation/report/entity/${zoePost}`, { reason: 'spam', note: '' })).status, 303);
    t.regex((await (await app.as('sam')).agent.http.get('/n/partner/moderation')).text, /value="suspend"/);
    t.is((await app.decide('sam', `entity-${zoePost}`, 'suspend', { reason: 'Spam', days: '0' }, '/n/partner')).status, 303);
    const z = await app.db('users').where({ id: zoe }).first('status', 'suspended_until');
    t.deepEqual([z.status, z.suspended_until], ['suspended', null], 'until reactivated');
  },
);
