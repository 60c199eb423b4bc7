/**
 * The one access decision point. Whether viewer V may see a row X is answered here, as a
 * predicate (`canSee`) and as a query clause (`visibleTo`) that every list, feed, search,
 * API, notification and realtime delivery goes through. The two are written side by side
 * and a property test proves they agree on SQLite and PostgreSQL.
 *
 * A row is anything with an owner, a network and a level: an entity (`entities`: the default
 * shape), or a plugin's own row described by a `RowShape` (a profile field value, later a file
 * or an event). A person's own rows (profile values) belong to no one network: their network
 * is their owner's networks (`network: null`).
 *
 * Levels: private (owner) · friends (owner's accepted connections) · group (members of
 * the container) · network (members of the row's network; for a person's rows, members who
 * share a network with the owner) · members (the community: members of the root network,
 * and of the row's own network — or of one of the owner's) · public (the same, plus anyone —
 * guests included — where the row's network allows guests; a person's public rows are
 * everyone's, the page that shows them decides whether guests get in). A partner company's
 * members, who belong to their sub-network only, see nothing of the root's "members" or
 * "public" content, nor the "members" rows of people they share no network with.
 * Owners always see their own; admins and moderators of the row's network see all of it (a
 * person's rows have no network, so no moderators); root rights (`hasRootRights`) see
 * everything. Deleted rows are seen by no one here.
 * A row that is not published yet (a draft, a post scheduled for later: the `published`
 * column) is seen by its owner only, whatever its level — root admins included — so its
 * comments, reactions, notifications and feed rows stay hidden with it.
 * A row withheld by moderation (hidden by a moderator, or held for review: the `withheld`
 * column, which only a moderator's decision clears — never an edit by its author) is seen by
 * its owner, the admins and moderators of its network and root rights only.
 * A viewer who is not active (suspended, pending) is a guest.
 * A bot scoped to groups (`Viewer.containers`, core/members/bots.ts) sees, of the rows that have
 * a container, only those of its groups and the groups themselves — besides what it owns.
 */
import type { Knex } from 'knex';
import type { Viewer } from '../auth/viewer';
import type { Networks } from '../networks';
import { HttpError } from '../errors';
import { hasRootRights } from './scope';
import { oneOf } from '../one-of';

export const ACCESS_LEVELS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const isAccessLevel = oneOf(ACCESS_LEVELS);

/**
 * What decides whether one row may be seen: the values of the columns its `RowShape` names
 * (a shape without `network`, `container`, `deleted`, `published` or `withheld` ignores that fact).
 */
export interface RowFacts {
  owner_id: number;
  network_id?: number | null;
  access: string;
  container_id?: number | null;
  deleted_at?: number | null;
  /** false (0 on SQLite) for a draft or a scheduled post: its owner's only. */
  published?: boolean | number;
  /** true (1 on SQLite) while withheld by moderation: its owner's and its network's moderators' only. */
  withheld?: boolean | number;
}

/** The columns of `entities` that decide visibility. */
export interface AccessFacts extends RowFacts {
  container_id: number | null;
  network_id: number;
  deleted_at: number | null;
  published: boolean | number;
  withheld: boolean | number;
}

/**
 * Where a query's rows keep the facts of `RowFacts`, as qualified column names
 * (`'pv.user_id'`). `level` may instead be one level for every row of the query
 * (`{ value: 'members' }`): the rule is then decided in JavaScript and the SQL carries only
 * what depends on the row.
 */
export interface RowShape {
  owner: string;
  /** The row's network; null for a person's own rows, which belong to their owner's networks. */
  network: string | null;
  level: string | { value: string };
  /** The container for the `group` level; without it, no row matches `group`. */
  container?: string;
  /** The row's own id, when a row may itself be a container (a group's entity). */
  id?: string;
  deleted?: string;
  published?: string;
  withheld?: string;
}

/** The shape of the core's `entities` table under `alias`. */
export function entityShape(alias = 'entities'): RowShape {
  const col = (name: string): string => `${alias}.${name}`;
  return {
    owner: col('owner_id'),
    network: col('network_id'),
    level: col('access'),
    container: col('container_id'),
    id: col('id'),
    deleted: col('deleted_at'),
    published: col('published'),
    withheld: col('withheld'),
  };
}

/** The `published` column as read from either database (a boolean, or 0/1 on SQLite); absent reads as not published. */
export const isPublished = (e: Pick<RowFacts, 'published'>): boolean => e.published === true || Number(e.published) === 1;

/** The `withheld` column as read from either database; absent reads as not withheld. */
export const isWithheld = (e: Pick<RowFacts, 'withheld'>): boolean => e.withheld === true || Number(e.withheld) === 1;

const ENTITIES = entityShape();

/** Relation kinds in `user_relations` that the access model reads. */
export const FRIEND = 'friend';

/** One way to see a row: at these levels (all when absent), when `when` holds of the row (always when true). */
interface Branch {
  levels?: readonly string[];
  when: true | ((q: Knex.QueryBuilder) => void);
}

export class Access {
  constructor(
    private readonly db: Knex,
    private readonly networks: Networks,
  ) {}

  /**
   * Whether the viewer may see one row: an entity (`AccessFacts`), or a row of `shape` — the
   * same shape its queries give `visibleTo`, which tells which facts the row has.
   */
  async canSee(viewer: Viewer | null, e: RowFacts, shape: RowShape = ENTITIES): Promise<boolean> {
    if (shape.deleted && e.deleted_at !== null && e.deleted_at !== undefined) return false;
    const networkId = shape.network === null ? null : Number(e.network_id);
    const ownerId = Number(e.owner_id);
    const v = activeViewer(viewer);
    if (shape.published && !isPublished(e)) return !!v && ownerId === v.id;
    const guestNetwork = networkId === null || this.guestNetworkIds().includes(networkId);
    if (!v) return e.access === 'public' && guestNetwork && !(shape.withheld && isWithheld(e));
    if (this.isRootAdmin(v)) return true;
    if (ownerId === v.id) return true;
    if (v.containers && shape.container && !inContainers(v.containers, e)) return false;
    if (networkId !== null && moderatedNetworkIds(v).includes(networkId)) return true;
    if (shape.withheld && isWithheld(e)) return false;
    const inNetwork = (): Promise<boolean> | boolean => (networkId === null ? this.sharesNetwork(v, ownerId) : v.roles[networkId] !== undefined);
    const community = async (): Promise<boolean> => v.roles[this.networks.root().id] !== undefined || (await inNetwork());
    switch (e.access) {
      case 'public':
        return guestNetwork || (await community());
      case 'members':
        return community();
      case 'network':
        return inNetwork();
      case 'friends':
        return !!(await this.db('user_relations').where({ user_id: ownerId, other_id: v.id, kind: FRIEND }).first('user_id'));
      case 'group':
        return (
          !!shape.container &&
          e.container_id !== null &&
          e.container_id !== undefined &&
          !!(await this.db('container_members')
            .where({ container_id: Number(e.container_id), user_id: v.id })
            .first('user_id'))
        );
      default:
        return false;
    }
  }

  /**
   * Narrows a query to the rows the viewer may see: over `entities` under an alias
   * (`db('entities as e').modify(access.visibleTo(viewer, 'e'))`), or over a plugin's rows
   * described by a shape (`access.visibleTo(viewer, { owner: 'pv.user_id', network: null, level: 'pf.visibility' })`).
   * Composes with other `.where(...)` calls.
   */
  visibleTo(viewer: Viewer | null, shapeOrAlias: RowShape | string = 'entities'): (qb: Knex.QueryBuilder) => void {
    const shape = typeof shapeOrAlias === 'string' ? entityShape(shapeOrAlias) : shapeOrAlias;
    const v = activeViewer(viewer);
    const root = !!v && this.isRootAdmin(v);
    const branches = root ? [] : this.branches(v, shape);
    return (qb) => {
      if (shape.deleted) qb.whereNull(shape.deleted);
      if (shape.published) {
        const published = shape.published;
        if (v) qb.where((w) => w.where(published, true).orWhere(shape.owner, v.id));
        else qb.where(published, true);
      }
      if (!root && shape.withheld) this.notWithheld(qb, v, shape.withheld, shape);
      if (v?.containers && shape.container) withinContainers(qb, v, v.containers, shape);
      if (!root) applyBranches(qb, shape.level, branches);
    };
  }

  /**
   * Everything `visibleTo` reads besides the row's shape, as text: the active viewer's id, rights,
   * roles and containers, the root network and the networks open to guests. Two calls with the
   * same key and shape build the same clause (`KeptBuilds` keeps texts by it).
   */
  visibilityKey(viewer: Viewer | null): string {
    const v = activeViewer(viewer);
    const facts = v ? [v.id, v.isRootAdmin, v.roles, v.containers ?? null] : null;
    return JSON.stringify([facts, this.networks.root().id, this.guestNetworkIds()]);
  }

  /** Keeps the rows not withheld, and for a member those they own or moderate. */
  private notWithheld(qb: Knex.QueryBuilder, v: Viewer | null, withheld: string, shape: RowShape): void {
    if (!v) {
      qb.where(withheld, false);
      return;
    }
    const moderated = shape.network === null ? [] : moderatedNetworkIds(v);
    const net = shape.network;
    qb.where((w) => {
      w.where(withheld, false).orWhere(shape.owner, v.id);
      if (net !== null && moderated.length) w.orWhereIn(net, moderated);
    });
  }

  /** The ways an active non-root viewer (or a guest, `null`) sees a row of `shape`. */
  private branches(v: Viewer | null, shape: RowShape): Branch[] {
    const net = shape.network;
    const guestNetworks = this.guestNetworkIds();
    const onGuestNetwork: Branch['when'] = net === null ? true : (q) => q.whereIn(net, guestNetworks);
    if (!v) return [{ levels: ['public'], when: onGuestNetwork }];
    const memberOf = Object.keys(v.roles).map(Number);
    const moderated = moderatedNetworkIds(v);
    const inRoot = v.roles[this.networks.root().id] !== undefined;
    const inNetwork: Branch['when'] =
      net === null
        ? (q) =>
            q.whereExists((s) =>
              s
                .select(this.db.raw('1'))
                .from('memberships as anm')
                .where('anm.user_id', this.db.ref(shape.owner))
                .whereIn('anm.network_id', memberOf),
            )
        : (q) => q.whereIn(net, memberOf);
    const out: Branch[] = [{ when: (q) => q.where(shape.owner, v.id) }];
    if (net !== null && moderated.length) out.push({ when: (q) => q.whereIn(net, moderated) });
    if (inRoot) out.push({ levels: ['public', 'members'], when: true });
    else {
      out.push({ levels: ['public'], when: onGuestNetwork });
      if (memberOf.length) out.push({ levels: ['public', 'members'], when: inNetwork });
    }
    if (memberOf.length) out.push({ levels: ['network'], when: inNetwork });
    out.push({
      levels: ['friends'],
      when: (q) =>
        q.whereExists((s) =>
          s
            .select(this.db.raw('1'))
            .from('user_relations as ar')
            .where('ar.user_id', this.db.ref(shape.owner))
            .where('ar.other_id', v.id)
            .where('ar.kind', FRIEND),
        ),
    });
    const container = shape.container;
    if (container)
      out.push({
        levels: ['group'],
        when: (q) =>
          q.whereExists((s) =>
            s.select(this.db.raw('1')).from('container_members as acm').where('acm.container_id', this.db.ref(container)).where('acm.user_id', v.id),
          ),
      });
    return out;
  }

  /** Whether the owner of a person's row shares a network with the viewer. */
  private async sharesNetwork(v: Viewer, ownerId: number): Promise<boolean> {
    const memberOf = Object.keys(v.roles).map(Number);
    if (!memberOf.length) return false;
    return !!(await this.db('memberships').where('user_id', ownerId).whereIn('network_id', memberOf).first('user_id'));
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
   * The levels an author chooses from outside a container, widest first: `public`, `members`,
   * `network` only in a sub-network (at the root it would say "all members" twice), then for
   * personal content (a status, a post, a file — not a discussion, which is for others)
   * `friends` and `private`. Inside a container the level is always `group`.
   */
  offeredLevels(networkId: number, { personal = true }: { personal?: boolean } = {}): AccessLevel[] {
    const sub = this.networks.root().id !== Number(networkId);
    return ['public', 'members', ...(sub ? (['network'] as const) : []), ...(personal ? (['friends', 'private'] as const) : [])];
  }

  /**
   * For a page or API call about one entity: passes when the viewer may see it. Otherwise a
   * guest is asked to sign in (401: the login page, or a JSON 401 under /api/) and a member
   * gets the same 404 as for an id that does not exist — never a hint that it does.
   */
  async requireVisible(viewer: Viewer | null, e: RowFacts | undefined): Promise<void> {
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

/**
 * ORs the branches into one group. With a fixed level the branches of other levels drop out
 * in JavaScript, and a branch that always holds leaves the query unrestricted.
 */
function applyBranches(qb: Knex.QueryBuilder, level: RowShape['level'], branches: Branch[]): void {
  const fixed = typeof level === 'string' ? null : level.value;
  const live = fixed === null ? branches : branches.filter((b) => !b.levels || b.levels.includes(fixed));
  if (live.some((b) => b.when === true && (!b.levels || fixed !== null))) return;
  if (!live.length) {
    qb.whereRaw('1 = 0');
    return;
  }
  qb.where((w) => {
    for (const b of live)
      w.orWhere((q) => {
        if (b.levels && typeof level === 'string') q.whereIn(level, b.levels as string[]);
        if (b.when !== true) b.when(q);
      });
  });
}

/** Whether a row is in one of `containers`, or is one of them (a bot scoped to groups). */
function inContainers(containers: readonly number[], e: RowFacts): boolean {
  const own = (e as { id?: number | string }).id;
  return (
    (e.container_id !== null && e.container_id !== undefined && containers.includes(Number(e.container_id))) ||
    (own !== undefined && containers.includes(Number(own)))
  );
}

/** Keeps the rows `inContainers` keeps, and the viewer's own. */
function withinContainers(qb: Knex.QueryBuilder, v: Viewer, containers: readonly number[], shape: RowShape): void {
  const ids = [...containers];
  qb.where((w) => {
    w.whereIn(shape.container!, ids).orWhere(shape.owner, v.id);
    if (shape.id) w.orWhereIn(shape.id, ids);
  });
}

function activeViewer(viewer: Viewer | null): Viewer | null {
  return viewer && viewer.status === 'active' ? viewer : null;
}

function moderatedNetworkIds(v: Viewer): number[] {
  return Object.entries(v.roles)
    .filter(([, role]) => role === 'admin' || role === 'moderator')
    .map(([id]) => Number(id));
}
