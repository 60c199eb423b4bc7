/**
 * Database errors both dialects raise differently. A "create once" action that loses a race
 * to the same row meets a unique-key violation; callers that cannot say
 * `onConflict().ignore()` (a generated value such as a handle, a row in several tables)
 * catch it with `isUniqueViolation` and answer as the winner did, or try again.
 */

/** Whether `e` is a violated unique key or primary key: PostgreSQL `23505`, SQLite `SQLITE_CONSTRAINT` (UNIQUE / PRIMARY KEY). */
export function isUniqueViolation(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (code === '23505') return true;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return code === 'SQLITE_CONSTRAINT' && typeof message === 'string' && /UNIQUE constraint failed/.test(message);
}
