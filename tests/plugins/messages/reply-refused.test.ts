// Issue 25: a reply refused on the conversation page (empty, too long, the moderation pace, a
// block) shows the conversation again with a localised message beside the composer, what was
// typed kept in it, and a 4xx; nothing is stored.
import type { Response } from 'supertest';
import { rowCount } from '../../helpers/rows';
import { eachMsgApp } from './support';
import { MAX_BODY } from '../../../plugins/messages/service';

/** The reply composer's text and the message shown beside it. */
function composerOf(res: Response): { body: string | undefined; error: string | undefined } {
  const form = /<form[^>]*class="messages-reply"[\s\S]*?<\/form>/.exec(res.text)?.[0] ?? '';
  return {
    body: /<textarea id="reply-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(form)?.[1],
    error: /<p class="field__error" id="reply-error" role="alert"[^>]*>([\s\S]*?)<\/p>/.exec(form)?.[1],
  };
}

eachMsgApp('messages: a refused reply shows the conversation again with the message beside the composer and the text kept', async (t, app) => {
  const alice = await app.member('alice', 'Alice A');
  await app.member('bob', 'Bob B');
  const id = await app.start(alice, ['bob'], 'Hello Bob');
  const messages = () => rowCount(app.rt.db('messages').where({ conversation_id: id }));
  const reply = (body: string) => app.form('bob', `/messages/${id}/reply`, { body });

  const empty = await reply('   ');
  t.is(empty.status, 400);
  t.deepEqual(composerOf(empty), { body: '   ', error: 'Write a message first.' });
  t.regex(empty.text, /Hello Bob/, 'the conversation is shown again');

  const long = 'x'.repeat(MAX_BODY + 1);
  const tooLong = await reply(long);
  t.is(tooLong.status, 400);
  t.true(composerOf(tooLong).body === long, 'the text is kept');
  t.regex(composerOf(tooLong).error ?? '', /^A message has at most 4,000 characters\.$/);

  // In the member's language, with what they typed escaped.
  await app.rt.db('users').where({ username: 'bob' }).update({ locale: 'fr' });
  const fr = await reply(`<b>${long}</b>`);
  t.is(fr.status, 400);
  t.true(composerOf(fr).body === `&lt;b&gt;${long}&lt;/b&gt;`, 'the text is kept, escaped');
  t.regex(composerOf(fr).error ?? '', /^Un message compte au plus 4\s000 caractères\.$/);
  await app.rt.db('users').where({ username: 'bob' }).update({ locale: 'en' });

  // The moderation safeguards' pace (messages count as pieces): the wait is said, the text kept.
  await app.rt.pluginState.configure('moderation', { postsPerHour: 1 }, app.rt.networks.root().id);
  t.is((await reply('Within the pace')).status, 303);
  const paced = await reply('One too many');
  t.is(paced.status, 429, 'a pace refusal (its Retry-After for the API)');
  t.is(composerOf(paced).body, 'One too many');
  t.regex(composerOf(paced).error ?? '', /^You can post once an hour in this network\. Try again in (60|59) min/);
  await app.rt.pluginState.configure('moderation', { postsPerHour: 0 }, app.rt.networks.root().id);

  // A block: the blocked member's reply is refused on the page too.
  t.is((await app.form('alice', '/messages/block/bob')).status, 303);
  const blocked = await reply('Are you there?');
  t.is(blocked.status, 403);
  t.deepEqual(composerOf(blocked), { body: 'Are you there?', error: 'You cannot write to this member.' });

  t.is(await messages(), 2, 'only the first message and the reply within the pace are stored');
});
