// Watched words: the matching (accents and case folded, whole words, phrases, `*` words,
// expressions, replacements, a list of 1,000+ words), the admin page (admins only, its own
// network only, refused input kept, audited), and the four actions on posts through the core's
// `content:saving` screening: block (the form refused, the text kept), replace, flag (published
// and queued), hold (seen by its author only, marked, until a moderator publishes it).
import test from 'ava';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { fold, WatchList, type WatchedWord } from '../../../plugins/moderation/watched-words';
import { eachModApp, openReportsOn } from './support';

const list = (...words: [string, WatchedWord['action'], string?][]) =>
  new WatchList(words.map(([pattern, action, replacement = '']) => ({ pattern, action, replacement })));

test('folding: case and French accents, ligatures', (t) => {
  t.is(fold('Écrire À LA Façon DE Noël'), 'ecrire a la facon de noel');
  t.is(fold('Cœur'), 'coeur');
});

test('whole words, both ways accent-free; phrases; never inside a longer word', (t) => {
  const l = list(['idiot', 'block'], ['fête nulle', 'flag'], ['écrire', 'hold']);
  t.deepEqual(l.screen('Quel IDIOT !').found.block, ['IDIOT']);
  t.is(l.screen('idiotic and idiots').action, null, 'not inside longer words');
  t.deepEqual(l.screen('Une Fete   NULLE hier').found.flag, ['Fete   NULLE']);
  t.deepEqual(l.screen('ECRIRE vite').found.hold, ['ECRIRE'], 'the list with accents, the text without');
  t.is(l.screen('Rien à signaler').action, null);
  t.is(l.screen('idiot, écrire').action, 'block', 'the strongest action wins');
});

test('`*` words and expressions; replacements keep the text around them, accents included', (t) => {
  const l = list(['spam*', 'flag'], ['/casino\\d+/', 'block'], ['zut', 'replace', 'z*t'], ['mince', 'replace']);
  t.deepEqual(l.screen('Spammers spam').found.flag, ['Spammers', 'spam']);
  t.is(l.screen('casino77 ici').action, 'block');
  t.is(l.screen('casino ici').action, null);
  const r = l.screen('Zut alors, MINCE, l’été !');
  t.is(r.action, 'replace');
  t.is(r.text, 'z*t alors, *****, l’été !');
  t.is(list(['ete', 'replace', 'X']).screen('Bel été, bel ÉTÉ.').text, 'Bel X, bel X.', 'spans of accented originals');
});

test('a list of 1,200 words screens a long post correctly', (t) => {
  const words: [string, WatchedWord['action']][] = [];
  for (let i = 0; i < 1200; i++) words.push([`mot${i}x`, i % 2 ? 'flag' : 'hold']);
  words.push(['dernier', 'block']);
  const l = list(...words);
  const text = `${'Un texte ordinaire sans rien de particulier. '.repeat(60)} mot1199x et MOT0X`;
  const v = l.screen(text);
  t.deepEqual(v.found.flag, ['mot1199x']);
  t.deepEqual(v.found.hold, ['MOT0X']);
  t.is(l.screen(`${text} Dernier.`).action, 'block');
});

/** Adds words from the admin page as `username` (in `base`, the network's path). */
async function addWords(
  app: Parameters<Parameters<typeof eachModApp>[1]>[1],
  username: string,
  words: string,
  action: string,
  replacement = '',
  base = '',
) {
  return (await app.as(username)).post(`${base}/admin/moderation/words`, { words, action, replacement });
}

eachModApp('the admin page: admins only, refused input kept, a double add leaves one row, audited; another network untouched', async (t, app) => {
  const admin = await app.member('ada', 'Ada');
  await app.setRole(admin, 'admin');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  await app.member('bob', 'Bob');
  t.is((await (await app.as('bob')).agent.http.get('/admin/moderation/words')).status, 403, 'a member');
  t.is((await (await app.as('mona')).agent.http.get('/admin/moderation/words')).status, 403, 'a moderator');

  const bad = await addWords(app, 'ada', 'fine\n/unclosed(/', 'block');
  t.is(bad.status, 400);
  t.regex(bad.text, /Line 2: this regular expression is not valid\./);
  t.regex(bad.text, /fine\n\/unclosed\(\//, 'what was typed is kept');
  const noAction = await addWords(app, 'ada', 'fine', 'explode');
  t.is(noAction.status, 400);
  t.regex(noAction.text, /Choose what happens\./);

  const [a, b] = await Promise.all([addWords(app, 'ada', 'Casino\ncasino', 'block'), addWords(app, 'ada', 'casino', 'block')]);
  t.deepEqual([a.status, b.status], [303, 303]);
  t.is(Number((await app.db('moderation_watched_words').count({ n: '*' }).first())!.n), 1, 'one row per word');
  t.is((await addWords(app, 'ada', 'CASINO', 'flag')).status, 303);
  t.deepEqual(
    await app.db('moderation_watched_words').select('pattern', 'action'),
    [{ pattern: 'CASINO', action: 'flag' }],
    'adding again changes the action',
  );
  const page = await (await app.as('ada')).agent.http.get('/admin/moderation/words');
  t.regex(page.text, /<code>CASINO<\/code>/);
  t.regex(page.text, /1 watched word/);
  const audit = await app.db('audit_log').where('action', 'like', 'moderation.words.%').orderBy('id').select('action', 'actor_id');
  t.true(audit.length >= 3);
  t.true(audit.every((r) => r.action === 'moderation.words.add' && Number(r.actor_id) === admin));

  // An admin of another network sees and changes only theirs.
  const sub = await addSubNetwork(app.rt, 'partner');
  const sam = await app.member('sam', 'Sam');
  await addMemberships(app.rt, sub, [sam], 'admin');
  const theirs = await (await app.as('sam')).agent.http.get('/n/partner/admin/moderation/words');
  t.is(theirs.status, 200);
  t.notRegex(theirs.text, /CASINO/);
  const id = (await app.db('moderation_watched_words').first('id'))!.id;
  const removed = await (await app.as('sam')).post(`/n/partner/admin/moderation/words/${id}/remove`);
  t.is(removed.status, 404);
  t.is(Number((await app.db('moderation_watched_words').count({ n: '*' }).first())!.n), 1, 'not removed from another network');
  const [r1, r2] = await Promise.all([
    (await app.as('ada')).post(`/admin/moderation/words/${id}/remove`),
    (await app.as('ada')).post(`/admin/moderation/words/${id}/remove`),
  ]);
  t.deepEqual([r1.status, r2.status], [303, 303], 'a double submit answers as the first');
  t.is(Number((await app.db('moderation_watched_words').count({ n: '*' }).first())!.n), 0);
  // The removal and its audit entry are one transaction: the second submit removed nothing and records nothing.
  const removals = await app.db('audit_log').where({ action: 'moderation.words.remove', actor_id: admin }).select('before');
  t.is(removals.length, 1, 'one removal, one audit entry');
  t.like(JSON.parse(String(removals[0].before)), { pattern: 'CASINO' });
});

eachModApp('block refuses the post with the text kept; replace rewrites it; both on edits too; other networks unaffected', async (t, app) => {
  const admin = await app.member('ada', 'Ada');
  await app.setRole(admin, 'admin');
  await app.member('bob', 'Bob');
  t.is((await addWords(app, 'ada', 'arnaque', 'block')).status, 303);
  t.is((await addWords(app, 'ada', 'zut', 'replace', 'z*t')).status, 303);
  const b = await app.as('bob');
  const refused = await b.post('/status', { body: 'Une ARNAQUÉ totale, croyez-moi', access: 'members' });
  t.is(refused.status, 400);
  t.regex(refused.text, /This text contains a word not allowed in this network: ARNAQUÉ\. Change it to post\./);
  t.regex(refused.text, /Une ARNAQUÉ totale, croyez-moi/, 'the text is kept');
  t.is(Number((await app.db('status_posts').count({ n: '*' }).first())!.n), 0);

  const fr = await app.as('bob');
  await app.db('users').where({ username: 'bob' }).update({ locale: 'fr' });
  const refusedFr = await fr.post('/status', { body: 'arnaque', access: 'members' });
  t.regex(refusedFr.text, /Ce texte contient un mot interdit dans ce réseau : arnaque\./);
  await app.db('users').where({ username: 'bob' }).update({ locale: 'en' });

  const id = await app.post('bob', 'Zut, encore raté');
  t.is((await app.db('status_posts').where({ entity_id: id }).first('body'))!.body, 'z*t, encore raté');
  const edit = await b.post(`/status/${id}/edit`, { body: 'Et zut. Une arnaque' });
  t.is(edit.status, 400);
  t.regex(edit.text, /Et zut\. Une arnaque/);
  t.is((await b.post(`/status/${id}/edit`, { body: 'Et ZUT.' })).status, 303);
  t.is((await app.db('status_posts').where({ entity_id: id }).first('body'))!.body, 'Et z*t.');

  const sub = await addSubNetwork(app.rt, 'partner');
  await addMemberships(app.rt, sub, [(await app.db('users').where({ username: 'bob' }).first('id'))!.id]);
  t.is((await b.post('/n/partner/status', { body: 'arnaque et zut', access: 'members' })).status, 303, 'the words are per network');
});

eachModApp('flag publishes and queues; hold shows it to its author only, marked, until a moderator publishes it', async (t, app) => {
  const admin = await app.member('ada', 'Ada');
  await app.setRole(admin, 'admin');
  const bob = await app.member('bob', 'Bob');
  await app.member('carol', 'Carol');
  const mod = await app.member('mona', 'Mona');
  await app.setRole(mod, 'moderator');
  t.is((await addWords(app, 'ada', 'loterie', 'flag')).status, 303);
  t.is((await addWords(app, 'ada', 'crypto*', 'hold')).status, 303);
  const c = await app.as('carol');

  const flagged = await app.post('bob', 'Gagnez à la Loterie');
  t.is((await c.agent.http.get(`/status/${flagged}`)).status, 200, 'a flagged post is published');
  const reports = await openReportsOn(app.db, 'entity', flagged);
  t.deepEqual(
    reports.map((r) => [Number(r.reporter_id), r.reason]),
    [[bob, 'watched']],
  );
  t.regex(reports[0].note, /^Loterie: Gagnez à la Loterie$/);

  const held = await app.post('bob', 'Investissez en CRYPTOMONNAIE');
  t.is((await c.agent.http.get(`/status/${held}`)).status, 404, 'nobody else sees a held post');
  t.notRegex((await c.agent.http.get('/activity')).text, /CRYPTOMONNAIE/);
  const own = await (await app.as('bob')).agent.http.get(`/status/${held}`);
  t.is(own.status, 200);
  t.regex(own.text, /Waiting for a moderator’s review\./);
  t.deepEqual(
    await (await app.as('bob')).agent.http.get('/moderation/mine').then((r: { text: string }) => /Watched words/.test(r.text)),
    false,
    'not listed as the author’s reports',
  );

  const queue = await (await app.as('mona')).agent.http.get('/moderation');
  t.regex(queue.text, /Watched words × 1/);
  t.regex(queue.text, /Investissez en CRYPTOMONNAIE/);
  t.notRegex(queue.text, /Reported by/, 'the author is not named as a reporter');
  t.regex(queue.text, /Waiting for review/);
  const item = queue.text.slice(queue.text.indexOf(`data-target="entity-${held}"`));
  const form = item.slice(0, item.indexOf('</form>'));
  t.regex(form, /value="approve"/);
  t.notRegex(form, /value="dismiss"/, 'a held post waits for a decision');

  t.is((await app.decide('mona', `entity-${held}`, 'approve', { tell: '1' })).status, 303);
  t.is((await c.agent.http.get(`/status/${held}`)).status, 200, 'published once approved');
  t.deepEqual(await openReportsOn(app.db, 'entity', held), []);
  t.is(
    Number((await app.db('notifications').where({ user_id: bob, kind: 'moderation.outcome' }).count({ n: '*' }).first())!.n),
    0,
    'the author is not told as a reporter',
  );
  const audit = await app
    .db('audit_log')
    .where({ action: 'moderation.approve', object_id: String(held) })
    .first('before', 'after');
  t.deepEqual(JSON.parse(audit.before), { reports: 1, deleted: false, hidden: true, held: true });
  t.deepEqual(JSON.parse(audit.after), { reports: 0, deleted: false, hidden: false });
});

eachModApp('every kind of content goes through the screening: topics, blog posts, replies, comments, messages', async (t, app) => {
  const admin = await app.member('ada', 'Ada');
  await app.setRole(admin, 'admin');
  const bob = await app.member('bob', 'Bob');
  await app.member('carol', 'Carol');
  t.is((await addWords(app, 'ada', 'arnaque', 'block')).status, 303);
  t.is((await addWords(app, 'ada', 'zut', 'replace')).status, 303);
  t.is((await addWords(app, 'ada', 'loterie', 'flag')).status, 303);
  t.is((await addWords(app, 'ada', 'bitcoin', 'hold')).status, 303);
  const b = await app.as('bob');

  // Articles (the core's article form): the title and the body, the member's words kept.
  const topic = await b.post('/discussions', { title: 'Une arnaque ?', body: 'Regardez', access: 'members' });
  t.is(topic.status, 400);
  t.regex(topic.text, /This text contains a word not allowed in this network: arnaque\./);
  t.regex(topic.text, /value="Une arnaque \?"/);
  const blog = await b.post('/blogs', { title: 'Billet', body: 'Zut et ARNAQUE', access: 'members', status: 'published', tags: '' });
  t.is(blog.status, 400);
  t.regex(blog.text, /Zut et ARNAQUE/);
  const held = await b.post('/discussions', { title: 'Achetez du Bitcoin', body: 'zut', access: 'members' });
  t.is(held.status, 303);
  const topicId = Number(/\/discussions\/(\d+)/.exec(held.headers.location)![1]);
  t.is((await app.db('discussion_topics').where({ entity_id: topicId }).first('body'))!.body, '***');
  t.is((await (await app.as('carol')).agent.http.get(`/discussions/${topicId}`)).status, 404, 'a held topic waits for review');
  t.is((await app.db('moderation_hidden').where({ entity_id: topicId }).first('held'))!.held ? 1 : 0, 1);

  // Pieces inside an entity: replies and comments; flagged, they queue their entity.
  const post = await app.post('carol', 'Un statut ordinaire');
  const comment = await b.post(`/entities/${post}/comments`, { body: 'arnaque !' });
  t.is(comment.status, 422);
  t.regex(comment.text, /arnaque !/, 'the comment is kept');
  t.is((await b.post(`/entities/${post}/comments`, { body: 'Gagné à la loterie, zut' })).status, 303);
  t.is((await app.db('comments').where({ entity_id: post }).first('body'))!.body, 'Gagné à la loterie, ***');
  const queued = await openReportsOn(app.db, 'entity', post);
  t.deepEqual(
    queued.map((r) => [Number(r.reporter_id), r.reason, r.note]),
    [[bob, 'watched', 'loterie: Gagné à la loterie, ***']],
  );
  t.is((await (await app.as('carol')).agent.http.get(`/status/${post}`)).status, 200, 'a flagged comment hides nothing');

  const open = await (await app.as('carol')).post('/discussions', { title: 'Questions', body: 'Posez-les', access: 'members' });
  const openId = Number(/\/discussions\/(\d+)/.exec(open.headers.location)![1]);
  const reply = await b.post(`/discussions/${openId}/replies`, { body: 'Une arnaque' });
  t.is(reply.status, 400);
  t.regex(reply.text, /Une arnaque/);
  t.is((await b.post(`/discussions/${openId}/replies`, { body: 'Zut, bitcoin' })).status, 303);
  t.is((await app.db('discussion_replies').where({ topic_id: openId }).first('body'))!.body, '***, bitcoin');
  t.is((await (await app.as('carol')).agent.http.get(`/discussions/${openId}`)).status, 200, 'a held reply flags its topic, which stays published');
  t.is((await openReportsOn(app.db, 'entity', openId)).length, 1);

  // Private messages: block and replace only; never queued.
  const refused = await b.post('/messages', { to: 'carol', subject: '', body: 'Une arnaque' });
  t.is(refused.status, 400);
  t.regex(refused.text, /Une arnaque/);
  t.is((await b.post('/messages', { to: 'carol', subject: '', body: 'Zut. Loterie, bitcoin' })).status, 303);
  t.is((await app.db('messages').orderBy('id', 'desc').first('body'))!.body, '***. Loterie, bitcoin');
  t.is(Number((await app.db('moderation_reports').count({ n: '*' }).first())!.n), 3, 'no report for a message');
});
