// Issue 27 item 10, the wording of feed lines and notifications: a comment on one's own post
// says so ("commented on their own post", not "on a post by Alice Dupont"), and a reaction is
// notified by its name ("reacted to your post: Insightful", not "liked your post"), in
// English and French; French elides ("Billets d’Alice") and names the chat "Chat", not
// "Discussion" beside the forum's "Discussions".
import { eachActApp } from './support';

eachActApp('own posts and reaction names are worded as they are, in English and French', async (t, app) => {
  const alice = await app.member('alice', 'Alice Dupont');
  await app.member('bob', 'Bob Martin');
  const post = await app.post('alice', 'Fire drill at 3 pm');
  const a = await app.as('alice');
  t.is((await a.post(`/entities/${post}/comments`, { body: 'Meet at the car park.' })).status, 303);
  const b = await app.as('bob');
  t.is((await b.post(`/entities/${post}/react`, { reaction: 'insightful', next: `/status/${post}` })).status, 303);

  let feed = await b.agent.http.get('/activity');
  t.regex(feed.text, /commented on their own post/);
  t.notRegex(feed.text, /commented on a post by Alice Dupont/);
  // Someone else's comment: "on your post" to its owner, "on a post by Alice Dupont" to others.
  const other = await app.post('alice', 'Lunch on Friday?');
  t.is((await b.post(`/entities/${other}/comments`, { body: 'Count me in.' })).status, 303);
  await app.member('cleo', 'Cleo Roy');
  const c = await app.as('cleo');
  t.regex((await c.agent.http.get('/activity')).text, /commented on a post by Alice Dupont/);
  t.regex((await a.agent.http.get('/activity')).text, /commented on your post/);
  let list = await a.agent.http.get('/notifications');
  t.regex(list.text, /Bob Martin reacted to your post: Insightful/);
  t.notRegex(list.text, /liked your post/);

  await app.app.ruche.users.setLocale(alice, 'fr');
  list = await a.agent.http.get('/notifications');
  t.regex(list.text, /Bob Martin a réagi à votre publication : Instructif/);
  feed = await a.agent.http.get('/activity');
  t.regex(feed.text, /a commenté votre publication/);
  t.regex((await b.agent.http.get('/activity')).text, /a commenté sa propre publication|commented on their own post/);
  // French elides before a vowel (core i18n, every string): "Billets d’Alice", not "de Alice".
  const blogs = await a.agent.http.get('/blogs/by/alice');
  t.regex(blogs.text, /Billets d’Alice Dupont/);
  t.notRegex(blogs.text, /Billets de Alice/);
  // The chat is not called "Discussion" beside the forum's "Discussions".
  t.regex(feed.text, />\s*Chat\s*</);
  t.notRegex(feed.text, />\s*Discussion\s*</);
});
