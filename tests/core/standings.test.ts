// What an open socket re-reads of its member (core Users.standings, core standingNow): status,
// roles and, for a bot scoped to groups, the groups it acts in now — changed on its admin page
// after the socket opened, they count from the next read (issue 22).
import { standingNow, type MemberSocket } from '../../core';
import { makeApp } from '../helpers/app';
import { eachApp } from '../helpers/each-app';
import { createMember, testContainer } from '../helpers/members';

eachApp('standings: a bot’s groups as they are now, a person’s roles and status', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const root = rt.networks.root().id;
  const olga = await createMember(rt, 'olga');
  const [first, second] = [await testContainer(rt, olga, []), await testContainer(rt, olga, [])];
  const input = { displayName: 'CI Bot', username: 'ci-bot', description: '', scope: 'groups' } as const;
  const bot = await rt.db.transaction((trx) => rt.bots.create(trx, root, { ...input, networkIds: [], groupIds: [first] }, olga));
  const botViewer = (await rt.users.viewer(bot))!;
  t.deepEqual(botViewer.containers, [first]);

  // Its groups changed on the admin page after the socket opened: the socket acts in the new ones.
  const row = (await rt.bots.get(root, bot))!;
  await rt.db.transaction((trx) => rt.bots.update(trx, row, { ...input, networkIds: [], groupIds: [second] }));
  const socket = { viewer: botViewer } as unknown as MemberSocket;
  const [now] = await standingNow(rt.users, [socket], () => t.fail('the bot is active'));
  t.deepEqual(now.viewer.containers, [second]);

  // A person: no groups limit; suspended, the socket is ended.
  const person = { viewer: (await rt.users.viewer(olga))! } as unknown as MemberSocket;
  t.false('containers' in (await rt.users.standings([olga])).get(olga)!);
  await rt.users.setStatus(olga, 'suspended');
  const ended: MemberSocket[] = [];
  t.deepEqual(await standingNow(rt.users, [person], (c) => ended.push(c)), []);
  t.deepEqual(ended, [person]);
});
