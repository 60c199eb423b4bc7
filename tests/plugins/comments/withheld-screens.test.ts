// A thread with comments a moderator hid (issue 22), in headless Chromium at 390 px and 1280 px, as
// its author, a moderator and another member see it (tests/e2e/artifacts/social/withheld-*.png):
// the author and the moderator read them, marked; the other member reads neither, and the hidden
// comment that has a reply keeps its place as a neutral placeholder. Nothing sticks out sideways.
import test from 'ava';
import { walkWithheld, withheldCast } from '../../helpers/withheld-screens';
import { withNotesBrowserApp } from './screens-app';

test('a thread with hidden comments as their author, a moderator and another member see it, at 390 px and 1280 px', (t) =>
  withNotesBrowserApp(t, async ({ rt, root, server, browser }) => {
    const { alice, bob, carol } = await withheldCast(rt);
    const note = await rt.entities.create({ type: 'fixture_note', ownerId: alice, networkId: root, access: 'members' });
    const at = Date.now() - 3600_000;
    const comment = async (authorId: number, body: string, opts: { parent?: number; withheld?: boolean } = {}): Promise<number> => {
      const [row] = await rt
        .db('comments')
        .insert({
          entity_id: note,
          network_id: root,
          author_id: authorId,
          parent_id: opts.parent ?? null,
          body,
          created_at: at,
          withheld: opts.withheld ?? false,
        })
        .returning('id');
      return Number(typeof row === 'object' ? row.id : row);
    };
    await comment(alice, 'Who is coming to the picnic on Sunday?');
    const rude = await comment(bob, 'Buy cheap watches at example.com', { withheld: true });
    await comment(carol, 'Please keep it on topic.', { parent: rude });
    await comment(bob, 'Another advert nobody asked for', { withheld: true });
    await comment(carol, 'I will bring the tea.');
    await rt.db('comment_counts').insert({ entity_id: note, n: 3 });

    await walkWithheld(t, browser, { url: server.url, area: 'social' }, `${server.url}/fixture/entities/${note}`, async (page, who, sees) => {
      const thread = (await page.textContent(`#comments-${note}`)) ?? '';
      t.regex(thread, sees ? /5 comments/ : /3 comments/, who);
      if (sees) {
        t.regex(thread, /cheap watches/, who);
        t.is(await page.locator('.comment--withheld').count(), 2, `${who}: both marked`);
      } else {
        t.notRegex(thread, /cheap watches|advert/, who);
        t.is(await page.locator('.comment__placeholder').count(), 1, `${who}: one placeholder, where the reply is`);
        t.regex(thread, /Comment hidden by a moderator/, who);
        t.regex(thread, /Please keep it on topic/, who);
      }
    });
  }));
