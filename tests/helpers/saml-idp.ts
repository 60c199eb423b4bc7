/**
 * A SAML 2.0 identity provider for tests, on 127.0.0.1: its metadata, a login page answering
 * Ruche's authentication requests (HTTP-Redirect binding), and the answer a browser posts
 * back (HTTP-POST binding), its assertion signed with `xml-crypto` — the library
 * `@node-saml/node-saml` verifies signatures with — by a key and certificate made for the
 * test with openssl. `answer` builds the same answer without the pages (integration tests),
 * optionally spoiled: a tampered signature, no signature on the assertion, another audience,
 * an expired assertion.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { selfSignedCertificate } from './certificates';

export interface SamlIdpAccount {
  email?: string;
  name?: string;
  username?: string;
  department?: string;
  /** Sent as a multi-valued `groups` attribute. */
  groups?: string[];
}

/** How an answer is spoiled. `responseOnly`: the Response is signed, its assertion is not. */
export type SamlTamper = 'signature' | 'unsigned' | 'responseOnly' | 'audience' | 'expired';

export interface SamlAnswer {
  /** Where the browser posts it (Ruche's assertion consumer service). */
  acs: string;
  SAMLResponse: string;
  RelayState: string;
}

export interface TestSamlIdp {
  entityId: string;
  metadataUrl: string;
  /** The metadata document (to paste in the settings instead of its URL). */
  metadata: string;
  /** The people it knows, by login (changed by a test: the next answers follow). */
  accounts: Record<string, SamlIdpAccount>;
  /** The answer to the authentication request in `requestUrl` (Ruche's redirect) for `login`. */
  answer(requestUrl: string, login: string, tamper?: SamlTamper): SamlAnswer;
  stop(): Promise<void>;
}

const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const certBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

/** What Ruche's authentication request (the `SAMLRequest` of its redirect) asks. */
export function authnRequestOf(requestUrl: string): { id: string; acs: string; issuer: string; relayState: string } {
  const url = new URL(requestUrl);
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? '';
  const issuer = /<(?:saml:)?Issuer[^>]*>([^<]*)</.exec(xml)?.[1] ?? '';
  return { id: attr('ID'), acs: attr('AssertionConsumerServiceURL'), issuer, relayState: url.searchParams.get('RelayState') ?? '' };
}

/** A provider's sign-on address carrying an authentication request Ruche never made (for an unrequested answer). */
export function madeUpRequestUrl(acs: string, issuer: string): string {
  const xml = `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" ID="_made-up" AssertionConsumerServiceURL="${esc(acs)}"><saml:Issuer xmlns:saml="${NS.assertion}">${esc(issuer)}</saml:Issuer></samlp:AuthnRequest>`;
  return `http://127.0.0.1/sso?SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString('base64'))}`;
}

export async function startSamlIdp(accounts: Record<string, SamlIdpAccount>): Promise<TestSamlIdp> {
  const { key, cert } = selfSignedCertificate('ruche-test-idp');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const entityId = `${base}/metadata`;
  const metadata =
    `<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.ds}" entityID="${entityId}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="${NS.protocol}" WantAuthnRequestsSigned="false">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${base}/sso"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/sso"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>\n`;

  const sign = (xml: string, element: 'Assertion' | 'Response'): string => {
    const sig = new SignedXml({
      privateKey: key,
      publicCert: cert,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    const target = element === 'Assertion' ? "//*[local-name(.)='Assertion']" : "/*[local-name(.)='Response']";
    sig.addReference({
      xpath: target,
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    sig.computeSignature(xml, { location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' } });
    return sig.getSignedXml();
  };

  const answer = (requestUrl: string, login: string, tamper?: SamlTamper): SamlAnswer => {
    const request = authnRequestOf(requestUrl);
    const account = accounts[login] ?? {};
    const shift = tamper === 'expired' ? -2 * 3600_000 : 0;
    const at = (ms: number) => new Date(Date.now() + shift + ms).toISOString();
    const audience = tamper === 'audience' ? 'https://another-service.example/' : request.issuer;
    const values: [string, string[]][] = Object.entries({
      email: account.email,
      displayName: account.name,
      uid: account.username,
      department: account.department,
      groups: account.groups,
    }).flatMap(([name, v]) => (v?.length ? [[name, [v].flat()]] : []));
    const attributes = values
      .map(
        ([name, vs]) =>
          `<saml:Attribute Name="${name}">${vs.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
      )
      .join('');
    const assertion =
      `<saml:Assertion xmlns:saml="${NS.assertion}" ID="_a${randomUUID()}" Version="2.0" IssueInstant="${at(0)}">` +
      `<saml:Issuer>${esc(entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${esc(login)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData InResponseTo="${esc(request.id)}" NotOnOrAfter="${at(300_000)}" Recipient="${esc(request.acs)}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${at(-60_000)}" NotOnOrAfter="${at(300_000)}">` +
      `<saml:AudienceRestriction><saml:Audience>${esc(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="_s${randomUUID()}"><saml:AuthnContext>` +
      `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
      `</saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
      `</saml:Assertion>`;
    let xml =
      `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="_r${randomUUID()}" Version="2.0" ` +
      `IssueInstant="${at(0)}" Destination="${esc(request.acs)}" InResponseTo="${esc(request.id)}">` +
      `<saml:Issuer>${esc(entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    if (tamper === 'responseOnly') xml = sign(xml, 'Response');
    else if (tamper !== 'unsigned') xml = sign(xml, 'Assertion');
    // After signing: the signed content changed on the way (another person's address).
    if (tamper === 'signature') xml = xml.replace(esc(account.email ?? ''), 'admin@example.com');
    return { acs: request.acs, SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: request.relayState };
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Test IdP</title></head><body>${body}</body></html>`);
    };
    if (url.pathname === '/metadata') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
      res.end(metadata);
    } else if (url.pathname === '/sso' && req.method === 'GET') {
      html(
        200,
        `<h1>Test IdP</h1><form method="post" action="/sso/login"><input type="hidden" name="request" value="${esc(url.href)}">` +
          `<label>Login <input name="login"></label><button type="submit">Sign in</button></form>`,
      );
    } else if (url.pathname === '/sso/login' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const a = answer(form.get('request') ?? '', form.get('login') ?? '');
        html(
          200,
          `<form method="post" action="${esc(a.acs)}"><input type="hidden" name="SAMLResponse" value="${a.SAMLResponse}">` +
            `<input type="hidden" name="RelayState" value="${esc(a.RelayState)}"><button type="submit">Continue</button></form>`,
        );
      });
    } else html(404, 'not found');
  });

  return {
    entityId,
    accounts,
    metadataUrl: `${base}/metadata`,
    metadata,
    answer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
