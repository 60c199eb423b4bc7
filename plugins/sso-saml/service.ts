/**
 * SAML 2.0 sign-in with `@node-saml/node-saml`, the service provider side: an authentication
 * request sent with the HTTP-Redirect binding, the answer posted back (HTTP-POST binding) and
 * checked — the assertion signed by a certificate of the provider's metadata, addressed to
 * this service (audience), within its validity window, and answering a request this network
 * made and has not seen answered yet (`sso_saml_requests`, used once).
 */
import { DOMParser } from '@xmldom/xmldom';
import { SAML, SamlStatusError, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import {
  attributeText,
  mappedIdentity,
  networkUrl,
  type ExternalIdentity,
  type NetworkInfo,
  type Runtime,
  type ExternalSignInRefusal,
} from '../../core';
import { ACS_PATH, CLOCK_SKEW_MS, METADATA_PATH, REQUEST_TTL_MS, SSO_SAML_PLUGIN_ID } from './constants';
import { loadMetadata, type IdpMetadata } from './idp-metadata';
import { mappingOf, providerOf, type SamlSettings } from './settings';

/** A refusal, with what the log gets (never shown to the person). */
export type SamlFailure = ExternalSignInRefusal;

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

export class SamlSignIn {
  static readonly uses = ['config', 'db', 'networks', 'pluginState'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof SamlSignIn.uses)[number]>) {}

  /** The provider configured for `network`, or undefined. */
  provider(network: NetworkInfo): SamlSettings | undefined {
    return providerOf(this.rt.pluginState.settings(SSO_SAML_PLUGIN_ID, network.id));
  }

  /** This service's entity id at the provider: configured, or the address of its metadata. */
  entityId(network: NetworkInfo): string {
    const configured = this.rt.pluginState.settings(SSO_SAML_PLUGIN_ID, network.id).spEntityId;
    return typeof configured === 'string' && configured ? configured : `${networkUrl(this.rt.config.siteUrl, network)}${METADATA_PATH}`;
  }

  /** The assertion consumer service's address, where the provider posts its answers. */
  acsUrl(network: NetworkInfo): string {
    return `${networkUrl(this.rt.config.siteUrl, network)}${ACS_PATH}`;
  }

  /** This service's metadata, to register at the provider (Entra ID, Keycloak... import it). */
  metadata(network: NetworkInfo): string {
    return this.saml(
      network,
      { entityId: '', ssoUrl: '', certificates: [] },
      { saveAsync: async () => null, getAsync: async () => null, removeAsync: async () => null },
    ).generateServiceProviderMetadata(null);
  }

  /** Starts a sign-in: records the request and returns the provider's address to go to. */
  async start(network: NetworkInfo, next: string): Promise<{ url: string } | SamlFailure> {
    const found = await this.configured(network);
    if ('failure' in found) return found;
    const db = this.rt.db;
    const now = Date.now();
    await db('sso_saml_requests')
      .where('created_at', '<', now - REQUEST_TTL_MS)
      .delete();
    const requests: CacheProvider = {
      async saveAsync(id, value) {
        await db('sso_saml_requests').insert({ id, network_id: network.id, next, created_at: now });
        return { value, createdAt: now };
      },
      getAsync: async () => null,
      removeAsync: async () => null,
    };
    try {
      return { url: await this.saml(network, found.metadata, requests).getAuthorizeUrlAsync('', undefined, {}) };
    } catch (e) {
      return { failure: 'provider', details: { step: 'request', error: describe(e) } };
    }
  }

  /** Finishes a sign-in from the provider's posted answer: the person it vouches for, and where to send them after. */
  async finish(network: NetworkInfo, samlResponse: string): Promise<{ identity: ExternalIdentity; next: string } | SamlFailure> {
    if (!samlResponse) return { failure: 'state', details: { error: 'no SAMLResponse' } };
    const inResponseTo = answeredRequest(samlResponse);
    const request = inResponseTo ? await this.consume(network, inResponseTo) : undefined;
    if (!request) return { failure: 'state', details: { inResponseTo: inResponseTo?.slice(0, 40) ?? null } };
    const found = await this.configured(network);
    if ('failure' in found) return found;
    // The request was taken from the table above: node-saml checks the answer names it, and that its subject confirmation does.
    const answered = new Map([[inResponseTo!, new Date(request.createdAt).toISOString()]]);
    const requests: CacheProvider = {
      saveAsync: async () => null,
      getAsync: async (id) => answered.get(id) ?? null,
      removeAsync: async (id) => (id && answered.delete(id) ? id : null),
    };
    let profile: Profile | null;
    try {
      ({ profile } = await this.saml(network, found.metadata, requests).validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (e) {
      return {
        failure: e instanceof SamlStatusError ? 'denied' : 'token',
        details: { step: 'response', idp: found.metadata.entityId, error: describe(e) },
      };
    }
    if (!profile?.nameID) return { failure: 'token', details: { error: 'no NameID in the assertion' } };
    if (profile.nameIDFormat === TRANSIENT)
      return { failure: 'token', details: { error: 'transient NameID: configure a persistent or email NameID at the provider' } };
    const s = found.provider;
    const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
    const verified = s.trustEmail && !!attributeText(attributes, s.emailAttribute);
    const grants = { attribute: s.groupsAttribute, map: s.groupMap, networks: this.rt.networks };
    const identity = mappedIdentity(`saml:${found.metadata.entityId}`, profile.nameID, attributes, mappingOf(s), verified, grants);
    return { identity, next: request.next };
  }

  /** The network's provider and its metadata, or why there is none. */
  async configured(network: NetworkInfo): Promise<{ provider: SamlSettings; metadata: IdpMetadata } | SamlFailure> {
    const provider = this.provider(network);
    if (!provider) return { failure: 'notConfigured', details: {} };
    try {
      return { provider, metadata: await loadMetadata(provider) };
    } catch (e) {
      return { failure: 'provider', details: { step: 'metadata', url: provider.idpMetadataUrl || null, error: describe(e) } };
    }
  }

  private saml(network: NetworkInfo, idp: IdpMetadata, requests: CacheProvider): SAML {
    return new SAML({
      issuer: this.entityId(network),
      audience: this.entityId(network),
      callbackUrl: this.acsUrl(network),
      entryPoint: idp.ssoUrl || undefined,
      idpIssuer: idp.entityId || undefined,
      idpCert: idp.certificates.length ? idp.certificates : 'none',
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_TTL_MS,
      cacheProvider: requests,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      // The provider names the person as it is configured to (persistent, email...).
      identifierFormat: null,
      // Entra ID refuses a request for password authentication from someone signing in otherwise.
      disableRequestedAuthnContext: true,
    });
  }

  /** The request named `id`, deleted as it is read (once only), when this network made it less than ten minutes ago. */
  private async consume(network: NetworkInfo, id: string): Promise<{ next: string; createdAt: number } | undefined> {
    if (id.length > 128) return undefined;
    const row = await this.rt.db('sso_saml_requests').where({ id }).first('network_id', 'next', 'created_at');
    if (!row) return undefined;
    // Deleted first: of two answers to the same request, only the one that deletes the row goes on.
    const deleted = Number(await this.rt.db('sso_saml_requests').where({ id }).delete());
    const createdAt = Number(row.created_at);
    if (!deleted || Number(row.network_id) !== network.id || Date.now() - createdAt > REQUEST_TTL_MS) return undefined;
    return { next: String(row.next), createdAt };
  }
}

/** The request a posted answer says it answers (`InResponseTo` of the Response), or undefined. */
function answeredRequest(samlResponse: string): string | undefined {
  try {
    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
    return doc?.documentElement?.getAttribute('InResponseTo') || undefined;
  } catch {
    return undefined;
  }
}

function describe(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  return { name: e.name, message: e.message };
}
