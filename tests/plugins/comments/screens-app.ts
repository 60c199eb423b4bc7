// The comments' screenshot tests' setting: the browser app (tests/helpers/browser-app.ts) with the
// fixture plugin enabled, whose `fixture_note` entities take comments, and the root network's id.
import type { ExecutionContext } from 'ava';
import type { Runtime } from '../../../core';
import { withBrowserApp, type BrowserApp } from '../../helpers/browser-app';

export function withNotesBrowserApp(t: ExecutionContext, fn: (env: BrowserApp & { rt: Runtime; root: number }) => Promise<void>): Promise<void> {
  return withBrowserApp(
    t,
    async (env) => {
      const rt = env.app.app.ruche;
      await rt.pluginState.enable('fixture');
      await fn({ ...env, rt, root: rt.networks.root().id });
    },
    { withFixtures: true },
  );
}
