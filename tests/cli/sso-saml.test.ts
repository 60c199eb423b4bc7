// `ruche sso test saml` against a SAML identity provider started by the test
// (tests/helpers/saml-idp.ts): a working configuration passes every step and names what to
// register at the provider; unset, unreachable or unusable metadata exits non-zero.
import test from 'ava';
import { databaseKinds } from '../helpers/databases';
import { startSamlIdp } from '../helpers/saml-idp';
import { installed } from './setup';

for (const kind of databaseKinds()) {
  test(`sso test saml checks the metadata, the certificates and the sign-on service [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const idp = await startSamlIdp({});
    t.teardown(() => idp.stop());

    t.is((await i.ruche('plugin', 'enable', 'sso-saml')).code, 0);
    const unset = await i.ruche('sso', 'test', 'saml');
    t.is(unset.code, 1);
    t.regex(unset.stdout, /^FAIL {2}configuration: set the provider metadata: ruche plugin config sso-saml idpMetadataUrl=<url>/m);

    const config = await i.ruche('plugin', 'config', 'sso-saml', `idpMetadataUrl=${idp.metadataUrl}`);
    t.is(config.code, 0, config.stderr);
    const good = await i.ruche('sso', 'test', 'saml');
    t.is(good.code, 0, good.stdout + good.stderr);
    t.regex(good.stdout, new RegExp(`^ok {4}metadata: ${idp.metadataUrl}: entity ${idp.entityId}, sign-on http://127\\.0\\.0\\.1:\\d+/sso$`, 'm'));
    t.regex(good.stdout, /^ok {4}signing certificates: 1 certificate\(s\), valid until \d{4}-\d\d-\d\d$/m);
    t.regex(good.stdout, /^ok {4}single sign-on service: answers an authentication request \(200\)$/m);
    t.regex(good.stdout, /^ok {4}entity id to register at the provider: http:\/\/\S+\/sso\/saml\/metadata$/m);
    t.regex(good.stdout, /^ok {4}reply URL \(assertion consumer service\) to register: http:\/\/\S+\/sso\/saml\/acs$/m);
    t.regex(good.stdout, /saml in the root network is ready\./);

    await idp.stop();
    const down = await i.ruche('sso', 'test', 'saml');
    t.is(down.code, 1);
    t.regex(down.stdout, /^FAIL {2}metadata: /m);

    t.is((await i.ruche('plugin', 'config', 'sso-saml', 'idpMetadataUrl=', 'idpMetadata=<not-metadata/>')).code, 0);
    const bad = await i.ruche('sso', 'test', 'saml');
    t.is(bad.code, 1);
    t.regex(bad.stdout, /^FAIL {2}metadata: the metadata describes no identity provider \(IDPSSODescriptor\)$/m);
  });
}
