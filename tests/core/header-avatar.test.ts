// The header's avatar (issue 27, item 3): the signed-in member's photo when they have one,
// else the same initials picture (same initials, same colour) the feed shows beside their
// posts: both come from core/content/people.ts's avatarUrl, read with the session.
import { setPhotoKey } from '../../core';
import { eachActApp } from '../plugins/activity/support';

const headerAvatar = (html: string): string | undefined => /<img class="avatar" src="([^"]+)"/.exec(html)?.[1];
const feedAvatar = (html: string): string | undefined => /<img class="activity-entry__avatar" src="([^"]+)"/.exec(html)?.[1];

eachActApp('the header shows the member’s photo, else the initials picture the feed shows beside their posts', async (t, app) => {
  const maya = await app.member('maya', 'Maya Angelou');
  await app.quickPost(maya, 'hello from maya');
  const agent = (await app.as('maya')).agent;

  let page = (await agent.http.get('/feed')).text;
  t.is(headerAvatar(page), `/avatars/${maya}/initials.svg`);
  t.is(feedAvatar(page), headerAvatar(page), 'one picture for header and feed');
  t.false(page.includes('<span class="avatar"'), 'no letter drawn by CSS beside the picture');
  const svg = await agent.http.get(headerAvatar(page)!);
  t.is(svg.status, 200);
  t.true((svg.body instanceof Buffer ? svg.body.toString('utf8') : svg.text).includes('>MA<'));

  // A photo set (by this process or any other): the next page's header shows it, as the feed does.
  await setPhotoKey(app.rt.db, maya, '0123456789abcdef0123');
  page = (await agent.http.get('/feed')).text;
  t.is(headerAvatar(page), `/avatars/${maya}/0123456789abcdef0123-64.jpg`);
  t.is(feedAvatar(page), headerAvatar(page));

  await setPhotoKey(app.rt.db, maya, null);
  t.is(headerAvatar((await agent.http.get('/account')).text), `/avatars/${maya}/initials.svg`, 'a removed photo leaves the header');
});
