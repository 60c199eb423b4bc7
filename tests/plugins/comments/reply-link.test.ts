// A thread page carries one reply form, not one per comment (issue 18: a blog post's 59 reply
// forms, each with its CSRF token, were half of its 95 KB): each comment links to `?reply=<id>`,
// which opens that comment's form, without JavaScript, and the form comes back to the thread
// without the parameter. The thread itself (top-level comments, replies, authors, the pager's
// total and the count) is read in one statement.
import { eachSocialApp } from './support';
import { encodeCursor } from '../../../core';
import { relLink } from '../../helpers/api-clients';
import { statementsDuring } from '../../helpers/statements';

/** The forms inside the comments panel of entity `id`. */
const threadForms = (html: string, id: number): number => {
  const start = html.indexOf(`id="comments-${id}"`);
  return (html.slice(start, html.indexOf('</section>', start)).match(/<form /g) ?? []).length;
};

eachSocialApp('a thread page has one form and a reply link per comment; ?reply= opens that one reply form', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  await app.member('bob', 'Bob Builder');
  const note = await app.note(alice, 'members');
  const b = await app.as('bob');
  const page = `/fixture/entities/${note}`;
  for (let i = 0; i < 3; i++) t.is((await b.post(`/entities/${note}/comments`, { body: `Comment ${i}`, next: page })).status, 303);
  const [first, , third] = (await app.db('comments').where({ entity_id: note }).orderBy('id').select('id')).map((r) => Number(r.id));
  await b.post(`/entities/${note}/comments`, { body: 'A reply', parent: String(first), next: page });

  const a = await app.as('alice');
  const plain = await a.agent.http.get(page);
  t.is(plain.status, 200);
  // Handlebars escapes `=` in attributes (`&#x3D;`), which browsers read back as `=`.
  plain.text = plain.text.replaceAll('&#x3D;', '=');
  t.is((plain.text.match(/class="comment"/g) ?? []).length, 4);
  t.is(threadForms(plain.text, note), 1, 'the thread has one form: the new comment');
  t.notRegex(plain.text, /name="parent"/);
  t.is((plain.text.match(/class="btn btn-ghost btn-sm comment__reply" href="[^"]*\?reply=\d+#comment-reply-\d+"/g) ?? []).length, 4);
  t.regex(plain.text, new RegExp(`href="${page}\\?reply=${third}#comment-reply-${third}"`));

  const open = await a.agent.http.get(`${page}?reply=${third}`);
  t.is(open.status, 200);
  t.is((open.text.match(/name="parent"/g) ?? []).length, 1, 'one reply form');
  t.regex(open.text, new RegExp(`<input type="hidden" name="parent" value="${third}">`));
  t.regex(open.text, new RegExp(`id="comment-reply-${third}"[^>]*autofocus`));
  t.regex(open.text, new RegExp(`name="next" value="${page}#comments-${note}"`), 'the forms come back without ?reply=');
  t.notRegex(open.text, /name="next" value="[^"]*reply=/);
  t.regex(open.text, new RegExp(`<a class="btn btn-ghost btn-sm" href="${page}#comment-${third}">Cancel</a>`), 'Cancel closes the form');

  const posted = await a.post(`/entities/${note}/comments`, { body: 'Alice answers', parent: String(third), next: `${page}#comments-${note}` });
  t.is(posted.status, 303);
  t.regex(posted.headers.location, new RegExp(`^${page}#comment-\\d+$`));
  const after = await a.agent.http.get(page);
  t.regex(after.text, new RegExp(`id="comment-${third}"[\\s\\S]*comment__replies[\\s\\S]*Alice answers`));

  // Nonsense or someone else's thread: no form opens, the page still answers.
  for (const q of ['abc', '0', '99999999', String(-1)]) {
    const res = await a.agent.http.get(`${page}?reply=${q}`);
    t.is(res.status, 200, q);
    t.notRegex(res.text, /name="parent"/, q);
  }
  // A member who may not comment gets links to nothing: neither links nor forms.
  await app.rt.permissions.setGrant(app.root, 'comments.write', 'member', false);
  const readOnly = await a.agent.http.get(`${page}?reply=${third}`);
  t.notRegex(readOnly.text, /name="parent"|comment__reply/);
});

eachSocialApp('an entity page reads its thread (comments, replies, authors, pager total, count) in one statement', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const fans: number[] = [];
  for (let i = 0; i < 3; i++) fans.push(await app.member(`fan${i}`, `Fan ${i}`));
  const note = await app.note(alice, 'members');
  const now = Date.now();
  const tops: number[] = [];
  for (let i = 0; i < 25; i++) {
    const [r] = await app
      .db('comments')
      .insert({ entity_id: note, network_id: app.root, author_id: fans[i % 3], parent_id: null, body: `Top ${i}`, created_at: now + i })
      .returning('id');
    tops.push(Number(typeof r === 'object' ? r.id : r));
  }
  await app
    .db('comments')
    .insert({ entity_id: note, network_id: app.root, author_id: alice, parent_id: tops[1], body: 'Reply to 1', created_at: now });
  await app.db('comment_counts').insert({ entity_id: note, n: 26 });
  const a = await app.as('alice');
  // The search index reads an entity's comments when it indexes it (in the background): not the page's statements.
  const { value: res, sql: statements } = await statementsDuring(app.rt, () => a.agent.http.get(`/fixture/entities/${note}`));
  t.is(res.status, 200);
  t.regex(res.text, /26 comments/);
  const later = relLink(res.text, 'next')!;
  t.regex(later, /\?comments_after=[A-Za-z0-9_-]+#comments-/);
  t.regex(res.text, /Top 19[\s\S]*comments__pager/);
  t.notRegex(res.text, /Top 20/);
  t.regex(res.text, /Fan 0[\s\S]*Fan 1[\s\S]*Fan 2/);
  t.regex(res.text, /Top 1<[\s\S]*comment__replies[\s\S]*Alice[\s\S]*Reply to 1/);
  const thread = statements.filter((s) => /\bcomments\b|comment_counts/.test(s));
  t.is(thread.length, 1, thread.join('\n'));

  // An old numbered link opens the first page; past the last comment, nothing listed, a link back to the first page.
  t.regex((await a.agent.http.get(`/fixture/entities/${note}?comments_page=5`)).text, /Top 0<[\s\S]*Top 19<[\s\S]*comments__pager/);
  const past = await a.agent.http.get(`/fixture/entities/${note}?comments_after=${encodeCursor([tops[24]])}`);
  t.is(past.status, 200);
  t.notRegex(past.text, /Top \d+</);
  t.regex(past.text, /26 comments/);
  t.is(relLink(past.text, 'prev'), `/fixture/entities/${note}#comments-${note}`);
});
