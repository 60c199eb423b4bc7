import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * The form a token was created by (core/auth/api-tokens.ts `createOnce`): each token form
 * carries a random nonce, stored with the token it made and unique per member, so a double
 * submit of one form finds the token the first made instead of making a second. Null for
 * tokens made otherwise (the CLI, tests, tokens from before).
 */
export const apiTokenNonce: Migration = {
  name: '042_api_token_nonce',
  async up(db: Knex) {
    await db.schema.alterTable('api_tokens', (t) => {
      t.string('form_nonce', 64).nullable();
    });
    await db.schema.alterTable('api_tokens', (t) => {
      t.unique(['user_id', 'form_nonce'], { indexName: 'api_tokens_form_nonce_unique' });
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('api_tokens', (t) => {
      t.dropUnique(['user_id', 'form_nonce'], 'api_tokens_form_nonce_unique');
    });
    await db.schema.alterTable('api_tokens', (t) => t.dropColumn('form_nonce'));
  },
};
