import { createTables, type Migration } from '../migration';
import { userIdColumn } from '../migration';

/**
 * Accounts signed in through an identity provider (OIDC, LDAP...): one row per provider and
 * subject (the provider's stable id of the person), pointing at the member it was linked to
 * (core/auth/external-accounts.ts). A member may have several; a subject belongs to one member.
 */
export const userIdentities: Migration = createTables('020_user_identities', {
  user_identities: (t) => {
    t.increments('id').primary();
    t.string('provider', 255).notNullable();
    t.string('subject', 255).notNullable();
    userIdColumn(t, 'user_id');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at').notNullable();
    t.unique(['provider', 'subject']);
    t.index(['user_id']);
  },
});
