// Helpers for the connect tests: the connections app with the connect plugin enabled, and a
// member's current code read from the page that shows it.
import type { ConfigInput } from '../../../core';
import { ConnectService } from '../../../plugins/connect/service';
import type { TestDatabase } from '../../helpers/databases';
import { eachAppOf } from '../../helpers/each-app';
import { connApp, type ConnApp } from '../connections/support';

export interface ConnectApp extends ConnApp {
  connect: ConnectService;
  /** The code `username`'s "Connect in person" page shows (signed in as them, asking for one if needed), without its dash. */
  codeOf(username: string, base?: string): Promise<string>;
}

export async function connectApp(db: TestDatabase, config: ConfigInput = {}): Promise<ConnectApp> {
  const app = await connApp(db, config);
  await app.rt.pluginState.enable('connect');
  return {
    ...app,
    connect: app.rt.container.resolve(ConnectService),
    async codeOf(username, base = '') {
      const me = await app.as(username);
      let res = await me.agent.http.get(`${base}/connect`);
      // No code yet (or it expired): "Show my code" asks for one.
      if (res.status === 200 && !res.text.includes('data-connect-code')) {
        await me.post(`${base}/connect/rotate`);
        res = await me.agent.http.get(`${base}/connect`);
      }
      const m = /data-connect-code>([A-Z0-9]{4})-([A-Z0-9]{4})</.exec(res.text);
      if (res.status !== 200 || !m) throw new Error(`no code on ${username}'s page (${res.status}): ${res.text.slice(0, 300)}`);
      return m[1] + m[2];
    },
  };
}

export const eachConnectApp = eachAppOf(connectApp);
