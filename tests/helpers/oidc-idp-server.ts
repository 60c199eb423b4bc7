/**
 * A real OpenID Connect provider (`oidc-provider`, a certified implementation) for the SSO
 * tests, run as a child process by tests/helpers/oidc-idp.ts. Its set-up comes as JSON in
 * RUCHE_TEST_IDP: port, signing keys (rotated by restarting with others), clients, accounts,
 * and a clock shift in seconds (a provider whose clock is wrong issues tokens that have
 * expired, or are not valid yet, by the relying party's clock). It prints `listening <port>`.
 */
import http from 'node:http';

interface IdpSetup {
  port: number;
  keys: Record<string, unknown>[];
  clients: { client_id: string; client_secret: string; redirect_uris: string[]; post_logout_redirect_uris?: string[] }[];
  accounts: Record<string, Record<string, unknown>>;
  clockShiftSeconds: number;
  /** Alters the ID tokens the provider returns: re-signed for another audience, or with a broken signature. */
  tamper?: 'audience' | 'signature';
}

const setup = JSON.parse(process.env.RUCHE_TEST_IDP ?? '{}') as IdpSetup;
/** The clock is shifted while tokens are issued only (the browser's cookies keep sensible lifetimes). */
let issuing = false;
if (setup.clockShiftSeconds) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + (issuing ? setup.clockShiftSeconds * 1000 : 0);
}

interface GrantLike {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface OidcCtx {
  oidc: {
    client: { clientId: string };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    provider: { Grant: { new (init: Record<string, unknown>): GrantLike; find(id: string): Promise<GrantLike | undefined> } };
  };
}

interface KoaLike {
  path: string;
  body: unknown;
}

/** A middleware changing the ID token of token responses, signed again with the provider's own key when re-addressed. */
function tamperIdTokens(s: IdpSetup) {
  return async (ctx: KoaLike, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || !body?.id_token) return;
    const [header, payload, signature] = body.id_token.split('.');
    if (s.tamper === 'signature') {
      const flipped = signature[5] === 'A' ? 'B' : 'A';
      ctx.body = { ...body, id_token: `${header}.${payload}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}` };
      return;
    }
    const jose = require('jose') as typeof import('jose');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const key = await jose.importJWK(s.keys[0] as import('jose').JWK, 'RS256');
    const resigned = await new jose.SignJWT({ ...claims, aud: 'someone-else' })
      .setProtectedHeader({ alg: 'RS256', kid: String(s.keys[0].kid) })
      .sign(key);
    ctx.body = { ...body, id_token: resigned };
  };
}

async function main(): Promise<void> {
  const Provider = (
    require('oidc-provider') as { default: new (issuer: string, config: Record<string, unknown>) => { callback(): http.RequestListener } }
  ).default;
  const issuer = `http://127.0.0.1:${setup.port}`;
  const provider = new Provider(issuer, {
    clients: setup.clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'] })),
    jwks: { keys: setup.keys },
    cookies: { keys: ['ruche-test-idp-cookie-key'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'locale', 'groups'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const claims = setup.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // First-party clients: the member is not asked to consent (oidc-provider's documented recipe).
    async loadExistingGrant(ctx: OidcCtx) {
      const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const use = (provider as unknown as { use(mw: (ctx: KoaLike, next: () => Promise<void>) => Promise<void>): void }).use.bind(provider);
  use(async (ctx, next) => {
    issuing = ctx.path === '/token';
    try {
      await next();
    } finally {
      issuing = false;
    }
  });
  if (setup.tamper) use(tamperIdTokens(setup));
  const server = http.createServer(provider.callback());
  server.listen(setup.port, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : setup.port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
