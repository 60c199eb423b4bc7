/** A directory person as the core's ExternalIdentity: the account, the fields kept, the roles granted. */
import type { ExternalIdentity, ExternalRole, Runtime } from '../../core';
import type { DirectoryPerson } from './directory';
import { parseGroupMap, providerId, type LdapSettings } from './settings';

/** The roles `groupMap` grants to members of `groups` (lowercase DNs); rules naming an unknown network are skipped. */
export function rolesOf(rt: Pick<Runtime, 'networks'>, s: LdapSettings, groups: readonly string[]): ExternalRole[] {
  const roles: ExternalRole[] = [];
  for (const rule of parseGroupMap(s.groupMap).rules) {
    if (!groups.includes(rule.groupDn.toLowerCase())) continue;
    const network = rule.network === 'root' ? rt.networks.root() : rt.networks.slug(rule.network);
    if (network) roles.push({ networkId: network.id, role: rule.role });
  }
  return roles;
}

export function identityOf(rt: Pick<Runtime, 'networks'>, s: LdapSettings, person: DirectoryPerson): ExternalIdentity {
  const emailVerified = s.trustEmail && !!person.email;
  return {
    provider: providerId(s),
    subject: person.id,
    email: person.email ?? '',
    emailVerified,
    displayName: person.name,
    username: person.username ?? person.login,
    // Kept from the directory at each sign-in and sync, and locked for editing here.
    synced: {
      displayName: person.name,
      email: emailVerified ? person.email : undefined,
      department: person.department,
      headline: person.title,
    },
    roles: rolesOf(rt, s, person.groups),
  };
}
