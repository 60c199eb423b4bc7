// Issue 27 item 9: a notification email carries the words it is about (the announcement,
// the post that mentions me, the comment), so a member reads a fire-drill notice in their
// mail — and only while they may see it: access is checked again when the email is built.
import { simpleParser } from 'mailparser';
import { eachApp } from '../../helpers/each-app';
import { eachDatabase } from '../../helpers/databases';
import { smtpConfig, smtpServer, type SmtpMessage } from '../../helpers/smtp';
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

eachDatabase(
  'the quoted words are the member’s Markdown made plain text, sanitised, in the recipient’s language (real SMTP server)',
  async (t, db) => {
    const received: SmtpMessage[] = [];
    const server = await smtpServer((m) => void received.push(m));
    const app = await notifApp(db, smtpConfig(server.port));
    t.teardown(() => server.close());
    const { rt, root: networkId } = app;
    const anna = await app.member('anna', 'Anna');
    const [bob, lea] = [await app.member('bob', 'Bob'), await app.member('lea', 'Léa', 'fr')];
    for (const userId of [bob, lea]) await app.setPref(userId, 'activity.announced', 'immediately');
    const notice = await app.status(
      anna,
      '**Fire drill** at 3 pm: see the [map](https://example.com/map).\n\n- north stairs\n- car park\n\n<script>alert(1)</script><img src=x onerror=alert(2)>',
    );
    await rt.hooks.emit('activity:announced', { networkId, entityId: notice, until: Date.now() + 86_400_000 });
    await app.run();
    const mail = async (to: string) => {
      const m = received.find((r) => r.to.includes(to));
      t.truthy(m, `a mail to ${to}`);
      const parsed = await simpleParser(m!.raw);
      return { subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '' };
    };
    const en = await mail('bob@example.com');
    t.is(en.subject, 'Anna posted an announcement');
    t.true(en.text.includes('Fire drill at 3 pm: see the map (https://example.com/map).\n\n- north stairs\n- car park'), en.text);
    for (const part of [en.text, en.html]) t.false(part.includes('**'), 'no Markdown markup');
    // Raw HTML the member typed is words, as on the page: escaped in the HTML part, never markup.
    t.true(en.text.includes('<script>alert(1)</script>'));
    t.notRegex(en.html, /<script|<img src=x/);
    t.true(en.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    t.regex(en.html, /Fire drill at 3 pm: see the map \(https:\/\/example\.com\/map\)\./);
    const fr = await mail('lea@example.com');
    t.regex(fr.subject, /Anna a publié une annonce/);
    t.regex(fr.text, /^Bonjour Léa/m);
    t.true(fr.text.includes('Fire drill at 3 pm: see the map (https://example.com/map).'));
    await app.close();
  },
);

test('excerpts are cut at a word with an ellipsis, blank lines squeezed', (t) => {
  t.is(clip('short', 10), 'short');
  t.is(clip('one two three four five six seven', 30), 'one two three four five six…');
  t.is(clip('abcdefghijklmnop', 10), 'abcdefghi…', 'no word end near: cut at the limit');
  t.is(clip('a\n\n\n\nb', 10), 'a\n\nb');
});
