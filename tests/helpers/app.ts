/**
 * Builds real apps for tests: a fresh database (SQLite file or PostgreSQL database),
 * Ruche installed on it, and a supertest agent that keeps cookies and knows its CSRF token.
 */
import type { ExecutionContext } from 'ava';
import path from 'node:path';
import request from 'supertest';
import { createApp, install, loadConfig, openBase, type ConfigInput, type InstallOptions, type RucheApp, type RucheConfig } from '../../core';
import type { TestDatabase } from './databases';
import { installWithTemplate } from './templates';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURE_PLUGINS = path.join(REPO_ROOT, 'tests', 'fixtures', 'plugins');
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery', username: 'admin' };

/** A validated config for a test database; `overrides` win. Logs are silent. */
export function testConfig(db: TestDatabase, overrides: ConfigInput = {}): RucheConfig {
  return loadConfig({
    cwd: db.dataDir,
    env: {},
    overrides: {
      dataDir: db.dataDir,
      databaseUrl: db.url,
      secret: 'test-secret-'.padEnd(48, 'x'),
      log: { level: 'silent', pretty: false },
      // scrypt at N = 2^10 (about 3 ms a hash instead of 140): tests sign in and create accounts
      // thousands of times. Stored hashes carry their parameters; production keeps 15.
      passwords: { cost: 10 },
      ...overrides,
    },
  });
}

export interface TestApp {
  app: RucheApp;
  config: RucheConfig;
  /** A fresh cookie-keeping agent. */
  agent(): TestAgent;
  close(): Promise<void>;
}

export interface TestAgent {
  http: ReturnType<typeof request.agent>;
  /** Fetches a page and returns the CSRF token found in it (GET / by default). */
  csrf(pathname?: string): Promise<string>;
  /** Signs in with a username/email and password (fails the test on error). */
  login(login: string, password: string): Promise<void>;
}

/**
 * Installs Ruche on `db` (with an admin unless `admin: false`) and builds an app.
 * `install` options are passed to core install; `config` overrides the test config.
 */
export async function makeApp(
  db: TestDatabase,
  options: { config?: ConfigInput; install?: InstallOptions | false; withFixtures?: boolean } = {},
): Promise<TestApp> {
  const config = testConfig(db, {
    ...(options.withFixtures ? { plugins: { dirs: [FIXTURE_PLUGINS] } } : {}),
    ...options.config,
  });
  if (options.install !== false) {
    const installOptions = options.install ?? { siteName: 'Test network', locale: 'en', admin: ADMIN };
    const slowInstall = async (): Promise<void> => {
      const base = await openBase(config, { cwd: db.dataDir });
      try {
        await install(base, installOptions);
      } finally {
        await base.close(); // the runtime install returns shares this database handle
      }
    };
    // A copy of the same install made once (tests/helpers/templates.ts), else the slow way.
    if (!(await installWithTemplate(db, config, installOptions, slowInstall))) await slowInstall();
  }
  const app = await createApp(config, { cwd: db.dataDir });
  return {
    app,
    config,
    agent: () => makeAgent(app),
    close: () => app.close(),
  };
}

export function makeAgent(app: RucheApp): TestAgent {
  const http = request.agent(app.callback());
  const agent: TestAgent = {
    http,
    async csrf(pathname = '/') {
      const res = await http.get(pathname);
      const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
      if (!m) throw new Error(`no CSRF token on ${pathname} (status ${res.status})`);
      return m[1];
    },
    async login(login, password) {
      const token = await agent.csrf('/login');
      const res = await http.post('/login').type('form').send({ _csrf: token, login, password });
      if (res.status !== 303) throw new Error(`login as ${login} failed with status ${res.status}`);
    },
  };
  return agent;
}

/**
 * A page without its CSRF field: the token is masked afresh in every response (against BREACH,
 * core/http/csrf.ts), so two renderings of the same page differ only there.
 */
export function unmasked(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');
}

/**
 * Asserts that a page answered `status` (200 unless said) with each of `shown` in its text and
 * none of `hidden`, one assertion per string (named by it); returns the text.
 */
export function assertPage(
  t: ExecutionContext,
  res: { status: number; text: string },
  shown: readonly string[],
  hidden: readonly string[] = [],
  status = 200,
): string {
  t.is(res.status, status);
  for (const s of shown) t.true(res.text.includes(s), `shows ${s}`);
  for (const s of hidden) t.false(res.text.includes(s), `hides ${s}`);
  return res.text;
}
