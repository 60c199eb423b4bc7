/**
 * Sign in with a SAML 2.0 identity provider (Entra ID, Keycloak, ADFS, Okta...) through
 * `@node-saml/node-saml`: this service's metadata served at /sso/saml/metadata, the provider's
 * read from its URL or pasted, signed assertions required. Each network has its provider in
 * the plugin's settings (admin page Plugins → Settings, or `ruche plugin config sso-saml ...`);
 * a sub-network without its own follows the root network's. Accounts are linked or created by
 * the core (core/auth/external-accounts.ts); attributes are mapped by the core's
 * `mappedIdentity`, as for OpenID Connect.
 */
import { definePlugin, registerService, ssoProviderHooks } from '../../core';
import { PROVIDER_NAME, SSO_SAML_PLUGIN_ID, START_PATH } from './constants';
import { migrations } from './migrations';
import { samlRoutes } from './routes';
import { SamlSignIn } from './service';
import { checkProvider } from './check';
import { providerOf, samlSettings } from './settings';

export default definePlugin({
  id: SSO_SAML_PLUGIN_ID,
  version: '1.0.0',
  name: 'sso-saml.plugin.name',
  description: 'sso-saml.plugin.description',
  core: '^1.0.0',
  routes: samlRoutes,
  migrations,
  // Secrets, role maps and accounts linked by email: installation rights in every network.
  settingsRights: 'installation',
  settings: samlSettings,
  hooks: [
    ...ssoProviderHooks({
      pluginId: SSO_SAML_PLUGIN_ID,
      name: PROVIDER_NAME,
      startPath: START_PATH,
      order: 15,
      label(rt, networkId) {
        const provider = providerOf(rt.pluginState.settings(SSO_SAML_PLUGIN_ID, networkId));
        if (!provider) return null;
        return provider.label || (provider.idpMetadataUrl ? new URL(provider.idpMetadataUrl).hostname : 'SAML');
      },
      check: (rt, network) => checkProvider(rt.container.resolve(SamlSignIn), network),
    }),
  ],
  i18n: 'i18n',
  services(container) {
    registerService(container, SamlSignIn);
  },
});
