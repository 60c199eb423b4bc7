/**
 * Shared set-up for the admin plugin's tests: an installed app (the admin plugin is
 * enabled by install, as `defaultEnabled`), throwaway plain-JS plugins and themes in a
 * temp folder, agents for a guest, a member and the administrator.
 */
import fs from 'node:fs';

import path from 'node:path';
import { ADMIN, makeApp, type TestAgent, type TestApp } from '../../helpers/app';
import { addSubNetwork } from '../../helpers/members';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';

export const MEMBER = { username: 'bob', email: 'bob@example.com', password: 'violet staple engine 7' };

/** `alpha` has one setting of each type; `beta` depends on `alpha`. Both start disabled. */
const PLUGINS: Record<string, string> = {
  'alpha/plugin.js': `exports.default = {
    id: 'alpha', version: '1.2.0', name: 'Alpha', description: 'A plugin with settings.', core: '^1.0.0',
    settings: {
      title: { type: 'string', default: 'Hello', label: 'Title', maxLength: 20 },
      intro: { type: 'text', default: '', label: 'Introduction', maxLength: 200 },
      limit: { type: 'number', default: 5, label: 'Limit', min: 1, max: 10, integer: true },
      featured: { type: 'boolean', default: true, label: 'Featured' },
      layout: { type: 'choice', default: 'list', label: 'Layout', choices: ['list', 'grid'] },
    },
  };\n`,
  'beta/plugin.js': `exports.default = {
    id: 'beta', version: '0.3.0', name: 'Beta', description: 'Needs alpha.', core: '^1.0.0', dependsOn: ['alpha'],
  };\n`,
};

/** `nuit`: a child of the default theme with its own stylesheet; `broken`: a template that does not compile. */
const THEMES: Record<string, string> = {
  'nuit/theme.json': JSON.stringify({ label: 'Night', description: 'A teal accent.', parent: 'default', styles: ['css/nuit.css'] }),
  'nuit/assets/css/nuit.css':
    ':root { --color-primary: #0f766e; --color-primary-strong: #115e59; --color-primary-soft: #ccfbf1; --color-link: #0f766e; }\n',
  'broken/theme.json': JSON.stringify({ label: 'Broken', parent: 'default' }),
  'broken/overrides/admin/overview.hbs': '{{#if}}unclosed\n',
};

export interface AdminTestApp extends TestApp {
  rootId: number;
  /** Signed-in agents. */
  admin(): Promise<TestAgent>;
  member(): Promise<TestAgent>;
  /** A guest agent holding a CSRF cookie and its token. */
  guest(): Promise<{ agent: TestAgent; token: string }>;
}

/** An installed app with the throwaway plugins and theme, a member `bob` and the admin. */
export async function adminApp(db: TestDatabase): Promise<AdminTestApp> {
  const fixtures = path.join(db.dataDir, 'fixtures');
  writeTree(path.join(fixtures, 'plugins'), PLUGINS);
  writeTree(path.join(fixtures, 'themes'), THEMES);
  const app = await makeApp(db, {
    config: { plugins: { dirs: [path.join(fixtures, 'plugins')] }, themes: { dirs: [path.join(fixtures, 'themes')] } },
  });
  const created = await app.app.ruche.users.create({ ...MEMBER }, 'member');
  if ('errors' in created) throw new Error(`member not created: ${JSON.stringify(created.errors)}`);
  return {
    ...app,
    rootId: app.app.ruche.networks.root().id,
    async admin() {
      const agent = app.agent();
      await agent.login(ADMIN.username, ADMIN.password);
      return agent;
    },
    async member() {
      const agent = app.agent();
      await agent.login(MEMBER.username, MEMBER.password);
      return agent;
    },
    async guest() {
      const agent = app.agent();
      return { agent, token: await agent.csrf('/login') };
    },
  };
}

/** One test per database with a fresh `adminApp`, closed afterwards. */
export const eachAdminApp = eachAppOf(adminApp);

/** Posts a form with the agent's CSRF token (taken from `from`, default the admin overview). */
export async function postForm(agent: TestAgent, url: string, fields: Record<string, string | string[]> = {}, from = '/admin') {
  const token = await agent.csrf(from);
  return agent.http
    .post(url)
    .type('form')
    .send({ _csrf: token, ...fields });
}

/** A sub-network `/n/<slug>` of the root network. */
export const addSubnetwork = (app: TestApp, slug: string, name: string): Promise<number> => addSubNetwork(app.app.ruche, slug, name);

/** The HTML with Handlebars' escapes undone, for asserting on visible text. */
export function decode(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The markup of one plugin's row on the plugins page. */
export function pluginRow(html: string, id: string): string {
  const m = new RegExp(`<tr id="plugin-${id}">([\\s\\S]*?)</tr>`).exec(html);
  return m ? decode(m[1]) : '';
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
