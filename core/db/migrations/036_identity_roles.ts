import { addColumns } from '../migration';

/**
 * `user_identities.roles`: the roles a provider's group rules gave the member (JSON list of
 * network id, role, and the role held before, null when none), so that they are taken back
 * when the directory no longer puts the member in the group (core/auth/external-accounts.ts).
 */
export const identityRoles = addColumns('036_identity_roles', 'user_identities', { roles: (t, c) => t.text(c).nullable() });
