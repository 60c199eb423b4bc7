/**
 * Comments and discussion replies are searched with their parent: a word said only in a
 * comment or a reply finds the post or the topic, for those who may see it — and follows
 * the comment's edits and deletion, and the parent's access when it changes.
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { createMember, pageAgent, signedIn, testContainer } from '../../helpers/members';
import { discApp } from '../discussions/support';
import { markersIn, statusPost, tabCounts } from './support';

eachApp('a comment finds its post, follows its edits and deletion, and the post access', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await createMember(rt, 'olga');
  await createMember(rt, 'mia');
  await createMember(rt, 'fred');
  const post = await statusPost(rt, olga, 'Lunch plans mkpost');
  const mia = pageAgent(await signedIn(app, 'mia'), '/');
  const asFred = await signedIn(app, 'fred');
  const asOlga = await signedIn(app, 'olga');
  const found = async (agent: typeof asFred, q: string): Promise<{ markers: string[]; posts: number | undefined }> => {
    const res = await agent.http.get(`/search?q=${encodeURIComponent(q)}&tab=posts`);
    t.is(res.status, 200);
    return { markers: markersIn(res.text), posts: tabCounts(res.text).Posts };
  };

  const made = await mia.post(`/entities/${post}/comments`, { body: 'The platypus café opens at noon' });
  t.is(made.status, 303);
  const commentId = Number(/#comment-(\d+)/.exec(String(made.headers.location))![1]);
  t.deepEqual(await found(asFred, 'platypus'), { markers: ['mkpost'], posts: 1 }, 'a word of the comment finds the post');
  t.deepEqual(await found(asFred, 'cafe'), { markers: ['mkpost'], posts: 1 }, 'accents folded');

  t.is((await mia.post(`/comments/${commentId}/edit`, { body: 'The echidna bistro opens at noon' })).status, 303);
  t.deepEqual(await found(asFred, 'platypus'), { markers: [], posts: 0 }, 'the edited words are gone');
  t.deepEqual(await found(asFred, 'echidna'), { markers: ['mkpost'], posts: 1 }, 'the new ones are found');

  // The post made private: its comments are found by its owner only (access is read at query time).
  await rt.entities.update(post, { access: 'private' });
  t.deepEqual(await found(asFred, 'echidna'), { markers: [], posts: 0 }, 'a member no longer finds it');
  t.deepEqual(await found(asOlga, 'echidna'), { markers: ['mkpost'], posts: 1 }, 'its owner still does');
  await rt.entities.update(post, { access: 'members' });

  t.is((await mia.post(`/comments/${commentId}/delete`, {})).status, 303);
  t.deepEqual(await found(asOlga, 'echidna'), { markers: [], posts: 0 }, 'a deleted comment says nothing');
  t.deepEqual(await found(asOlga, 'lunch'), { markers: ['mkpost'], posts: 1 }, 'the post is still found by its own words');
});

eachApp('a reply finds its topic for those who may see it', discApp, async (t, app) => {
  const rt = app.rt;
  const olga = await createMember(rt, 'olga');
  const cora = await createMember(rt, 'cora');
  await createMember(rt, 'mia');
  const group = await testContainer(rt, olga, [cora]);
  const open = await app.topic(olga, { title: 'Printer mkopen', body: 'Where is it?' });
  const closed = await app.topic(olga, { title: 'Budget mkgroup', body: 'Numbers', access: 'group', containerId: group });
  await app.reply(cora, open, 'Near the kangaroo statue');
  const replyId = await app.reply(cora, closed, 'Ask the kangaroo team');
  const search = async (name: string): Promise<string[]> => markersIn((await (await signedIn(app, name)).http.get('/search?q=kangaroo')).text);
  t.deepEqual(await search('cora'), ['mkgroup', 'mkopen'], 'a group member');
  t.deepEqual(await search('mia'), ['mkopen'], 'a member outside the group');
  await app.replies.remove((await app.replies.find(replyId))!);
  t.deepEqual(await search('cora'), ['mkopen'], 'a deleted reply says nothing');
});
