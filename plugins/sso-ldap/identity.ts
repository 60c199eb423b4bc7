/** A directory person as the core's ExternalIdentity: the account, the fields kept, the roles granted. */
import { rolesOfGroups, type ExternalIdentity, type Runtime } from '../../core';
import type { DirectoryPerson } from './directory';
import { providerId, type LdapSettings } from './settings';

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
    roles: rolesOfGroups(rt.networks, s.groupMap, person.groups),
  };
}
