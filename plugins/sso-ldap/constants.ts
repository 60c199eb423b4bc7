/** The sso-ldap plugin's id, its route, its job and the name `ruche sso` knows it by. */
export const SSO_LDAP_PLUGIN_ID = 'sso-ldap';
/** The name `ruche sso test|sync` knows the plugin's provider by. */
export const PROVIDER_NAME = 'ldap';
export const SIGN_IN_PATH = '/sso/ldap';
/** The directory sync: every hour, in each network whose provider has `sync` on. */
export const SYNC_JOB = 'sso-ldap.sync';
export const SYNC_EVERY_MS = 60 * 60_000;
/** How long one operation may wait for the directory. */
export const LDAP_TIMEOUT_MS = 10_000;
