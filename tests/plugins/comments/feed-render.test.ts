// Comments in a feed are rendered through the app's bounded Markdown cache (rt.markdown):
// a feed shows the same comments on every view, and rendering them again was a tenth of a
// feed page's CPU. The cache is keyed by the text itself, so an edit shows at once.
import { eachSocialApp } from './support';

eachSocialApp('feed comments are rendered through the app cache, and an edit shows at once', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const note = await app.note(alice, 'members');
  const b = await app.as('bob');
  const feedPath = `/fixture/entities?ids=${note}`;
  t.is((await b.post(`/entities/${note}/comments`, { body: 'A **first** thought' })).status, 303);

  const before = app.rt.markdown.cached;
  const first = await b.agent.http.get(feedPath);
  t.regex(first.text, /A <strong>first<\/strong> thought/);
  t.is(app.rt.markdown.cached, before + 1, 'the comment was rendered through the cache');
  await b.agent.http.get(feedPath);
  t.is(app.rt.markdown.cached, before + 1, 'and found there the second time');

  const id = Number((await app.db('comments').where({ entity_id: note }).first('id')).id);
  t.is((await b.post(`/comments/${id}/edit`, { body: 'A _second_ thought' })).status, 303);
  const edited = await b.agent.http.get(feedPath);
  t.regex(edited.text, /A <em>second<\/em> thought/);
  t.notRegex(edited.text, /<strong>first<\/strong>/);

  const other = await app.note(alice, 'members');
  const both = await b.agent.http.get(`/fixture/entities?ids=${note},${other}`);
  t.is(both.text.match(/comments\.css/g)?.length, 1, 'the stylesheet once, not once per card');
});
