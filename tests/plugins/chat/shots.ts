// Screenshots of a chat page at phone (390 px) and desktop (1280 px) widths, for review
// (tests/e2e/artifacts/chat/<name>-{phone,desktop}.png).
import type { Page } from 'playwright-core';
import { artifactPath } from '../../helpers/browser';

export async function shots(page: Page, name: string): Promise<void> {
  for (const [label, width, height] of [
    ['phone', 390, 844],
    ['desktop', 1280, 800],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: artifactPath(`chat/${name}-${label}.png`), fullPage: true });
  }
}
