/**
 * `ruche sso test saml`: the network's identity provider checked as the sign-in will use it —
 * configured, its metadata read (entity id, single sign-on address, signing certificates and
 * their expiry), the single sign-on address answering an authentication request, the group
 * rules — and what to
 * register at the provider (this service's entity id, assertion consumer service, metadata).
 */
import { X509Certificate } from 'node:crypto';
import { groupRulesCheck, type NetworkInfo, type SsoCheckReport, type SsoCheckStep } from '../../core';
import { METADATA_PATH } from './constants';
import type { SamlSignIn } from './service';

const TIMEOUT_MS = 10_000;

export async function checkProvider(signIn: SamlSignIn, network: NetworkInfo): Promise<SsoCheckReport> {
  const steps: SsoCheckStep[] = [];
  const report = { provider: 'saml', steps };
  const found = await signIn.configured(network);
  if ('failure' in found) {
    const unset = found.failure === 'notConfigured';
    const detail = unset
      ? 'set the provider metadata: ruche plugin config sso-saml idpMetadataUrl=<url> (or idpMetadata="$(cat metadata.xml)")'
      : String((found.details.error as { message?: string } | undefined)?.message ?? found.failure);
    steps.push({ label: unset ? 'configuration' : 'metadata', ok: false, detail });
    return report;
  }
  const { metadata, provider } = found;
  steps.push({
    label: 'metadata',
    ok: true,
    detail: `${provider.idpMetadataUrl || 'pasted'}: entity ${metadata.entityId}, sign-on ${metadata.ssoUrl}`,
  });
  steps.push(certificatesStep(metadata.certificates));
  steps.push(await signOnStep(signIn, network));
  steps.push(groupRulesCheck(provider.groupMap));
  steps.push({ label: 'entity id to register at the provider', ok: true, detail: signIn.entityId(network) });
  steps.push({ label: 'reply URL (assertion consumer service) to register', ok: true, detail: signIn.acsUrl(network) });
  steps.push({ label: "this service's metadata", ok: true, detail: signIn.acsUrl(network).replace(/\/sso\/saml\/acs$/, METADATA_PATH) });
  return report;
}

/** The signing certificates, with the first one's expiry: an expired one fails. */
function certificatesStep(certificates: string[]): SsoCheckStep {
  const label = 'signing certificates';
  try {
    const parsed = certificates.map((c) => new X509Certificate(Buffer.from(c, 'base64')));
    const expired = parsed.filter((c) => new Date(c.validTo).getTime() < Date.now());
    const latest = parsed.map((c) => new Date(c.validTo)).sort((a, b) => b.getTime() - a.getTime())[0];
    if (expired.length === parsed.length)
      return { label, ok: false, detail: `every certificate has expired (last on ${latest.toISOString().slice(0, 10)})` };
    return { label, ok: true, detail: `${parsed.length} certificate(s), valid until ${latest.toISOString().slice(0, 10)}` };
  } catch (e) {
    return { label, ok: false, detail: `a certificate cannot be read: ${(e as Error).message}` };
  }
}

/** The single sign-on address answers an authentication request (any answer but a server error or none). */
async function signOnStep(signIn: SamlSignIn, network: NetworkInfo): Promise<SsoCheckStep> {
  const label = 'single sign-on service';
  const started = await signIn.start(network, '/');
  if ('failure' in started) return { label, ok: false, detail: JSON.stringify(started.details.error ?? started.failure) };
  try {
    const res = await fetch(started.url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.status >= 500) return { label, ok: false, detail: `${new URL(started.url).origin} answered ${res.status} to an authentication request` };
    return { label, ok: true, detail: `answers an authentication request (${res.status})` };
  } catch (e) {
    return { label, ok: false, detail: `${new URL(started.url).origin}: ${(e as Error).message}` };
  }
}
