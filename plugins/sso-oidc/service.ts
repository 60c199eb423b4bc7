/**
 * OpenID Connect sign-in with `openid-client`: the authorisation code flow with PKCE, state
 * and nonce. The provider of a network comes from the plugin's settings (a sub-network
 * without its own follows the root network's). Each step discovers the provider afresh, so a
 * changed configuration applies at once and the provider's current signing keys are read at
 * every callback (key rotation, even an emergency one, needs nothing here). ID token signatures
 * are verified against those keys.
 */
import * as oidc from 'openid-client';
import {
  mappedIdentity,
  networkUrl,
  type ExternalIdentity,
  type NetworkInfo,
  type Runtime,
  type SettingsValues,
  type ExternalSignInRefusal,
} from '../../core';
import { CALLBACK_PATH, LOGIN_TTL_MS, SESSION_TTL_MS, SSO_OIDC_PLUGIN_ID } from './constants';

/** A network's provider, as configured. */
export interface OidcProviderSettings {
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  emailClaim: string;
  nameClaim: string;
  usernameClaim: string;
  departmentClaim: string;
  jobTitleClaim: string;
  trustEmail: boolean;
  /** The claim listing the person's groups, and the rules mapping them to roles (core/auth/group-roles.ts). */
  groupsClaim: string;
  groupMap: string;
}

/** A refusal, with what the log gets (never shown to the person). */
export type OidcFailure = ExternalSignInRefusal;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DISCOVERY_TIMEOUT_SECONDS = 10;

export const providerOf = (settings: SettingsValues): OidcProviderSettings | undefined => {
  const s = settings as unknown as OidcProviderSettings;
  return s.issuer && s.clientId ? s : undefined;
};

export class OidcSignIn {
  static readonly uses = ['config', 'db', 'networks', 'pluginState'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof OidcSignIn.uses)[number]>) {}

  /** The provider configured for `network`, or undefined. */
  provider(network: NetworkInfo): OidcProviderSettings | undefined {
    return providerOf(this.rt.pluginState.settings(SSO_OIDC_PLUGIN_ID, network.id));
  }

  /** The address the provider sends people back to; the provider must have it registered. */
  callbackUrl(siteUrl: string, network: NetworkInfo): string {
    return `${networkUrl(siteUrl, network)}${CALLBACK_PATH}`;
  }

  /** Discovers the provider (its endpoints and keys) with the client's credentials. */
  async discover(provider: OidcProviderSettings): Promise<oidc.Configuration> {
    const issuer = new URL(provider.issuer);
    // Plain http only to a provider on this machine (development, tests); https anywhere else.
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    if (issuer.protocol !== 'https:' && !insecure) throw new TypeError(`the issuer must use https: ${provider.issuer}`);
    const auth = provider.clientSecret ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.None();
    // ID tokens are checked against the provider's published keys even though they come straight
    // from its token endpoint (OIDC allows trusting TLS there): a forged or tampered token is refused.
    return oidc.discovery(issuer, provider.clientId, undefined, auth, {
      execute: [oidc.enableNonRepudiationChecks, ...(insecure ? [oidc.allowInsecureRequests] : [])],
      timeout: DISCOVERY_TIMEOUT_SECONDS,
    });
  }

  /** The network's provider and its discovered configuration, or why there is none. */
  private async configured(network: NetworkInfo): Promise<{ provider: OidcProviderSettings; config: oidc.Configuration } | OidcFailure> {
    const provider = this.provider(network);
    if (!provider) return { failure: 'notConfigured', details: {} };
    try {
      return { provider, config: await this.discover(provider) };
    } catch (e) {
      return { failure: 'provider', details: { step: 'discovery', issuer: provider.issuer, error: describe(e) } };
    }
  }

  /** Starts a sign-in: remembers its secrets under a fresh state and returns the provider's address to go to. */
  async start(network: NetworkInfo, next: string): Promise<{ url: string; state: string } | OidcFailure> {
    const found = await this.configured(network);
    if ('failure' in found) return found;
    const { provider, config } = found;
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const now = Date.now();
    await this.rt
      .db('sso_oidc_logins')
      .where('created_at', '<', now - LOGIN_TTL_MS)
      .delete();
    await this.rt.db('sso_oidc_logins').insert({ state, network_id: network.id, code_verifier: codeVerifier, nonce, next, created_at: now });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.callbackUrl(this.rt.config.siteUrl, network),
      scope: provider.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Finishes a sign-in from the provider's answer (`search`: the callback's query string),
   * checked against the state the browser holds: the person the provider vouches for, and
   * where to send them after.
   */
  async finish(
    network: NetworkInfo,
    search: string,
    browserState: string | undefined,
  ): Promise<{ identity: ExternalIdentity; next: string; idToken?: string } | OidcFailure> {
    const params = new URLSearchParams(search);
    const state = params.get('state') ?? '';
    const pending = await this.consume(network, state, browserState);
    if (!pending) return { failure: 'state', details: { state: state.slice(0, 16) } };
    const error = params.get('error');
    if (error) return { failure: 'denied', details: { error, description: params.get('error_description') } };
    const found = await this.configured(network);
    if ('failure' in found) return found;
    const { provider, config } = found;
    try {
      const currentUrl = new URL(`${this.callbackUrl(this.rt.config.siteUrl, network)}${search}`);
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return { failure: 'token', details: { error: 'no ID token' } };
      let all: Record<string, unknown> = { ...claims };
      if (!all[provider.emailClaim] && config.serverMetadata().userinfo_endpoint) {
        all = { ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)), ...all };
      }
      return { identity: this.identityOf(provider, claims.iss, all), next: pending.next, idToken: tokens.id_token };
    } catch (e) {
      return { failure: isUnreachable(e) ? 'provider' : 'token', details: { step: 'callback', issuer: provider.issuer, error: describe(e) } };
    }
  }

  /** Keeps the ID token of the Ruche session `sessionId` opened through the provider, for signing out there too. */
  async remember(sessionId: string, network: NetworkInfo, idToken: string): Promise<void> {
    const now = Date.now();
    const db = this.rt.db;
    await db('sso_oidc_sessions')
      .where('created_at', '<', now - SESSION_TTL_MS)
      .delete();
    await db('sso_oidc_sessions')
      .insert({ session_id: sessionId, network_id: network.id, id_token: idToken, created_at: now })
      .onConflict('session_id')
      .merge();
  }

  /**
   * The provider's end-session address for the Ruche session `sessionId` when it was opened
   * through the provider and the provider offers one (`end_session_endpoint`), sending the
   * browser back to the network's home; undefined otherwise (signed out of Ruche only). The
   * kept ID token is forgotten either way.
   */
  async endSessionUrl(sessionId: string): Promise<string | undefined> {
    const row = await this.rt.db('sso_oidc_sessions').where({ session_id: sessionId }).first('network_id', 'id_token');
    if (!row) return undefined;
    await this.rt.db('sso_oidc_sessions').where({ session_id: sessionId }).delete();
    const network = this.rt.networks.get(Number(row.network_id));
    const found = network ? await this.configured(network) : undefined;
    if (!network || !found || 'failure' in found || !found.config.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(found.config, {
      id_token_hint: String(row.id_token),
      post_logout_redirect_uri: `${networkUrl(this.rt.config.siteUrl, network)}/`,
    }).href;
  }

  /** The sign-in under way named by `state`, deleted as it is read (once only), when this browser started it in this network. */
  private async consume(
    network: NetworkInfo,
    state: string,
    browserState: string | undefined,
  ): Promise<{ code_verifier: string; nonce: string; next: string } | undefined> {
    if (!state || state.length > 64 || state !== browserState) return undefined;
    const row = await this.rt.db('sso_oidc_logins').where({ state }).first('network_id', 'code_verifier', 'nonce', 'next', 'created_at');
    if (!row) return undefined;
    // Deleted first: of two callbacks with the same state, only the one that deletes the row goes on.
    const deleted = Number(await this.rt.db('sso_oidc_logins').where({ state }).delete());
    if (!deleted || Number(row.network_id) !== network.id || Date.now() - Number(row.created_at) > LOGIN_TTL_MS) return undefined;
    return row;
  }

  /** The person as the claims describe them, through the configured claim names; their groups' roles. */
  private identityOf(provider: OidcProviderSettings, issuer: string, claims: Record<string, unknown>): ExternalIdentity {
    const mapping = {
      email: provider.emailClaim,
      name: provider.nameClaim,
      username: provider.usernameClaim,
      department: provider.departmentClaim,
      jobTitle: provider.jobTitleClaim,
    };
    const verified = provider.trustEmail || claims.email_verified === true;
    const grants = { attribute: provider.groupsClaim, map: provider.groupMap, networks: this.rt.networks };
    return mappedIdentity(`oidc:${issuer}`, String(claims.sub), claims, mapping, verified, grants);
  }
}

/** Whether the provider could not be reached at all (as opposed to answering wrongly). */
function isUnreachable(e: unknown): boolean {
  return e instanceof TypeError && /fetch failed/i.test(e.message);
}

function describe(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  const err = e as Error & { code?: string; error?: string; error_description?: string; cause?: unknown };
  return { name: err.name, message: err.message, code: err.code, error: err.error, description: err.error_description };
}
