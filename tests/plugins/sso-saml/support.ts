/**
 * The sso-saml tests' app: Ruche installed (admin, English) with the plugin enabled and
 * pointed at a SAML identity provider started for the test (tests/helpers/saml-idp.ts), on
 * each database; and the walk of a member through it. Both are stopped when the test ends.
 */
import type { Response } from 'supertest';
import type { TestAgent } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { startSamlIdp, type SamlAnswer, type SamlIdpAccount, type SamlTamper, type TestSamlIdp } from '../../helpers/saml-idp';
import { ssoApp, type SsoApp } from '../../helpers/sso';

export interface SamlApp extends SsoApp<TestSamlIdp> {
  idp: TestSamlIdp;
}

/** The people the provider knows, by NameID. */
export const SAML_ACCOUNTS: Record<string, SamlIdpAccount> = {
  jane: { email: 'jane.doe@corp.example', name: 'Jane Doe', username: 'jane.doe', department: 'Research' },
  bob: { email: 'bob@example.com', name: 'Bob from the directory', username: 'bobby' },
  nomail: { name: 'No Address', username: 'nomail' },
};

export async function samlApp(db: TestDatabase): Promise<SamlApp> {
  const app = await ssoApp(
    db,
    'sso-saml',
    () => startSamlIdp(structuredClone(SAML_ACCOUNTS)),
    (idp) => ({ label: 'Corp', idpMetadataUrl: idp.metadataUrl, usernameAttribute: 'uid', departmentAttribute: 'department' }),
  );
  return { ...app, idp: app.provider };
}

export const eachSamlApp = eachAppOf(samlApp);

/** Starts a sign-in in `agent`'s browser and returns the provider's answer for `login` (not posted yet). */
export async function samlAnswer(
  app: SamlApp,
  agent: TestAgent,
  login: string,
  tamper?: SamlTamper,
  startPath = '/sso/saml/start',
): Promise<SamlAnswer> {
  const start = await agent.http.get(startPath);
  if (start.status !== 302) throw new Error(`${startPath} answered ${start.status}: ${start.text.slice(0, 300)}`);
  return app.idp.answer(String(start.headers.location), login, tamper);
}

/** Posts the provider's answer to Ruche's assertion consumer service, as the browser does. */
export function postAnswer(agent: TestAgent, answer: SamlAnswer): Promise<Response> {
  const { pathname } = new URL(answer.acs);
  return agent.http.post(pathname).type('form').send({ SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState });
}

/** A whole sign-in through the provider: Ruche's answer to the posted assertion. */
export async function signInThroughSaml(app: SamlApp, agent: TestAgent, login: string, tamper?: SamlTamper): Promise<Response> {
  return postAnswer(agent, await samlAnswer(app, agent, login, tamper));
}
