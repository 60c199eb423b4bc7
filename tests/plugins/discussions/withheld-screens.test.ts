// A topic with a reply a moderator hid (issue 22), in headless Chromium at 390 px and 1280 px, as its
// author, a moderator and another member see it (tests/e2e/artifacts/discussions/withheld-*.png):
// the author and the moderator read it, marked, with no "Report" on it; the other member reads a full
// page without it, and a count of the replies they see. Nothing sticks out sideways.
import test from 'ava';
import { withholdPiece } from '../../../core';
import { withBrowserApp } from '../../helpers/browser-app';
import { walkWithheld, withheldCast } from '../../helpers/withheld-screens';
import { RepliesService } from '../../../plugins/discussions/replies';
import { TopicsService } from '../../../plugins/discussions/service';

test('a topic with a hidden reply as its author, a moderator and another member see it, at 390 px and 1280 px', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const ids = await withheldCast(rt);
    const topics = rt.container.resolve(TopicsService);
    const replies = rt.container.resolve(RepliesService);
    const v = async (u: string) => (await rt.users.viewer(ids[u]))!;
    const id = await topics.create(await v('alice'), rt.networks.root().id, null, {
      title: 'Picnic on Sunday: who brings what?',
      body: 'I bring the **bread**. Who brings the rest?',
      tags: ['picnic'],
      access: 'members',
    });
    const topic = async () => (await topics.find(id))!;
    await replies.create(await v('carol'), await topic(), 'I will bring the tea and some cups.');
    const rude = await replies.create(await v('bob'), await topic(), 'Buy cheap watches at example.com, best prices!');
    await replies.create(await v('carol'), await topic(), 'Cheese from the market, then.');
    await rt.db.transaction((trx) => withholdPiece(rt, 'reply', rude.id, true, trx));

    await walkWithheld(t, browser, { url: server.url, area: 'discussions' }, `${server.url}/discussions/${id}`, async (page, who, sees) => {
      const main = (await page.textContent('main')) ?? '';
      t.regex(main, sees ? /3 replies/ : /2 replies/, `${who}: the count is theirs`);
      t.regex(main, /Cheese from the market/, who);
      if (sees) {
        t.regex(main, /cheap watches/, who);
        t.is(await page.locator(`#reply-${rude.id} .withheld-note`).count(), 1, `${who}: marked`);
        t.is(await page.locator(`#reply-${rude.id} [data-action="report"]`).count(), 0, `${who}: no Report on a hidden reply`);
      } else t.notRegex(main, /cheap watches/, who);
    });
  }));
