/**
 * Signing in over HTTP, as a browser does: GET /login gives the CSRF cookie and token,
 * POST /login with the member's username and password answers 303 with the session cookie.
 */

export interface LoginForm {
  /** Cookie header carrying the CSRF cookie (no session). */
  cookie: string;
  /** urlencoded body: _csrf, login, password. */
  body: string;
}

function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie?.() ?? []) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

const header = (jar: Map<string, string>): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function fetchWithTimeout(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
}

/** A ready-to-post login form for `username` (CSRF cookie and token from GET /login). */
export async function loginForm(base: string, username: string, password: string): Promise<LoginForm> {
  const jar = new Map<string, string>();
  const page = await fetchWithTimeout(`${base}/login`);
  cookiesOf(page, jar);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`GET /login answered ${page.status}${csrf ? '' : ' without a CSRF token'}`);
  return { cookie: header(jar), body: new URLSearchParams({ _csrf: csrf, login: username, password }).toString() };
}

/** Signs in as `username`; resolves to the Cookie header of the signed-in browser. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const form = await loginForm(base, username, password);
  const res = await fetchWithTimeout(`${base}/login`, {
    method: 'POST',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.body,
  });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status} (expected 303): check the password in bench-targets.json`);
  const jar = new Map(
    form.cookie
      .split('; ')
      .filter(Boolean)
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string]),
  );
  cookiesOf(res, jar);
  return header(jar);
}
