/**
 * The one access decision point. Whether viewer V may see entity X is answered here, as a
 * predicate (`canSee`) and as a query clause (`visibleTo`) that every list, feed, search,
 * API, notification and realtime delivery goes through. The two are written side by side
 * and a property test proves they agree on SQLite and PostgreSQL.
 *
 * Levels: private (owner) · friends (owner's accepted connections) · group (members of
 * the container) · network (members of the entity's network) · members (the community:
 * members of the root network, and of the entity's own network) · public (the same,
 * plus anyone — guests included — where the network allows guests). A partner company's
 * members, who belong to their sub-network only, see nothing of the root's "members" or
 * "public" content.
 * Owners always see their own; admins and moderators of the entity's network see all of
 * it; admins of the root network see everything. Deleted entities are seen by no one here.
 * An entity that is not published yet (a draft, a post scheduled for later: the `published`
 * column) is seen by its owner only, whatever its level — root admins included — so its
 * comments, reactions, notifications and feed rows stay hidden with it.
 * A viewer who is not active (suspended, pending) is a guest.
 */
import type { Knex } from 'knex';
import type { Viewer } from '../auth/viewer';
import type { Networks } from '../networks';
import { HttpError } from '../errors';
import { hasRootRights } from './scope';

export const ACCESS_LEVELS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const isAccessLevel = (v: unknown): v is AccessLevel => typeof v === 'string' && (ACCESS_LEVELS as readonly string[]).includes(v);

/** The columns of `entities` that decide visibility. */
export interface AccessFacts {
  owner_id: number;
  container_id: number | null;
  network_id: number;
  access: string;
  deleted_at: number | null;
  /** false (0 on SQLite) for a draft or a scheduled post: its owner's only. */
  published: boolean | number;
}

/** The `published` column as read from either database (a boolean, or 0/1 on SQLite). */
export const isPublished = (e: Pick<AccessFacts, 'published'>): boolean => e.published === true || Number(e.published) === 1;

/** Relation kinds in `user_relations` that the access model reads. */
export const FRIEND = 'friend';

export class Access {
  constructor(
    private readonly db: Knex,
    private readonly networks: Networks,
  ) {}

  async canSee(viewer: Viewer | null, e: AccessFacts): Promise<boolean> {
    if (e.deleted_at !== null && e.deleted_at !== undefined) return false;
    const networkId = Number(e.network_id);
    const v = activeViewer(viewer);
    if (!isPublished(e)) return !!v && Number(e.owner_id) === v.id;
    if (!v) return e.access === 'public' && this.guestNetworkIds().includes(networkId);
    if (this.isRootAdmin(v)) return true;
    if (Number(e.owner_id) === v.id) return true;
    if (moderatedNetworkIds(v).includes(networkId)) return true;
    const community = v.roles[this.networks.root().id] !== undefined || v.roles[networkId] !== undefined;
    switch (e.access) {
      case 'public':
        return community || this.guestNetworkIds().includes(networkId);
      case 'members':
        return community;
      case 'network':
        return v.roles[networkId] !== undefined;
      case 'friends':
        return !!(await this.db('user_relations')
          .where({ user_id: Number(e.owner_id), other_id: v.id, kind: FRIEND })
          .first('user_id'));
      case 'group':
        return (
          e.container_id !== null &&
          !!(await this.db('container_members')
            .where({ container_id: Number(e.container_id), user_id: v.id })
            .first('user_id'))
        );
      default:
        return false;
    }
  }

  /**
   * Narrows a query over `entities` (under `alias`) to what the viewer may see:
   * `db('entities as e').modify(access.visibleTo(viewer, 'e'))`.
   */
  visibleTo(viewer: Viewer | null, alias = 'entities'): (qb: Knex.QueryBuilder) => void {
    const col = (name: string): string => `${alias}.${name}`;
    const v = activeViewer(viewer);
    const guestNetworks = this.guestNetworkIds();
    return (qb) => {
      qb.whereNull(col('deleted_at'));
      if (!v) {
        qb.where(col('published'), true).where(col('access'), 'public').whereIn(col('network_id'), guestNetworks);
        return;
      }
      qb.where((w) => w.where(col('published'), true).orWhere(col('owner_id'), v.id));
      if (this.isRootAdmin(v)) return;
      const moderated = moderatedNetworkIds(v);
      const memberOf = Object.keys(v.roles).map(Number);
      const inRoot = v.roles[this.networks.root().id] !== undefined;
      qb.where((w) => {
        w.where(col('owner_id'), v.id);
        if (inRoot) w.orWhereIn(col('access'), ['public', 'members']);
        else {
          if (memberOf.length) w.orWhere((q) => q.whereIn(col('access'), ['public', 'members']).whereIn(col('network_id'), memberOf));
          if (guestNetworks.length) w.orWhere((q) => q.where(col('access'), 'public').whereIn(col('network_id'), guestNetworks));
        }
        if (moderated.length) w.orWhereIn(col('network_id'), moderated);
        if (memberOf.length) w.orWhere((q) => q.where(col('access'), 'network').whereIn(col('network_id'), memberOf));
        w.orWhere((q) =>
          q.where(col('access'), 'friends').whereExists((s) =>
            s
              .select(this.db.raw('1'))
              .from('user_relations as ar')
              .where('ar.user_id', this.db.ref(col('owner_id')))
              .where('ar.other_id', v.id)
              .where('ar.kind', FRIEND),
          ),
        );
        w.orWhere((q) =>
          q.where(col('access'), 'group').whereExists((s) =>
            s
              .select(this.db.raw('1'))
              .from('container_members as acm')
              .where('acm.container_id', this.db.ref(col('container_id')))
              .where('acm.user_id', v.id),
          ),
        );
      });
    };
  }

  /**
   * Whether the viewer may see a member's profile through `network`. An isolated
   * sub-network (a partner company) shows its own members only — what its directory lists —
   * so anyone else answers the same 404 as an unknown username (no enumeration); root admins
   * and the member themselves always see. Other networks add no rule here.
   */
  async canSeeMemberIn(viewer: Viewer | null, userId: number, network: { id: number; parentId: number | null; isolated: boolean }): Promise<boolean> {
    if (network.parentId === null || !network.isolated) return true;
    const v = activeViewer(viewer);
    if (v && (v.id === Number(userId) || this.isRootAdmin(v))) return true;
    return !!(await this.db('memberships')
      .where({ user_id: Number(userId), network_id: network.id })
      .first('user_id'));
  }

  /** Moderation rights over an entity: admins and moderators of its network, root admins. */
  canModerate(viewer: Viewer | null, e: Pick<AccessFacts, 'network_id'>): boolean {
    const v = activeViewer(viewer);
    return !!v && (this.isRootAdmin(v) || moderatedNetworkIds(v).includes(Number(e.network_id)));
  }

  /** Owners edit and delete their own content; moderators may too, in their network. */
  canEdit(viewer: Viewer | null, e: Pick<AccessFacts, 'network_id' | 'owner_id'>): boolean {
    const v = activeViewer(viewer);
    return !!v && (Number(e.owner_id) === v.id || this.canModerate(v, e));
  }

  /**
   * For a page or API call about one entity: passes when the viewer may see it. Otherwise a
   * guest is asked to sign in (401: the login page, or a JSON 401 under /api/) and a member
   * gets the same 404 as for an id that does not exist — never a hint that it does.
   */
  async requireVisible(viewer: Viewer | null, e: AccessFacts | undefined): Promise<void> {
    if (e && (await this.canSee(viewer, e))) return;
    throw activeViewer(viewer) ? new HttpError(404) : new HttpError(401);
  }

  private guestNetworkIds(): number[] {
    return this.networks
      .all()
      .filter((n) => n.allowGuests)
      .map((n) => n.id);
  }

  private isRootAdmin(v: Viewer): boolean {
    return hasRootRights(v, this.networks.root().id);
  }
}

function activeViewer(viewer: Viewer | null): Viewer | null {
  return viewer && viewer.status === 'active' ? viewer : null;
}

function moderatedNetworkIds(v: Viewer): number[] {
  return Object.entries(v.roles)
    .filter(([, role]) => role === 'admin' || role === 'moderator')
    .map(([id]) => Number(id));
}
