import { cardVersionMigration, createTables, dropTables, entityIdColumn, networkIdColumn, userIdColumn, type Migration } from '../../core';
import { reasonCounts } from './constants';
import { linkOldAuditEntries } from './old-audit-refs';

/**
 * Reports (one per reporter and target: a second submit changes nothing, a report after a
 * decision opens it again), the entities hidden by a moderator (the entity itself is
 * withheld — the core's `withheld` — so every surface hides it; the row says why, for the
 * mark and for "show again"), and the warnings sent to authors.
 */
export const migrations: Migration[] = [
  createTables('001_moderation', {
    moderation_reports: (t) => {
      t.increments('id');
      networkIdColumn(t);
      // `entity` (a post, a blog, a file...) or `member`; the reported member is the entity's author or the member.
      t.string('target_type', 10).notNullable();
      t.integer('target_id').unsigned().notNullable();
      userIdColumn(t, 'target_user_id');
      // The entity's container (a group) when it has one: its admins review it too.
      t.integer('container_id').unsigned().nullable();
      userIdColumn(t, 'reporter_id');
      t.string('reason', 20).notNullable();
      t.text('note').notNullable().defaultTo('');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('resolved_at').nullable();
      t.string('outcome', 20).nullable();
      t.integer('resolved_by').unsigned().nullable();
      t.unique(['network_id', 'target_type', 'target_id', 'reporter_id']);
      t.index(['network_id', 'resolved_at', 'created_at']);
      t.index(['container_id', 'resolved_at']);
    },
    moderation_hidden: (t) => {
      entityIdColumn(t, 'entity_id').primary();
      t.integer('network_id').unsigned().notNullable();
      t.integer('hidden_by').unsigned().notNullable();
      t.bigInteger('hidden_at').notNullable();
    },
    moderation_warnings: (t) => {
      t.increments('id');
      networkIdColumn(t);
      userIdColumn(t, 'user_id');
      t.string('target_type', 10).notNullable();
      t.integer('target_id').unsigned().notNullable();
      t.text('message').notNullable();
      t.integer('created_by').unsigned().notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['user_id', 'created_at']);
    },
  }),
  {
    // Watched words per network (one row per folded key: adding a word again changes its action),
    // and whether a hidden entity waits for review (held by a watched word) rather than was hidden.
    name: '002_watched_words',
    async up(db) {
      await db.schema.createTable('moderation_watched_words', (t) => {
        t.increments('id');
        networkIdColumn(t);
        t.string('key', 200).notNullable();
        t.string('pattern', 200).notNullable();
        t.string('action', 10).notNullable();
        t.string('replacement', 100).notNullable().defaultTo('');
        t.integer('created_by').unsigned().notNullable();
        t.bigInteger('updated_at').notNullable();
        t.unique(['network_id', 'key']);
      });
      await db.schema.alterTable('moderation_hidden', (t) => {
        t.boolean('held').notNullable().defaultTo(false);
      });
    },
    async down(db) {
      await db.schema.alterTable('moderation_hidden', (t) => {
        t.dropColumn('held');
      });
      await dropTables(db, 'moderation_watched_words');
    },
  },
  {
    // What a moderator hid or a watched word held was unpublished; the core now withholds it
    // (`entities.withheld`, which no edit of its author clears) and `published` is the author's again.
    name: '003_withheld',
    async up(db) {
      const hidden = db('moderation_hidden').select('entity_id');
      await db('entities').whereIn('id', hidden).update({ withheld: true, published: true });
    },
    async down(db) {
      const hidden = db('moderation_hidden').select('entity_id');
      await db('entities').whereIn('id', hidden).update({ withheld: false, published: false });
    },
  },
  // The new-member safeguards' pace (safeguards.ts): one row per piece a member posted in a
  // network within the last hour, with its links; older rows go at the member's next piece.
  createTables('004_posting_pace', {
    moderation_pace: (t) => {
      t.increments('id');
      networkIdColumn(t);
      userIdColumn(t, 'user_id');
      t.bigInteger('at').notNullable();
      t.integer('links').notNullable().defaultTo(0);
      t.index(['network_id', 'user_id', 'at']);
    },
  }),
  {
    // The queue's history (history.ts): one row per decision, with what was decided, by whom and
    // when, the target's kind and group, and the reasons of the reports it closed (a report
    // filed again after a decision reopens its row, so the rows of the reports cannot say it).
    // Earlier decisions are read back from the reports still closed.
    name: '005_decisions',
    async up(db) {
      await db.schema.createTable('moderation_decisions', (t) => {
        t.increments('id');
        networkIdColumn(t);
        t.integer('container_id').unsigned().nullable();
        t.string('target_type', 10).notNullable();
        t.integer('target_id').unsigned().notNullable();
        t.integer('target_user_id').unsigned().notNullable();
        // The entity's type (`status`, `file`...), the piece's kind (`comment`...) or `member`.
        t.string('kind', 40).notNullable();
        t.string('decision', 20).notNullable();
        // `[{ "reason": "spam", "count": 2 }]`, most frequent first.
        t.text('reasons').notNullable();
        t.integer('reports').notNullable().defaultTo(0);
        t.integer('decided_by').unsigned().notNullable();
        t.bigInteger('decided_at').notNullable();
        // A hide shown again from the history (restore.ts): by whom and when; once only.
        t.integer('restored_by').unsigned().nullable();
        t.bigInteger('restored_at').nullable();
        t.index(['network_id', 'decided_at', 'id']);
        t.index(['container_id', 'decided_at', 'id']);
      });
      const closed = (await db('moderation_reports as r')
        .leftJoin('entities as e', function () {
          this.on('e.id', '=', 'r.target_id').andOn('r.target_type', '=', db.raw('?', ['entity']));
        })
        .whereNotNull('r.resolved_at')
        .whereNotNull('r.resolved_by')
        .orderBy('r.id')
        .select('r.*', 'e.type as entity_type')) as Record<string, string | number | null>[];
      const decisions = new Map<string, { row: Record<string, unknown>; reasons: Map<string, number> }>();
      for (const r of closed) {
        const key = [r.network_id, r.target_type, r.target_id, r.resolved_at, r.outcome, r.resolved_by].join('|');
        const kind = r.target_type === 'entity' ? String(r.entity_type ?? 'entity') : String(r.target_type);
        const found = decisions.get(key) ?? {
          row: {
            network_id: r.network_id,
            container_id: r.container_id,
            target_type: r.target_type,
            target_id: r.target_id,
            target_user_id: r.target_user_id,
            kind,
            decision: r.outcome ?? 'dismiss',
            decided_by: r.resolved_by,
            decided_at: r.resolved_at,
          },
          reasons: new Map<string, number>(),
        };
        found.reasons.set(String(r.reason), (found.reasons.get(String(r.reason)) ?? 0) + 1);
        decisions.set(key, found);
      }
      const rows = [...decisions.values()].map(({ row, reasons }) => ({
        ...row,
        reasons: JSON.stringify(reasonCounts(reasons)),
        reports: [...reasons.values()].reduce((a, b) => a + b, 0),
      }));
      for (let i = 0; i < rows.length; i += 200) await db('moderation_decisions').insert(rows.slice(i, i + 200));
    },
    async down(db) {
      await dropTables(db, 'moderation_decisions');
    },
  },
  {
    // A restore from the history (restore.ts) names the hide it undid, and is no report item:
    // no reasons, no reports. Earlier restores are matched to their hide (same target, restored
    // by the restore's author at its time).
    name: '006_decision_restores',
    async up(db) {
      await db.schema.alterTable('moderation_decisions', (t) => {
        t.integer('restores_id').unsigned().nullable();
      });
      const hides = (await db('moderation_decisions')
        .where({ decision: 'hide' })
        .whereNotNull('restored_at')
        .select('id', 'target_type', 'target_id', 'restored_by', 'restored_at')) as Record<string, string | number>[];
      for (const h of hides)
        await db('moderation_decisions')
          .where({
            decision: 'approve',
            reports: 0,
            target_type: h.target_type,
            target_id: h.target_id,
            decided_by: h.restored_by,
            decided_at: h.restored_at,
          })
          .whereNull('restores_id')
          .update({ restores_id: h.id, reasons: '[]' });
    },
    async down(db) {
      await db.schema.alterTable('moderation_decisions', (t) => {
        t.dropColumn('restores_id');
      });
    },
  },
  {
    // A hide's restore is looked up from the hide (the history links one to the other).
    name: '007_decision_restores_index',
    async up(db) {
      await db.schema.alterTable('moderation_decisions', (t) => {
        t.index(['restores_id'], 'moderation_decisions_restores_id_index');
      });
    },
    async down(db) {
      await db.schema.alterTable('moderation_decisions', (t) => {
        t.dropIndex(['restores_id'], 'moderation_decisions_restores_id_index');
      });
    },
  },
  {
    // Audit entries of decisions written before the core kept `ref` (core migration 047) take
    // their decision where it can be told for sure (old-audit-refs.ts), so the audit page links them.
    name: '008_old_audit_refs',
    async up(db) {
      await linkOldAuditEntries(db);
    },
    // A ref given here is true of its entry: going back leaves it.
    async down() {},
  },
  // A moderator's hiding (or its end) changes the card its author and the moderators see (issue 18).
  cardVersionMigration('009_hidden_card_version', 'moderation_hidden', 'moderation_hidden'),
];
