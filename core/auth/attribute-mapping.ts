/**
 * The person an identity provider describes with named attributes (OIDC claims, SAML
 * attributes), read through the names an administrator configured: the account's address,
 * names, and the profile fields the provider keeps (locked here while linked). Shared by the
 * SSO plugins so each maps attributes the same way, groups to roles included.
 */
import type { Networks } from '../networks';
import type { ExternalIdentity } from './external-accounts';
import { rolesOfGroups } from './group-roles';

/** The attribute names to read; an empty name is not read. */
export interface AttributeMapping {
  email: string;
  name: string;
  username: string;
  department: string;
  jobTitle: string;
}

/** Where a provider's groups are read and what they grant: the attribute (e.g. `groups`) and the rules (core/auth/group-roles.ts). */
export interface GroupGrants {
  attribute: string;
  map: string;
  networks: Pick<Networks, 'root' | 'slug'>;
}

/** Every text of an attribute (one value or many), trimmed, empty ones left out. */
export function attributeTexts(attributes: Record<string, unknown>, name: string): string[] {
  if (!name) return [];
  const raw = attributes[name];
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : []));
}

/** An attribute's text: the value, or the first text of a multi-valued one; trimmed, undefined when empty. */
export function attributeText(attributes: Record<string, unknown>, name: string): string | undefined {
  if (!name) return undefined;
  const raw = attributes[name];
  const value = Array.isArray(raw) ? raw.find((v) => typeof v === 'string' && v.trim()) : raw;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The ExternalIdentity `attributes` describe: `provider` and `subject` name the link,
 * `emailVerified` says whether the provider vouches for the address (the address is kept in
 * sync only then). The locale comes from a `locale` attribute when there is one. With
 * `grants`, the roles the person's groups grant (given and taken back at each sign-in).
 */
export function mappedIdentity(
  provider: string,
  subject: string,
  attributes: Record<string, unknown>,
  mapping: AttributeMapping,
  emailVerified: boolean,
  grants?: GroupGrants,
): ExternalIdentity {
  const text = (name: string) => attributeText(attributes, name);
  const email = text(mapping.email) ?? '';
  const displayName = text(mapping.name);
  return {
    provider,
    subject,
    email,
    emailVerified,
    displayName,
    username: text(mapping.username),
    locale: text('locale')?.slice(0, 2),
    // Kept from the provider at each sign-in, and locked for editing here.
    synced: {
      displayName,
      email: emailVerified ? email : undefined,
      department: text(mapping.department),
      headline: text(mapping.jobTitle),
    },
    roles: grants ? rolesOfGroups(grants.networks, grants.map, attributeTexts(attributes, grants.attribute)) : undefined,
  };
}
