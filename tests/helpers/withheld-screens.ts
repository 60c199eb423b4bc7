/**
 * The screenshot tests of a piece a moderator hid (issue 22: a comment, a reply): the same cast —
 * Alice, Bob (who writes what gets hidden), Carol and Mona, a moderator — and the same walk: the
 * page opened as each of the three who see it differently (its author and the moderator read it,
 * marked; another member does not), looked at by the test, shot at both widths
 * (`<area>/withheld-<who>-*.png`) with no Content Security Policy complaint.
 */
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import type { Runtime } from '../../core';
import { signInPage, type Browser } from './browser';
import { createMember, createMembers, MEMBER_PASSWORD } from './members';
import { screensPage } from './screens';

/** Alice, Bob and Carol (members) and Mona (a moderator); the members' ids by username. */
export async function withheldCast(rt: Runtime): Promise<Record<string, number>> {
  const ids = await createMembers(rt, { alice: 'Alice Liddell', bob: 'Bob Marley', carol: 'Carol Danvers' });
  await createMember(rt, 'mona', { displayName: 'Mona Lisa', role: 'moderator' });
  return ids;
}

/** Who looks at the page, and whether they read the hidden piece. */
export const WITHHELD_VIEWERS = [
  ['author', 'bob', true],
  ['moderator', 'mona', true],
  ['member', 'carol', false],
] as const;

/** Opens `url` as each of WITHHELD_VIEWERS, lets `look` assert what they see, then checks the page. */
export async function walkWithheld(
  t: ExecutionContext,
  browser: Browser,
  site: { url: string; area: string },
  url: string,
  look: (page: Page, who: string, sees: boolean) => Promise<void>,
): Promise<void> {
  for (const [who, username, sees] of WITHHELD_VIEWERS) {
    const { page, csp, check } = await screensPage(t, browser, site.area);
    await signInPage(page, site.url, username, MEMBER_PASSWORD);
    await page.goto(url);
    await look(page, who, sees);
    await check(`withheld-${who}`);
    t.deepEqual(csp, [], who);
    await page.context().close();
  }
}
