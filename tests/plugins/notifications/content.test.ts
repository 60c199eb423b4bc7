// Issue 27 item 9: a notification email carries the words it is about (the announcement,
// the post that mentions me, the comment), so a member reads a fire-drill notice in their
// mail — and only while they may see it: access is checked again when the email is built.
import { eachApp } from '../../helpers/each-app';
import { clip } from '../../../plugins/notifications/mail';
import { notifApp } from './support';
import test from 'ava';

const DRILL = 'Fire drill today at 3 pm: leave by the north stairs, meet at the car park.';

eachApp('notification emails quote the content, in the mail and in digests, while the recipient may see it', notifApp, async (t, app) => {
  const { rt, root: networkId } = app;
  const [anna, bob, cleo] = await app.members('anna', 'bob', 'cleo');
  // An announcement (sent immediately here) and a mention: the text is in the mail.
  await app.setPref(bob, 'activity.announced', 'immediately');
  const drill = await app.status(anna, DRILL);
  await rt.hooks.emit('activity:announced', { networkId, entityId: drill, until: Date.now() + 86_400_000 });
  await app.run();
  const [mail] = await app.mails('bob@example.com');
  t.truthy(mail, 'the announcement is mailed');
  t.true(mail.text.includes(DRILL), 'the text part quotes the announcement');
  t.true(mail.html.includes('leave by the north stairs, meet at the car park.'), 'so does the HTML part');

  // A comment: its own words, not the post's.
  const post = await app.status(bob, 'Lunch on Friday?');
  const [comment] = await rt
    .db('comments')
    .insert({ entity_id: post, network_id: networkId, author_id: cleo, body: 'Count me in, I bring dessert.', created_at: Date.now() })
    .returning('id');
  const commentId = Number(typeof comment === 'object' ? comment.id : comment);
  await rt.hooks.emit('comments:created', {
    networkId,
    entityId: post,
    commentId,
    authorId: cleo,
    ownerId: bob,
    parentId: null,
    parentAuthorId: null,
  });
  await app.run();
  const mails = await app.mails('bob@example.com');
  t.true(mails[mails.length - 1].text.includes('Count me in, I bring dessert.'));

  // Made private before the email goes: no mail, so no text.
  const secret = await app.status(anna, 'Salary review for @cleo');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: secret, actorId: anna, userId: cleo });
  await rt.entities.update(secret, { access: 'private' });
  await app.run();
  t.false(
    (await app.mails('cleo@example.com')).some((m) => m.text.includes('Salary review')),
    'not sent once she may not see it',
  );

  // A digest quotes each line.
  await app.setPref(cleo, 'activity.mentioned', 'daily');
  const hello = await app.status(anna, 'Welcome aboard @cleo, ask me anything.');
  await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId, entityId: hello, actorId: anna, userId: cleo });
  await app.run(Date.now() + 8 * 86_400_000);
  const digest = (await app.mails('cleo@example.com')).pop();
  t.truthy(digest);
  t.true(digest!.text.includes('Welcome aboard @cleo, ask me anything.'));
});

test('excerpts are cut at a word with an ellipsis, blank lines squeezed', (t) => {
  t.is(clip('short', 10), 'short');
  t.is(clip('one two three four five six seven', 30), 'one two three four five six…');
  t.is(clip('abcdefghijklmnop', 10), 'abcdefghi…', 'no word end near: cut at the limit');
  t.is(clip('a\n\n\n\nb', 10), 'a\n\nb');
});
