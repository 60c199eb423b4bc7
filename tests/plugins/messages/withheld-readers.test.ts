// A message a moderator hid (issue 22), over HTTP for each reader: its author and a moderator of the
// network taking part read it marked (the page, the API's `withheld`, the inbox's excerpt, the
// search, their data export); a plain participant and a moderator of another network taking part
// read that it was hidden and nothing of it; a moderator who takes no part is never let in (404),
// however the message is addressed.
import { withholdPiece, type MemberDataPart } from '../../../core';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { eachMsgApp, type MsgApp } from './support';

const SECRET = 'cheap watches';

const exported = async (app: MsgApp, userId: number): Promise<Record<string, unknown>[]> => {
  const parts = (await app.rt.hooks.filter('member:export', [] as MemberDataPart[], { rt: app.rt, userId })) as MemberDataPart[];
  return parts.find((p) => p.plugin === 'messages' && p.name === 'messages')!.rows;
};

eachMsgApp(
  'messages: a hidden message reads marked for its author and a moderator taking part, as a placeholder for the others, nowhere for a moderator outside',
  async (t, app) => {
    const [bob, mona, carol, pete, nick] = await app.members('bob', 'mona', 'carol', 'pete', 'nick');
    await app.db('memberships').whereIn('user_id', [mona, nick]).where({ network_id: 1 }).update({ role: 'moderator' });
    await addMemberships(app.rt, await addSubNetwork(app.rt, 'partner', 'Partner'), [pete], 'moderator');
    const id = await app.start(bob, ['mona', 'carol', 'pete'], 'Hello all');
    await app.service.send(await app.viewer(bob), 1, id, `Buy ${SECRET} here`);
    const message = Number((await app.db('messages').where({ conversation_id: id, seq: 2 }).first('id')).id);
    await app.db.transaction((trx) => withholdPiece(app.rt, 'message', message, true, trx));

    const readers = { bob, mona, carol, pete };
    for (const [who, userId] of Object.entries(readers)) {
      const reads = who === 'bob' || who === 'mona';
      const agent = (await app.as(who)).agent.http;
      const pageText = (await agent.get(`/messages/${id}`)).text;
      t.is(pageText.includes(SECRET), reads, `${who}: the page`);
      t.is(/Hidden by a moderator\.<\/strong>/.test(pageText), reads, `${who}: marked`);
      t.is(pageText.includes('This message was hidden by a moderator.'), !reads, `${who}: the placeholder`);

      const api = await agent.get(`/api/v1/conversations/${id}`);
      t.is(api.status, 200, who);
      const m = (api.body.messages as { seq: number; body: string; withheld: boolean; deleted: boolean }[]).find((x) => x.seq === 2)!;
      t.deepEqual(
        { body: m.body.includes(SECRET), withheld: m.withheld, deleted: m.deleted },
        { body: reads, withheld: reads, deleted: !reads },
        `${who}: the API`,
      );
      const inbox = await agent.get('/api/v1/conversations');
      t.is(JSON.stringify(inbox.body).includes(SECRET), reads, `${who}: the API's inbox`);
      t.is((await agent.get('/messages')).text.includes(SECRET), reads, `${who}: the inbox's excerpt`);
      t.is((await agent.get('/messages/search?q=watches')).text.includes(SECRET), reads, `${who}: the search`);
      const rows = await exported(app, userId);
      const row = rows.find((r) => Number(r.seq) === 2 && Number(r.conversation_id) === id);
      t.is(!!row && String(row.body).includes(SECRET), reads, `${who}: the export`);
      if (row) t.truthy(Number(row.withheld), `${who}: marked in the export`);
      t.is(rows.length, reads ? 2 : 1, `${who}: the export's messages`);
    }

    const outside = (await app.as('nick')).agent.http;
    t.is((await outside.get(`/messages/${id}`)).status, 404);
    t.is((await outside.get(`/api/v1/conversations/${id}`)).status, 404);
    t.false((await outside.get('/messages/search?q=watches')).text.includes(SECRET));
    t.false(JSON.stringify(await exported(app, nick)).includes(SECRET));
  },
);
