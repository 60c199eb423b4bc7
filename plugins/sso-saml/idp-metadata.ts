/**
 * The identity provider's SAML metadata: its entity id, where to send people (the
 * single sign-on service's HTTP-Redirect binding) and the certificates it signs with. Read
 * from the configured URL at each step (a provider rolling its certificate over needs nothing
 * here), or from the pasted file.
 */
import { DOMParser } from '@xmldom/xmldom';
import type { SamlSettings } from './settings';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const FETCH_TIMEOUT_MS = 10_000;
const MAX_METADATA_BYTES = 1_000_000;

export interface IdpMetadata {
  entityId: string;
  /** The single sign-on service (HTTP-Redirect binding). */
  ssoUrl: string;
  /** Signing certificates, base64 DER as in the metadata. */
  certificates: string[];
}

/** Metadata that cannot be used, with the reason (for the log and `ruche sso test saml`). */
export class MetadataError extends Error {}

/** The provider's metadata, from its URL or the pasted content. */
export async function loadMetadata(s: SamlSettings): Promise<IdpMetadata> {
  return parseMetadata(s.idpMetadataUrl ? await fetchMetadata(s.idpMetadataUrl) : s.idpMetadata);
}

async function fetchMetadata(address: string): Promise<string> {
  const url = new URL(address);
  // Plain http only to a provider on this machine (development, tests); https anywhere else.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new MetadataError(`the metadata URL must use https: ${address}`);
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new MetadataError(`${address} answered ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_METADATA_BYTES) throw new MetadataError(`${address} is larger than ${MAX_METADATA_BYTES} bytes`);
  return text;
}

/** Reads an EntityDescriptor (alone or the first identity provider of an EntitiesDescriptor). */
export function parseMetadata(xml: string): IdpMetadata {
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: (level, message) => level !== 'warning' && errors.push(String(message)) }).parseFromString(
    xml.trim(),
    'text/xml',
  );
  if (errors.length || !doc?.documentElement) throw new MetadataError(`the metadata is not well-formed XML: ${errors[0] ?? 'empty'}`);
  const idp = Array.from(doc.getElementsByTagNameNS(MD, 'IDPSSODescriptor'))[0];
  if (!idp) throw new MetadataError('the metadata describes no identity provider (IDPSSODescriptor)');
  const entity = idp.parentNode as Element | null;
  const entityId = entity?.getAttribute('entityID') ?? '';
  if (!entityId) throw new MetadataError('the metadata has no entityID');
  const sso = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService')).find((e) => e.getAttribute('Binding') === REDIRECT_BINDING);
  const ssoUrl = sso?.getAttribute('Location') ?? '';
  if (!/^https?:\/\//.test(ssoUrl)) throw new MetadataError('the metadata has no SingleSignOnService with the HTTP-Redirect binding');
  const certificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter(Boolean);
  if (!certificates.length) throw new MetadataError('the metadata has no signing certificate (KeyDescriptor use="signing")');
  return { entityId, ssoUrl, certificates };
}
