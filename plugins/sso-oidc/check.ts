/**
 * `ruche sso test oidc`: the network's provider checked step by step, as the sign-in will use
 * it — configured, discovered, its signing keys published, the client's credentials accepted
 * by the token endpoint (a made-up code is sent: `invalid_grant` means the client was
 * authenticated and only the code refused; `invalid_client` means the credentials are wrong),
 * the group rules.
 */
import { groupRulesCheck, type NetworkInfo, type SsoCheckReport, type SsoCheckStep } from '../../core';
import type { OidcSignIn } from './service';

const TIMEOUT_MS = 10_000;

export async function checkProvider(signIn: OidcSignIn, network: NetworkInfo, siteUrl: string): Promise<SsoCheckReport> {
  const steps: SsoCheckStep[] = [];
  const report = { provider: 'oidc', steps };
  const provider = signIn.provider(network);
  if (!provider) {
    steps.push({
      label: 'configuration',
      ok: false,
      detail: 'set issuer and clientId: ruche plugin config sso-oidc issuer=<url> clientId=<id> clientSecret=<secret>',
    });
    return report;
  }
  steps.push({ label: 'configuration', ok: true, detail: `issuer ${provider.issuer}, client ${provider.clientId}` });
  let metadata: { token_endpoint?: string; jwks_uri?: string; authorization_endpoint?: string };
  try {
    metadata = (await signIn.discover(provider)).serverMetadata();
    steps.push({ label: 'discovery', ok: true, detail: `authorization ${metadata.authorization_endpoint}, token ${metadata.token_endpoint}` });
  } catch (e) {
    steps.push({ label: 'discovery', ok: false, detail: (e as Error).message });
    return report;
  }
  steps.push(await keysStep(metadata.jwks_uri));
  steps.push(await credentialsStep(metadata.token_endpoint, provider.clientId, provider.clientSecret, signIn.callbackUrl(siteUrl, network)));
  steps.push(groupRulesCheck(provider.groupMap));
  steps.push({ label: 'redirect URI to register at the provider', ok: true, detail: signIn.callbackUrl(siteUrl, network) });
  return report;
}

async function keysStep(jwksUri: string | undefined): Promise<SsoCheckStep> {
  const label = 'signing keys';
  if (!jwksUri) return { label, ok: false, detail: 'the provider publishes no jwks_uri' };
  try {
    const res = await fetch(jwksUri, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const keys = ((await res.json()) as { keys?: { kid?: string }[] }).keys ?? [];
    if (!res.ok || !keys.length) return { label, ok: false, detail: `${jwksUri} answered ${res.status} with ${keys.length} key(s)` };
    return { label, ok: true, detail: `${keys.length} key(s): ${keys.map((k) => k.kid ?? '?').join(', ')}` };
  } catch (e) {
    return { label, ok: false, detail: `${jwksUri}: ${(e as Error).message}` };
  }
}

async function credentialsStep(tokenEndpoint: string | undefined, clientId: string, secret: string, redirectUri: string): Promise<SsoCheckStep> {
  const label = 'client credentials';
  if (!tokenEndpoint) return { label, ok: false, detail: 'the provider publishes no token_endpoint' };
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: 'ruche-sso-test', redirect_uri: redirectUri });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (secret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  else body.set('client_id', clientId);
  try {
    const res = await fetch(tokenEndpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const answer = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
    if (answer.error === 'invalid_grant') return { label, ok: true, detail: 'accepted by the token endpoint' };
    const why = `${answer.error ?? `status ${res.status}`}${answer.error_description ? ` (${answer.error_description})` : ''}`;
    return { label, ok: false, detail: `refused by the token endpoint: ${why}` };
  } catch (e) {
    return { label, ok: false, detail: `${tokenEndpoint}: ${(e as Error).message}` };
  }
}
