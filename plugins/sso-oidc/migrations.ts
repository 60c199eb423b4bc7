import { createTables, type Migration } from '../../core';

/**
 * Sign-ins under way: one row from the redirect to the provider until its answer comes back
 * (or ten minutes pass). The state names the row; the PKCE verifier and the nonce never leave
 * the server; a row is deleted when used, so a replayed answer finds nothing.
 */
export const migrations: Migration[] = [
  createTables('001_sso_oidc_logins', {
    sso_oidc_logins: (t) => {
      t.string('state', 64).primary();
      t.integer('network_id').notNullable();
      t.string('code_verifier', 128).notNullable();
      t.string('nonce', 64).notNullable();
      t.string('next', 2000).notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['created_at']);
    },
  }),
  /**
   * Sessions opened through the provider: the ID token it issued (the hint its end-session
   * endpoint asks for), by Ruche session id, until the member signs out (RP-initiated logout).
   */
  createTables('002_sso_oidc_sessions', {
    sso_oidc_sessions: (t) => {
      t.string('session_id', 64).primary();
      t.integer('network_id').notNullable();
      t.text('id_token').notNullable();
      t.bigInteger('created_at').notNullable().index();
    },
  }),
];
