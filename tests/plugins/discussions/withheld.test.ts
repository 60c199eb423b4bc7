// Replies a moderator hid (issue 22) are their author's and the network's moderators' only, and the
// statements that read a topic apply that rule themselves (plugins/discussions/reading.ts): a page
// of replies is full of what the reader sees, the topic's reply count and pager count what they
// see, a reply's permalink lands on the reader's page holding it, and the accepted answer and the
// topic's last reply never point at a reply hidden from the reader. Others (a member, a guest, a
// suspended member) never read its text, on the page or in the API.
import { withholdPiece } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { bulkReplies, discApp } from './support';

const positions = (text: string) => [...text.matchAll(/<p>Reply number (\d+)<\/p>/g)].map((m) => Number(m[1]));
const HIDDEN = [2, 7, 12];

eachApp(
  'discussions: a page of replies is full of what the reader sees, counts, pager, permalinks and the answer are theirs',
  discApp,
  async (t, app) => {
    await app.allowGuests(true);
    await app.rt.pluginState.configure('discussions', { repliesPerPage: 5 });
    const ann = await app.member('ann');
    const bob = await app.member('bob');
    await app.member('carol');
    await app.member('mona', { role: 'moderator' });
    const samId = await app.member('sam');
    const topicId = await app.topic(ann, { title: 'Walks', access: 'public' });
    // Twelve replies of Ann's, then Bob's at positions 2, 7 and 12, which Mona hides (7 is the accepted answer).
    const ids = await bulkReplies(app.db, topicId, [ann], 12);
    const hidden = HIDDEN.map((p) => ids[p - 1]);
    await app.db('discussion_replies').whereIn('id', hidden).update({ author_id: bob });
    await app.db('discussion_topics').where({ entity_id: topicId }).update({ accepted_reply_id: ids[6] });
    for (const id of hidden) await app.db.transaction((trx) => withholdPiece(app.rt, 'reply', id, true, trx));
    const topic = await app.db('discussion_topics').where({ entity_id: topicId }).first('reply_count', 'last_reply_id');
    t.is(Number(topic.reply_count), 9, 'the counter leaves the hidden ones out');
    t.is(Number(topic.last_reply_id), ids[10], 'the last reply is the last one everybody sees');
    const sam = await app.as('sam');
    await app.rt.users.setStatus(samId, 'suspended');

    const others = [1, 3, 4, 5, 6, 8, 9, 10, 11];
    const all = Array.from({ length: 12 }, (_, i) => i + 1);
    const readers = [
      { who: 'member', get: (await app.as('carol')).agent.http, sees: false },
      { who: 'guest', get: app.guest().http, sees: false },
      { who: 'author', get: (await app.as('bob')).agent.http, sees: true },
      { who: 'moderator', get: (await app.as('mona')).agent.http, sees: true },
    ];
    for (const { who, get, sees } of readers) {
      const shown = sees ? all : others;
      const pages = Math.ceil(shown.length / 5);
      for (let page = 1; page <= pages; page++) {
        const res = await get.get(`/discussions/${topicId}?page=${page}`);
        t.is(res.status, 200, `${who}, page ${page}`);
        t.deepEqual(positions(res.text), shown.slice((page - 1) * 5, page * 5), `${who}: page ${page} is full of what they see`);
        t.true(res.text.includes(`page ${page} of ${pages}`), `${who}: page ${page} of ${pages}`);
        t.true(res.text.includes(`${shown.length} replies`), `${who}: the count is theirs`);
        t.is(res.text.includes('Hidden by a moderator.'), sees, `${who}: hidden ones marked`);
        t.is(res.text.includes('data-answered'), sees, `${who}: the answer is linked only to those who see it`);
        // "Report" on others' replies, never on one hidden already (the moderator sees them).
        if (who === 'moderator')
          for (const p of shown.slice((page - 1) * 5, page * 5))
            t.is(res.text.includes(`report/piece/reply/${ids[p - 1]}?`), !HIDDEN.includes(p), `moderator: Report on reply ${p}`);
        // "Mark as answer" neither: a hidden reply is no answer the others could read.
        if (who === 'moderator')
          for (const p of shown.slice((page - 1) * 5, page * 5))
            t.is(res.text.includes(`/discussions/replies/${ids[p - 1]}/accept"`), !HIDDEN.includes(p), `moderator: Mark as answer on reply ${p}`);
      }
      const api = await get.get(`/api/v1/discussions/${topicId}?page=2`);
      t.is(api.status, 200, who);
      t.deepEqual(
        api.body.replies.map((r: { position: number }) => r.position),
        shown.slice(5, 10),
        `${who}: the API's page 2`,
      );
      t.is(api.body.pages, pages, who);
      t.is(api.body.topic.replyCount, shown.length, who);
      t.is(api.body.topic.acceptedReplyId, sees ? ids[6] : null, who);
      t.deepEqual(
        api.body.replies.filter((r: { withheld?: boolean }) => r.withheld).map((r: { id: number }) => r.id),
        sees ? [ids[6]] : [],
        `${who}: the API marks a hidden reply`,
      );
      // The topic lists count what the reader sees too.
      t.true((await get.get('/discussions')).text.includes(`${shown.length} replies`), `${who}: the list's count`);
      const listed = await get.get('/api/v1/discussions');
      t.is(listed.body.topics.find((i: { id: number }) => i.id === topicId)?.replyCount, shown.length, `${who}: the API list's count`);
      // Reply 11 is the reader's 9th (page 2) for others, their 11th (page 3) for those who see all.
      const link = await get.get(`/discussions/replies/${ids[10]}`);
      t.is(link.status, 303, who);
      t.is(link.headers.location, `/discussions/${topicId}?page=${sees ? 3 : 2}#reply-${ids[10]}`, `${who}: the permalink's page is theirs`);
      const gone = await get.get(`/discussions/replies/${ids[6]}`);
      t.is(String(gone.headers.location ?? '').endsWith(`#reply-${ids[6]}`), sees, `${who}: a hidden reply's permalink (${gone.status})`);
    }
    // A suspended member is never answered the hidden text.
    for (const path of [`/discussions/${topicId}`, `/discussions/${topicId}?page=2`, `/api/v1/discussions/${topicId}`]) {
      const res = await sam.agent.http.get(path);
      t.true(res.status < 500, `suspended: ${path} ${res.status}`);
      t.false(
        positions(res.text).some((p) => HIDDEN.includes(p)),
        `suspended: ${path}`,
      );
    }

    // Marking a hidden reply as the answer is refused with a message; the answer stays.
    const mona = await app.as('mona');
    const refused = await mona.post(`/discussions/replies/${hidden[0]}/accept`);
    t.is(refused.status, 409);
    t.true(refused.text.includes('A reply hidden by a moderator cannot be the accepted answer.'));
    t.is(Number((await app.db('discussion_topics').where({ entity_id: topicId }).first('accepted_reply_id')).accepted_reply_id), ids[6]);
    t.is((await mona.post(`/discussions/replies/${ids[0]}/accept`)).status, 303, 'a reply everybody sees may be');

    // Shown again, the reply counts and is the last one again.
    await app.db.transaction((trx) => withholdPiece(app.rt, 'reply', hidden[2], false, trx));
    const after = await app.db('discussion_topics').where({ entity_id: topicId }).first('reply_count', 'last_reply_id');
    t.is(Number(after.reply_count), 10);
    t.is(Number(after.last_reply_id), ids[11]);
  },
);
