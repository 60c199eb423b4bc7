/**
 * Sign in with the organisation's directory (OpenLDAP, Active Directory...) through `ldapts`:
 * the directory password checked by binding as the person (found with a service account, or
 * named by a DN template), over ldaps:// or StartTLS; attributes mapped to the account and the
 * profile (kept in sync and locked); directory groups mapped to roles in networks; and a
 * scheduled sync that creates, updates and suspends members (leavers, disabled accounts), with
 * `ruche sso sync ldap --dry-run` to see what it would do. Accounts are linked or created by
 * the core (core/auth/external-accounts.ts).
 */
import { definePlugin, onFilter, registerService, ssoProviderHooks } from '../../core';
import { PROVIDER_NAME, SIGN_IN_PATH, SSO_LDAP_PLUGIN_ID, SYNC_EVERY_MS, SYNC_JOB } from './constants';
import { ldapRoutes } from './routes';
import { LdapSignIn } from './service';
import { checkDirectory } from './check';
import { directoryOf, ldapSettings, providerId } from './settings';
import { syncDirectory } from './sync';

export default definePlugin({
  id: SSO_LDAP_PLUGIN_ID,
  version: '1.0.0',
  name: 'sso-ldap.plugin.name',
  description: 'sso-ldap.plugin.description',
  core: '^1.0.0',
  routes: ldapRoutes,
  templates: ['sign-in'],
  // Secrets, role maps and accounts linked by email: installation rights in every network.
  settingsRights: 'installation',
  settings: ldapSettings,
  jobs: [
    {
      kind: SYNC_JOB,
      everyMs: SYNC_EVERY_MS,
      maxAttempts: 1,
      // Each directory once (a sub-network without its own follows the root's), where `sync` is on.
      async handler(_payload, rt) {
        const done = new Set<string>();
        for (const network of rt.networks.all()) {
          if (!rt.pluginState.isEnabled(SSO_LDAP_PLUGIN_ID, network.id)) continue;
          const s = directoryOf(rt.pluginState.settings(SSO_LDAP_PLUGIN_ID, network.id));
          if (!s?.sync || done.has(providerId(s))) continue;
          done.add(providerId(s));
          const report = await syncDirectory(rt, network, s, false);
          if (report.error) rt.logger.error({ network: network.slug, error: report.error }, 'directory sync did not run');
        }
      },
    },
  ],
  hooks: [
    ...ssoProviderHooks({
      pluginId: SSO_LDAP_PLUGIN_ID,
      name: PROVIDER_NAME,
      startPath: SIGN_IN_PATH,
      order: 20,
      label(rt, networkId) {
        const directory = directoryOf(rt.pluginState.settings(SSO_LDAP_PLUGIN_ID, networkId));
        return directory ? rt.container.resolve(LdapSignIn).label(directory) : null;
      },
      check: (rt, network) => checkDirectory(directoryOf(rt.pluginState.settings(SSO_LDAP_PLUGIN_ID, network.id)), network),
    }),
    onFilter('sso:sync', (report, { provider, networkId, dryRun }, rt) => {
      const network = rt.networks.get(networkId);
      if (report || provider !== PROVIDER_NAME || !network) return report;
      const s = directoryOf(rt.pluginState.settings(SSO_LDAP_PLUGIN_ID, networkId));
      if (!s)
        return {
          provider: PROVIDER_NAME,
          dryRun,
          read: 0,
          changes: [],
          error: 'no directory is configured in this network (ruche sso test ldap says what to set)',
        };
      return syncDirectory(rt, network, s, dryRun);
    }),
  ],
  i18n: 'i18n',
  services(container) {
    registerService(container, LdapSignIn);
  },
});
