import type { Knex } from 'knex';
import { createRowTrigger, createSubstringIndex, dropRowTrigger, dropSubstringIndex, foldStatements, type Migration } from '../../core';
import { NAMES_TRIGRAMS } from './people';

const isSqlite = (db: Knex): boolean => db.client.config.client === 'sqlite3';
const dialectOf = (db: Knex): 'sqlite' | 'postgres' => (isSqlite(db) ? 'sqlite' : 'postgres');

/**
 * The index keeps text only (who may see a result is read from `entities` at query time).
 * SQLite: an FTS5 table whose rowid is the entity id, folding accents and stemming English
 * plurals and endings (`porter unicode61 remove_diacritics 2`). PostgreSQL: the text and a
 * weighted `tsvector` (title and tags A, body B; `french`, `english` or `simple` by the text's
 * language, accents folded by the app) under a GIN index. Both: `derived_search_terms`, the distinct
 * words indexed, which "did you mean" compares a word without results with.
 */
export const migrations: Migration[] = [
  {
    name: '001_search_index',
    async up(db) {
      if (isSqlite(db)) {
        // A restore over an installation clears the data tables but not SQLite's virtual ones: an index left from it goes.
        await db.raw('drop table if exists search_fts');
        await db.raw(`create virtual table search_fts using fts5(title, body, keywords, tokenize = 'porter unicode61 remove_diacritics 2')`);
      } else {
        await db.schema.createTable('derived_search_docs', (t) => {
          t.bigInteger('entity_id').primary();
          t.text('title').notNullable();
          t.text('body').notNullable();
          t.string('language', 8).notNullable();
          t.specificType('tsv', 'tsvector').notNullable();
        });
        await db.raw('create index derived_search_docs_tsv on derived_search_docs using gin (tsv)');
      }
      await db.schema.createTable('derived_search_terms', (t) => {
        t.string('term', 40).primary();
        t.string('initial', 4).notNullable();
        t.integer('length').notNullable();
        t.index(['initial', 'length'], 'derived_search_terms_initial_length');
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('derived_search_terms');
      if (isSqlite(db)) await db.raw('drop table if exists search_fts');
      else await db.schema.dropTableIfExists('derived_search_docs');
    },
  },
  {
    // The FTS5 table gains `scope`: tokens naming each row's network, type, container and author
    // (`n12 tstatus c340 u56`), so a search in a network, a tab or a group narrows the match inside
    // the index instead of joining every match to `entities`. The index is derived: emptied here,
    // rebuilt by the first catch-up (`ensureBuilt`). PostgreSQL keeps the same facts as columns.
    name: '002_search_scope',
    async up(db) {
      if (isSqlite(db)) await createFts(db, '');
      else {
        await db('derived_search_docs').delete();
        await db.schema.alterTable('derived_search_docs', (t) => {
          t.integer('network_id').notNullable();
          t.string('type', 64).notNullable();
          t.index(['network_id', 'type', 'entity_id'], 'derived_search_docs_scope');
        });
      }
    },
    async down(db) {
      if (isSqlite(db)) {
        await db.raw('drop table if exists search_fts');
        await db.raw(`create virtual table search_fts using fts5(title, body, keywords, tokenize = 'porter unicode61 remove_diacritics 2')`);
      } else {
        await db('derived_search_docs').delete();
        await db.schema.alterTable('derived_search_docs', (t) => {
          t.dropIndex(['network_id', 'type', 'entity_id'], 'derived_search_docs_scope');
          t.dropColumn('network_id');
          t.dropColumn('type');
        });
      }
    },
  },
  {
    // People search compares words with each member's name and username folded once, when they
    // are written (row triggers on `users`), instead of folding 10,000 names per request.
    name: '003_search_names',
    async up(db) {
      await db.schema.createTable('search_names', (t) => {
        t.integer('user_id').primary().references('users.id').onDelete('CASCADE');
        t.string('folded', 300).notNullable();
      });
      // The name and the username side by side (a word holds no space, so it never spans both), then folded.
      const fold = (where: string): string[] => foldStatements(dialectOf(db), 'search_names', 'folded', where);
      await db.raw(`insert into search_names (user_id, folded) select u.id, u.display_name || ' ' || u.username_lower from users u`);
      for (const statement of fold('1 = 1')) await db.raw(statement);
      const statements = [
        `insert into search_names (user_id, folded) values (new.id, new.display_name || ' ' || new.username_lower) on conflict (user_id) do update set folded = excluded.folded`,
        ...fold('user_id = new.id'),
      ];
      await createRowTrigger(db, { name: 'search_names_insert', table: 'users', timing: 'after', event: 'insert', statements });
      await createRowTrigger(db, {
        name: 'search_names_update',
        table: 'users',
        timing: 'after',
        event: 'update of display_name, username_lower',
        statements,
      });
    },
    async down(db) {
      await dropRowTrigger(db, 'search_names_insert', 'users');
      await dropRowTrigger(db, 'search_names_update', 'users');
      await db.schema.dropTableIfExists('search_names');
    },
  },
  {
    // The trigrams of the folded names (issue 21): a searched word is looked up in them instead
    // of compared with every member's name (core/db/substring-index.ts).
    name: '004_search_names_trigrams',
    up: (db) => createSubstringIndex(db, NAMES_TRIGRAMS),
    down: (db) => dropSubstringIndex(db, NAMES_TRIGRAMS),
  },
  {
    // Prefix indexes of two to four characters (issue 21): a suggestion while typing (`sup`)
    // matches its prefix as one list read in order, where FTS5 merged the list of every word
    // starting with it (56,693 rows on the bench site to find 335 groups). Same answers. The
    // index is derived: emptied here, rebuilt by the first catch-up (`ensureBuilt`) or `ruche
    // search reindex`. PostgreSQL's GIN index reads a prefix as it is.
    name: '005_search_prefixes',
    async up(db) {
      if (isSqlite(db)) await createFts(db, `, prefix = '2 3 4'`);
    },
    async down(db) {
      if (isSqlite(db)) await createFts(db, '');
    },
  },
  {
    // The FTS5 index merged into one segment (issue 21): a rebuild left one segment per batch of
    // 1,000 (14 on the bench site after automerge), and a match reads each segment's part of a
    // word's list: finding the newest matches cost three times as much. `ruche search reindex`
    // merges after each rebuild from now on. PostgreSQL's GIN index has no segments: nothing.
    name: '006_search_merged',
    async up(db) {
      if (isSqlite(db)) await optimizeFts(db);
    },
    async down() {
      // A merged index reads the same rows: nothing to undo.
    },
  },
];

/** SQLite: merges every segment of the FTS5 index into one (same rows, each word's list read once). */
export async function optimizeFts(db: Knex): Promise<void> {
  await db.raw(`insert into search_fts (search_fts) values ('optimize')`);
}

/** The FTS5 table (migration 002's columns and tokenizer), dropped and created empty, with these options. */
async function createFts(db: Knex, options: string): Promise<void> {
  await db.raw('drop table if exists search_fts');
  await db.raw(
    `create virtual table search_fts using fts5(title, body, keywords, scope, tokenize = 'porter unicode61 remove_diacritics 2'${options})`,
  );
}
