// `ruche sso test <provider>` against a real OpenID Connect provider (oidc-provider on
// 127.0.0.1): a working configuration passes every step; a wrong secret, a provider that is
// down, an unknown provider or network exit non-zero with a message.
import test from 'ava';
import { databaseKinds } from '../helpers/databases';
import { IDP_CLIENT, startIdp } from '../helpers/oidc-idp';
import { assertOneLineError } from './helpers';
import { installed } from './setup';

for (const kind of databaseKinds()) {
  test(`sso test oidc checks discovery, keys and credentials [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const idp = await startIdp({ redirectUris: ['http://localhost:3000/sso/oidc/callback'], accounts: {} });
    t.teardown(() => idp.stop());

    const none = await i.ruche('sso', 'test', 'oidc');
    t.is(none.code, 1);
    assertOneLineError(t, none, /no provider "oidc" in the root network \(enable one first, e\.g\. ruche plugin enable sso-oidc\)/);

    t.is((await i.ruche('plugin', 'enable', 'sso-oidc')).code, 0);
    const unset = await i.ruche('sso', 'test', 'oidc');
    t.is(unset.code, 1);
    t.regex(unset.stdout, /^FAIL {2}configuration: set issuer and clientId/m);

    const config = await i.ruche(
      'plugin',
      'config',
      'sso-oidc',
      `issuer=${idp.issuer}`,
      `clientId=${IDP_CLIENT.id}`,
      `clientSecret=${IDP_CLIENT.secret}`,
    );
    t.is(config.code, 0, config.stderr);
    const good = await i.ruche('sso', 'test', 'oidc');
    t.is(good.code, 0, good.stdout + good.stderr);
    t.regex(good.stdout, /^ok {4}discovery: authorization http:\/\/127\.0\.0\.1:\d+\/auth/m);
    t.regex(good.stdout, new RegExp(`^ok {4}signing keys: 1 key\\(s\\): ${idp.kid}$`, 'm'));
    t.regex(good.stdout, /^ok {4}client credentials: accepted by the token endpoint$/m);
    t.regex(good.stdout, /^ok {4}redirect URI to register at the provider: http:\/\/\S+\/sso\/oidc\/callback$/m);
    t.regex(good.stdout, /oidc in the root network is ready\./);

    t.is((await i.ruche('plugin', 'config', 'sso-oidc', 'clientSecret=wrong')).code, 0);
    const wrong = await i.ruche('sso', 'test', 'oidc');
    t.is(wrong.code, 1);
    t.regex(wrong.stdout, /^FAIL {2}client credentials: refused by the token endpoint: invalid_client/m);

    await idp.stop();
    const down = await i.ruche('sso', 'test', 'oidc');
    t.is(down.code, 1);
    t.regex(down.stdout, /^FAIL {2}discovery: /m);

    const unknown = await i.ruche('sso', 'test', 'saml');
    t.is(unknown.code, 1);
    assertOneLineError(t, unknown, /no provider "saml" in the root network \(enabled: oidc\)/);
    const nowhere = await i.ruche('sso', 'test', 'oidc', '--network', 'nowhere');
    t.is(nowhere.code, 1);
    assertOneLineError(t, nowhere, /there is no network "nowhere"/);
    const missing = await i.ruche('sso', 'test');
    t.not(missing.code, 0);
    t.regex(missing.stderr, /^ruche: missing required argument 'provider'/m);
  });
}
