/**
 * The sso-oidc tests' app: Ruche installed (admin, English) with the plugin enabled and
 * pointed at a real OpenID Connect provider started for the test (tests/helpers/oidc-idp.ts),
 * on each database. Both are stopped when the test ends.
 */
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { IDP_CLIENT, startIdp, type IdpAccount, type TestIdp } from '../../helpers/oidc-idp';
import { ssoApp, type SsoApp } from '../../helpers/sso';

export interface OidcApp extends SsoApp<TestIdp> {
  idp: TestIdp;
}

/** The people the provider knows, by login. */
export const IDP_ACCOUNTS: Record<string, IdpAccount> = {
  jane: { email: 'jane.doe@corp.example', email_verified: true, name: 'Jane Doe', preferred_username: 'jane.doe' },
  bob: { email: 'bob@example.com', email_verified: true, name: 'Bob from the directory', preferred_username: 'bobby' },
  mallory: { email: 'admin@example.com', email_verified: false, name: 'Not the admin', preferred_username: 'mallory' },
  nomail: { name: 'No Address', preferred_username: 'nomail' },
  partner: { email: 'pat@partner.example', email_verified: true, name: 'Pat Partner', preferred_username: 'pat' },
};

/** The sub-networks whose callbacks the provider accepts besides the root's. */
export const SUB_NETWORKS = ['partner'];

export async function oidcApp(db: TestDatabase): Promise<OidcApp> {
  const app = await ssoApp(
    db,
    'sso-oidc',
    (site) =>
      startIdp({
        redirectUris: [`${site}/sso/oidc/callback`, ...SUB_NETWORKS.map((s) => `${site}/n/${s}/sso/oidc/callback`)],
        postLogoutRedirectUris: [`${site}/`, ...SUB_NETWORKS.map((s) => `${site}/n/${s}/`)],
        accounts: IDP_ACCOUNTS,
      }),
    (idp) => ({ label: 'Corp', issuer: idp.issuer, clientId: IDP_CLIENT.id, clientSecret: IDP_CLIENT.secret }),
  );
  return { ...app, idp: app.provider };
}

export const eachOidcApp = eachAppOf(oidcApp);
