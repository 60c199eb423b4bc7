/**
 * Sign in with an OpenID Connect provider (Entra ID, Google Workspace, Keycloak, Authentik...):
 * the authorisation code flow with PKCE, state and nonce through `openid-client`. Each network
 * has its provider in the plugin's settings (admin page Plugins → Settings, or
 * `ruche plugin config sso-oidc ...`); a sub-network without its own follows the root network's.
 * Accounts are linked or created by the core (core/auth/external-accounts.ts).
 */
import { definePlugin, onFilter, registerService, ssoProviderHooks } from '../../core';
import { PROVIDER_NAME, SSO_OIDC_PLUGIN_ID, START_PATH } from './constants';
import { migrations } from './migrations';
import { oidcRoutes } from './routes';
import { OidcSignIn, providerOf } from './service';
import { checkProvider } from './check';

/** A claim's name; an optional one may be left empty (not read). */
const claim = (label: string, value: string, optional = false) => ({
  type: 'string' as const,
  default: value,
  label,
  maxLength: 100,
  pattern: `^[A-Za-z0-9_.:/-]${optional ? '*' : '+'}$`,
});

export default definePlugin({
  id: SSO_OIDC_PLUGIN_ID,
  version: '1.0.0',
  name: 'sso-oidc.plugin.name',
  description: 'sso-oidc.plugin.description',
  core: '^1.0.0',
  routes: oidcRoutes,
  migrations,
  // Secrets, role maps and accounts linked by email: installation rights in every network.
  settingsRights: 'installation',
  settings: {
    label: { type: 'string', default: '', label: 'sso-oidc.settings.label', maxLength: 60, pattern: '^[^<>]*$' },
    issuer: { type: 'string', default: '', label: 'sso-oidc.settings.issuer', maxLength: 500, pattern: '^(https?://[^\\s]+)?$' },
    clientId: { type: 'string', default: '', label: 'sso-oidc.settings.clientId', maxLength: 300, pattern: '^[^\\s]*$' },
    clientSecret: { type: 'string', default: '', label: 'sso-oidc.settings.clientSecret', maxLength: 500, secret: true },
    scopes: {
      type: 'string',
      default: 'openid email profile',
      label: 'sso-oidc.settings.scopes',
      maxLength: 300,
      pattern: '^openid( [A-Za-z0-9_.:/-]+)*$',
    },
    emailClaim: claim('sso-oidc.settings.emailClaim', 'email'),
    nameClaim: claim('sso-oidc.settings.nameClaim', 'name'),
    usernameClaim: claim('sso-oidc.settings.usernameClaim', 'preferred_username'),
    departmentClaim: claim('sso-oidc.settings.departmentClaim', '', true),
    jobTitleClaim: claim('sso-oidc.settings.jobTitleClaim', '', true),
    trustEmail: { type: 'boolean', default: false, label: 'sso-oidc.settings.trustEmail' },
    groupsClaim: claim('sso-oidc.settings.groupsClaim', 'groups', true),
    groupMap: { type: 'text', default: '', label: 'sso-oidc.settings.groupMap', maxLength: 10_000 },
  },
  hooks: [
    ...ssoProviderHooks({
      pluginId: SSO_OIDC_PLUGIN_ID,
      name: PROVIDER_NAME,
      startPath: START_PATH,
      order: 10,
      label(rt, networkId) {
        const provider = providerOf(rt.pluginState.settings(SSO_OIDC_PLUGIN_ID, networkId));
        return provider ? provider.label || new URL(provider.issuer).hostname : null;
      },
      check: (rt, network, siteUrl) => checkProvider(rt.container.resolve(OidcSignIn), network, siteUrl),
    }),
    // Signing out of a session opened here ends the provider's session too, where it offers that.
    onFilter('logout:redirect', async (away, { sessionId }, rt) => away ?? (await rt.container.resolve(OidcSignIn).endSessionUrl(sessionId)) ?? null),
  ],
  i18n: 'i18n',
  services(container) {
    registerService(container, OidcSignIn);
  },
});
