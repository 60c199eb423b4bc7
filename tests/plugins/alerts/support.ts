// Helpers for the alerts tests: an app with the plugin enabled (mail to a real SMTP server when
// given its config), members signed in with forms, and an alert sent through the form.
import type { Response } from 'supertest';
import type { ConfigInput, Runtime } from '../../../core';
import { ADMIN, makeApp, type TestApp } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { createMember, pageAgent, signedIn, type PageAgent } from '../../helpers/members';

export interface AlertsApp extends TestApp {
  rt: Runtime;
  root: number;
  /** Active members of the root network, by username; ids in order. */
  members(...usernames: string[]): Promise<number[]>;
  /** A signed-in agent posting forms with a fresh token (admin for `admin`). */
  as(username: string, base?: string): Promise<PageAgent>;
  /** Sends an alert through the form as `sender`; returns its id (fails loudly on a refusal). */
  send(sender: PageAgent, fields: Record<string, string>, base?: string): Promise<number>;
  /** Runs every due job (mails, bell), as often as new ones are due, at `now`. */
  run(now?: number): Promise<void>;
}

export const ALERT = {
  title: 'Storm warning',
  message: 'Stay inside: **high winds** until 6 pm.',
  severity: 'emergency',
  answers: 'safety',
  audience: 'network',
};

export async function alertsApp(db: TestDatabase, config: ConfigInput = {}): Promise<AlertsApp> {
  const app = await makeApp(db, { config });
  const rt = app.app.ruche;
  await rt.pluginState.enable('alerts');
  const root = rt.networks.root().id;
  let keys = 0;
  return {
    ...app,
    rt,
    root,
    async members(...usernames) {
      const ids: number[] = [];
      for (const u of usernames) ids.push(await createMember(rt, u, { displayName: u[0].toUpperCase() + u.slice(1) }));
      return ids;
    },
    async as(username, base = '') {
      return pageAgent(await signedIn(app, username, username === ADMIN.username ? ADMIN.password : undefined), `${base}/`);
    },
    async send(sender, fields, base = '') {
      const res: Response = await sender.post(`${base}/alerts`, { ...ALERT, form_key: (++keys).toString(16).padStart(32, '0'), ...fields });
      const m = /\/alerts\/(\d+)$/.exec(String(res.headers.location ?? ''));
      if (res.status !== 303 || !m) throw new Error(`alert refused: ${res.status} ${res.text.slice(0, 600)}`);
      return Number(m[1]);
    },
    async run(now = Date.now()) {
      for (let i = 0; i < 20 && (await rt.jobs.runDue({ now, limit: 500 })) > 0; i++);
    },
  };
}
