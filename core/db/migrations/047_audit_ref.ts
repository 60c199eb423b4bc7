import { addColumns, type Migration } from '../migration';

/**
 * The owner's own record of an audited action (core/audit/audit-log.ts `ref`): the moderation
 * plugin's decision id, so the audit page links the entry to the decision's page through the
 * owner's `audit:links` answer. Null for entries that name none (and those written before).
 */
export const auditRef: Migration = addColumns('047_audit_ref', 'audit_log', {
  ref: (t, name) => t.string(name, 100).nullable(),
});
