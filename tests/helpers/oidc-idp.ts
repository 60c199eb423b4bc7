/**
 * A real OpenID Connect provider for tests (tests/helpers/oidc-idp-server.ts, `oidc-provider`
 * in a child process on 127.0.0.1), and the walk of a member through it: Ruche's sign-in
 * button, the provider's login page, back to Ruche's callback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import request, { type Response } from 'supertest';
import type { TestAgent } from './app';
import { freePort } from './browser';

export interface IdpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  groups?: string[];
}

export interface IdpOptions {
  /** Where Ruche's callbacks are (registered as the clients' redirect URIs). */
  redirectUris: string[];
  /** Where the provider may send people back after signing out (RP-initiated logout). */
  postLogoutRedirectUris?: string[];
  accounts: Record<string, IdpAccount>;
  /** Seconds added to the provider's clock (negative: behind). */
  clockShiftSeconds?: number;
  tamper?: 'audience' | 'signature';
}

export const IDP_CLIENT = { id: 'ruche', secret: 'ruche-client-secret-for-tests' };
export const OTHER_CLIENT = { id: 'other-app', secret: 'other-client-secret-for-tests' };

export interface TestIdp {
  issuer: string;
  /** The key id the provider signs with now. */
  kid: string;
  /** Stops it and starts it again on the same port with `change` (a new signing key by default: key rotation). */
  restart(change?: Partial<IdpOptions> & { keepKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** An RSA signing key as a private JWK with a fresh key id. */
function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
}

function launch(setup: Record<string, unknown>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'oidc-idp-server.js')], {
    env: { ...process.env, RUCHE_TEST_IDP: JSON.stringify(setup) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (process.env.RUCHE_TEST_IDP_LOG) process.stderr.write(d);
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the test OIDC provider exited (${code}): ${err}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts a provider with clients `ruche` and `other-app` and the given accounts. */
export async function startIdp(options: IdpOptions): Promise<TestIdp> {
  // Another process may take the free port before the provider binds it: then another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startIdpOn(await freePort(), options);
    } catch (e) {
      if (attempt >= 5 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startIdpOn(port: number, options: IdpOptions): Promise<TestIdp> {
  let current: IdpOptions = options;
  let keys = [signingKey()];
  const setupOf = () => ({
    port,
    keys,
    clockShiftSeconds: current.clockShiftSeconds ?? 0,
    tamper: current.tamper,
    accounts: current.accounts,
    clients: [IDP_CLIENT, OTHER_CLIENT].map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      redirect_uris: current.redirectUris,
      post_logout_redirect_uris: current.postLogoutRedirectUris ?? [],
    })),
  });
  let child = await launch(setupOf());
  const idp: TestIdp = {
    issuer: `http://127.0.0.1:${port}`,
    kid: String(keys[0].kid),
    async restart(change = {}) {
      await stopChild(child);
      current = { ...current, ...change };
      if (!change.keepKey) keys = [signingKey()];
      idp.kid = String(keys[0].kid);
      // The port is free again once the old child exits, and another test's free-port probe may hold it
      // for a moment (CI: EADDRINUSE once): try again shortly.
      for (let attempt = 1; ; attempt++) {
        try {
          child = await launch(setupOf());
          return;
        } catch (e) {
          if (attempt >= 20 || !/EADDRINUSE/.test((e as Error).message)) throw e;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    stop: () => stopChild(child),
  };
  return idp;
}

/** The hidden and named fields of the first form of an HTML page, and where it posts. */
function firstForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*name="([^"]+)"(?:[^>]*value="([^"]*)")?/g)) fields[m[1]] = m[2] ?? '';
  return { action: form[1].replace(/&amp;/g, '&'), fields };
}

/** A browser at the provider (its cookies: the provider's session), for the steps of `throughIdp`. */
export type IdpBrowser = ReturnType<typeof request.agent>;

/**
 * Signs in through the provider as `login`: Ruche's start address (`startPath`), the provider's
 * pages, and returns the address Ruche is sent back to (path and query), not yet followed.
 * `idp` keeps the provider's session between walks (a fresh one otherwise).
 */
export async function throughIdp(agent: TestAgent, login: string, startPath = '/sso/oidc/start', idp?: IdpBrowser): Promise<string> {
  const start = await agent.http.get(startPath);
  if (start.status !== 302) throw new Error(`the sign-in did not start (status ${start.status}): ${start.text.slice(0, 300)}`);
  let url = new URL(start.headers.location as string);
  idp ??= request.agent(url.origin);
  for (let step = 0; step < 12; step++) {
    if (!url.origin.startsWith('http://127.0.0.1')) return `${url.pathname}${url.search}`;
    if (url.pathname.endsWith('/sso/oidc/callback')) return `${url.pathname}${url.search}`;
    const res: Response = await idp.get(`${url.pathname}${url.search}`);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.location as string, url);
      continue;
    }
    const form = firstForm(res.text);
    if (!form) throw new Error(`unexpected page at the provider (status ${res.status}): ${res.text.slice(0, 300)}`);
    const action = new URL(form.action, url);
    const posted: Response = await idp
      .post(`${action.pathname}${action.search}`)
      .type('form')
      .send({ ...form.fields, login, password: 'any' });
    if (!(posted.status >= 300 && posted.status < 400)) throw new Error(`the provider refused the form (status ${posted.status})`);
    url = new URL(posted.headers.location as string, url);
  }
  throw new Error('too many steps at the provider');
}

/** Signs in through the provider and follows the callback: Ruche's answer. */
export async function signInThroughIdp(agent: TestAgent, login: string, startPath?: string): Promise<Response> {
  return agent.http.get(await throughIdp(agent, login, startPath));
}

/**
 * Follows the provider's end-session address (`url`, where Ruche's sign-out sent the browser)
 * in `idp`, confirms the sign-out on the provider's page, and returns where the provider sends
 * the browser back.
 */
export async function signOutAtIdp(idp: IdpBrowser, url: string): Promise<string> {
  const end = new URL(url);
  const page: Response = await idp.get(`${end.pathname}${end.search}`);
  const form = firstForm(page.text);
  if (!form) throw new Error(`no sign-out form at the provider (status ${page.status}): ${page.text.slice(0, 300)}`);
  const action = new URL(form.action, end);
  const confirmed: Response = await idp
    .post(`${action.pathname}${action.search}`)
    .type('form')
    .send({ ...form.fields, logout: 'yes' });
  if (!(confirmed.status >= 300 && confirmed.status < 400)) throw new Error(`the provider refused the sign-out (status ${confirmed.status})`);
  return String(confirmed.headers.location);
}
