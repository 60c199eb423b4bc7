/**
 * The plugin's settings (per network; a sub-network without its own follows the root's) and
 * the directory they describe. Defaults suit OpenLDAP; README.md has Active Directory's.
 */
import type { SettingsSchema, SettingsValues } from '../../core';

const text = (label: string, value: string, maxLength = 500, pattern = '^[^\\n]*$') => ({
  type: 'string' as const,
  default: value,
  label,
  maxLength,
  pattern,
});
const attribute = (label: string, value: string) => text(label, value, 100, '^([A-Za-z][A-Za-z0-9-]*)?$');

export const ldapSettings: SettingsSchema = {
  label: text('sso-ldap.settings.label', '', 60, '^[^<>]*$'),
  url: text('sso-ldap.settings.url', '', 500, '^(ldaps?://[^\\s]+)?$'),
  startTls: { type: 'boolean', default: false, label: 'sso-ldap.settings.startTls' },
  caFile: text('sso-ldap.settings.caFile', ''),
  baseDn: text('sso-ldap.settings.baseDn', ''),
  bindDn: text('sso-ldap.settings.bindDn', ''),
  bindPassword: { ...text('sso-ldap.settings.bindPassword', ''), secret: true },
  userDnTemplate: text('sso-ldap.settings.userDnTemplate', ''),
  userFilter: text('sso-ldap.settings.userFilter', '(objectClass=inetOrgPerson)', 1000, '^(\\(.*\\))?$'),
  loginAttribute: attribute('sso-ldap.settings.loginAttribute', 'uid'),
  disabledFilter: text('sso-ldap.settings.disabledFilter', '', 1000, '^(\\(.*\\))?$'),
  idAttribute: attribute('sso-ldap.settings.idAttribute', 'entryUUID'),
  emailAttribute: attribute('sso-ldap.settings.emailAttribute', 'mail'),
  nameAttribute: attribute('sso-ldap.settings.nameAttribute', 'displayName'),
  usernameAttribute: attribute('sso-ldap.settings.usernameAttribute', 'uid'),
  departmentAttribute: attribute('sso-ldap.settings.departmentAttribute', 'departmentNumber'),
  titleAttribute: attribute('sso-ldap.settings.titleAttribute', 'title'),
  trustEmail: { type: 'boolean', default: true, label: 'sso-ldap.settings.trustEmail' },
  groupMap: { type: 'text', default: '', label: 'sso-ldap.settings.groupMap', maxLength: 10_000 },
  sync: { type: 'boolean', default: false, label: 'sso-ldap.settings.sync' },
};

/** A network's directory, as configured. */
export interface LdapSettings {
  label: string;
  url: string;
  startTls: boolean;
  caFile: string;
  baseDn: string;
  bindDn: string;
  bindPassword: string;
  userDnTemplate: string;
  userFilter: string;
  loginAttribute: string;
  disabledFilter: string;
  idAttribute: string;
  emailAttribute: string;
  nameAttribute: string;
  usernameAttribute: string;
  departmentAttribute: string;
  titleAttribute: string;
  trustEmail: boolean;
  groupMap: string;
  sync: boolean;
}

/** The directory configured in `settings`, or undefined: a URL, a base DN, and a way to find people (service account or DN template). */
export function directoryOf(settings: SettingsValues): LdapSettings | undefined {
  const s = settings as unknown as LdapSettings;
  return s.url && s.baseDn && (s.bindDn || s.userDnTemplate) ? s : undefined;
}

/** The id links are kept under in `user_identities`: one directory per base DN. */
export const providerId = (s: LdapSettings): string => `ldap:${s.baseDn.toLowerCase()}`;
