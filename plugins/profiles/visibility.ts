/**
 * Who may see a profile field of a given visibility level, as a query clause and as a
 * predicate written side by side (a property test proves they agree on both databases).
 *
 * public → everyone, guests included · members → any active signed-in member ·
 * network → a member sharing a network membership with the owner · connections → the
 * owner's friends (`user_relations` kind 'friend') · private → nobody.
 * The owner and root admins (isRootAdmin, or role admin in the root network) always see.
 * A viewer who is not active (suspended, pending) counts as a guest.
 */
import type { Knex } from 'knex';
import type { Viewer } from '../../core';

export const VISIBILITY_LEVELS = ['public', 'members', 'network', 'connections', 'private'] as const;
export type VisibilityLevel = (typeof VISIBILITY_LEVELS)[number];
export const isVisibilityLevel = (v: unknown): v is VisibilityLevel => typeof v === 'string' && (VISIBILITY_LEVELS as readonly string[]).includes(v);

const FRIEND = 'friend';

function activeViewer(viewer: Viewer | null): Viewer | null {
  return viewer && viewer.status === 'active' ? viewer : null;
}

/** Subquery: the viewer is an admin of the root network. */
function rootAdminExists(db: Knex, viewerId: number) {
  return (s: Knex.QueryBuilder): void => {
    s.select(db.raw('1'))
      .from('memberships as fv_ra')
      .join('networks as fv_rn', 'fv_rn.id', 'fv_ra.network_id')
      .whereNull('fv_rn.parent_id')
      .where('fv_rn.slug', 'root')
      .where('fv_ra.user_id', viewerId)
      .where('fv_ra.role', 'admin');
  };
}

/**
 * Narrows a query to rows whose owner (`ownerColumn`, a users.id) lets `viewer` see a field
 * of visibility `level`. Composes with other `.where(...)` calls (wrapped in its own group).
 */
export function fieldVisibleClause(db: Knex, viewer: Viewer | null, level: string, ownerColumn: string): (qb: Knex.QueryBuilder) => void {
  const v = activeViewer(viewer);
  return (qb) => {
    if (!v) {
      if (level !== 'public') qb.whereRaw('1 = 0');
      return;
    }
    if (v.isRootAdmin) return;
    qb.where((w) => {
      w.where(ownerColumn, v.id).orWhereExists(rootAdminExists(db, v.id));
      switch (level) {
        case 'public':
        case 'members':
          w.orWhereRaw('1 = 1');
          break;
        case 'network':
          w.orWhereExists((s) =>
            s
              .select(db.raw('1'))
              .from('memberships as fv_m1')
              .join('memberships as fv_m2', 'fv_m2.network_id', 'fv_m1.network_id')
              .where('fv_m1.user_id', db.ref(ownerColumn))
              .where('fv_m2.user_id', v.id),
          );
          break;
        case 'connections':
          w.orWhereExists((s) =>
            s
              .select(db.raw('1'))
              .from('user_relations as fv_ur')
              .where('fv_ur.user_id', db.ref(ownerColumn))
              .where('fv_ur.other_id', v.id)
              .where('fv_ur.kind', FRIEND),
          );
          break;
        default:
          break; // private and unknown levels: owner and root admins only
      }
    });
  };
}

/** The predicate twin of `fieldVisibleClause`. */
export async function canSeeField(db: Knex, viewer: Viewer | null, level: string, ownerId: number): Promise<boolean> {
  const v = activeViewer(viewer);
  if (!v) return level === 'public';
  if (v.isRootAdmin || v.id === Number(ownerId)) return true;
  const root = await db('networks').whereNull('parent_id').where('slug', 'root').first('id');
  if (
    root &&
    (await db('memberships')
      .where({ user_id: v.id, network_id: Number(root.id), role: 'admin' })
      .first('user_id'))
  )
    return true;
  switch (level) {
    case 'public':
    case 'members':
      return true;
    case 'network':
      return !!(await db('memberships as a')
        .join('memberships as b', 'b.network_id', 'a.network_id')
        .where('a.user_id', Number(ownerId))
        .where('b.user_id', v.id)
        .first('a.user_id'));
    case 'connections':
      return !!(await db('user_relations')
        .where({ user_id: Number(ownerId), other_id: v.id, kind: FRIEND })
        .first('user_id'));
    default:
      return false;
  }
}
