/**
 * The plugin's settings (per network; a sub-network without its own follows the root's): the
 * identity provider's metadata (from its URL, or the file's content pasted), the attributes
 * read, and whether its addresses are taken as verified.
 */
import type { AttributeMapping, SettingsSchema, SettingsValues } from '../../core';

/** An attribute's name (a SAML attribute is often a URI); an optional one may be left empty (not read). */
const attribute = (label: string, value: string, optional = false) => ({
  type: 'string' as const,
  default: value,
  label,
  maxLength: 200,
  pattern: `^[A-Za-z0-9_.:/#-]${optional ? '*' : '+'}$`,
});

export const samlSettings: SettingsSchema = {
  label: { type: 'string', default: '', label: 'sso-saml.settings.label', maxLength: 60, pattern: '^[^<>]*$' },
  idpMetadataUrl: { type: 'string', default: '', label: 'sso-saml.settings.idpMetadataUrl', maxLength: 1000, pattern: '^(https?://[^\\s]+)?$' },
  idpMetadata: { type: 'text', default: '', label: 'sso-saml.settings.idpMetadata', maxLength: 200_000 },
  spEntityId: { type: 'string', default: '', label: 'sso-saml.settings.spEntityId', maxLength: 500, pattern: '^[^\\s<>"]*$' },
  emailAttribute: attribute('sso-saml.settings.emailAttribute', 'email'),
  nameAttribute: attribute('sso-saml.settings.nameAttribute', 'displayName'),
  usernameAttribute: attribute('sso-saml.settings.usernameAttribute', '', true),
  departmentAttribute: attribute('sso-saml.settings.departmentAttribute', '', true),
  jobTitleAttribute: attribute('sso-saml.settings.jobTitleAttribute', '', true),
  trustEmail: { type: 'boolean', default: true, label: 'sso-saml.settings.trustEmail' },
  groupsAttribute: attribute('sso-saml.settings.groupsAttribute', 'groups', true),
  groupMap: { type: 'text', default: '', label: 'sso-saml.settings.groupMap', maxLength: 10_000 },
};

/** A network's identity provider, as configured. */
export interface SamlSettings {
  label: string;
  idpMetadataUrl: string;
  idpMetadata: string;
  spEntityId: string;
  emailAttribute: string;
  nameAttribute: string;
  usernameAttribute: string;
  departmentAttribute: string;
  jobTitleAttribute: string;
  trustEmail: boolean;
  /** The attribute listing the person's groups, and the rules mapping them to roles (core/auth/group-roles.ts). */
  groupsAttribute: string;
  groupMap: string;
}

/** The provider configured in `settings` (its metadata from a URL or pasted), or undefined. */
export function providerOf(settings: SettingsValues): SamlSettings | undefined {
  const s = settings as unknown as SamlSettings;
  return s.idpMetadataUrl || s.idpMetadata.trim() ? s : undefined;
}

export const mappingOf = (s: SamlSettings): AttributeMapping => ({
  email: s.emailAttribute,
  name: s.nameAttribute,
  username: s.usernameAttribute,
  department: s.departmentAttribute,
  jobTitle: s.jobTitleAttribute,
});
