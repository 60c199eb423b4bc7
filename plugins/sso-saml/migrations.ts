import { createTables, type Migration } from '../../core';

/**
 * Sign-ins under way: one row per authentication request sent to the identity provider, from
 * the redirect until its answer comes back (or ten minutes pass). The answer must name the
 * request (`InResponseTo`); the row is deleted as the answer is read, so a replayed answer
 * finds nothing and an answer nobody asked for (IdP-initiated) is refused.
 */
export const migrations: Migration[] = [
  createTables('001_sso_saml_requests', {
    sso_saml_requests: (t) => {
      t.string('id', 128).primary();
      t.integer('network_id').notNullable();
      t.string('next', 2000).notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['created_at']);
    },
  }),
];
