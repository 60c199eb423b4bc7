/**
 * Containers (a group, later an event or a project): entities that others post into, with
 * members in the core's `container_members` table. Posting into one is decided here, in one
 * call: `containerPolicy` reads the viewer's role and asks the plugin that owns the container
 * (the `container:policy` filter: may this viewer post here, and at which access levels).
 * Without an answer, members of the container may post, at the `group` level only. Every
 * content plugin asks here rather than reading memberships; `containerRole` and
 * `networkContainers` serve the other questions about membership (who administers a container,
 * where a topic may move). Plugins reach all of it through `rt.containers` (`Tokens.Containers`),
 * including the subqueries that put "the containers of a member" or "the members of these
 * containers" into their own statements, so no plugin names the `container_members` table.
 */
import type { Knex } from 'knex';
import type { AccessLevel } from '../access/access';
import type { Viewer } from '../auth/viewer';
import type { Runtime } from '../runtime';
import { preparedRead } from '../db/statements';
import { HttpError } from '../errors';
import { botOutOfScope } from '../members/bot-scope';

export type ContainerRole = 'admin' | 'member';

export interface ContainerPolicy {
  canPost: boolean;
  /** Levels a poster may choose here; the first is the default. */
  allowedAccess: AccessLevel[];
  /** Shown beside content posted here ("in Design team"). */
  name?: string;
  href?: string;
}

/** The owner's answer, and what the core knows of the container and of the viewer in it. */
export interface ContainerStanding extends ContainerPolicy {
  /** The container's entity type; null when no such container lives in this network. */
  type: string | null;
  /** The viewer's role in the container; null when they are not a member. */
  role: ContainerRole | null;
  /** Whether anyone is a member (an entity with members is a container). */
  hasMembers: boolean;
}

/** A member's role in a container (every group page reads it); kept prepared. */
const ROLE = preparedRead<{ role: string }>('select role from container_members where container_id = ? and user_id = ? limit 1');

/** A member's role in a container, or null. `db` is the runtime's or a transaction. */
export async function containerRole(db: Knex, containerId: number, userId: number | undefined): Promise<ContainerRole | null> {
  if (!userId) return null;
  const row = await ROLE.first(db, [containerId, userId]);
  return row ? (row.role === 'admin' ? 'admin' : 'member') : null;
}

export async function containerPolicy(rt: Runtime, viewer: Viewer, containerId: number, networkId: number): Promise<ContainerStanding> {
  if (viewer.containers && !viewer.containers.includes(Number(containerId))) throw botOutOfScope();
  const container = await rt.entities.get(containerId);
  if (!container || container.deleted_at !== null || Number(container.network_id) !== networkId)
    return { canPost: false, allowedAccess: [], type: null, role: null, hasMembers: false };
  const role = await containerRole(rt.db, containerId, viewer.id);
  const hasMembers = role !== null || !!(await rt.db('container_members').where({ container_id: containerId }).first('user_id'));
  const standing = { type: container.type, role, hasMembers };
  const answered = await rt.hooks.filter('container:policy', null, { rt, networkId, viewer, containerId, type: container.type });
  if (answered) return { ...answered, ...standing };
  return { canPost: role !== null && viewer.status === 'active', allowedAccess: ['group'], ...standing };
}

/** The containers of a network (entities with members, not of `exceptTypes`) and how many members each has, by id. */
export async function networkContainers(
  rt: Runtime,
  networkId: number,
  exceptTypes: string[] = [],
  limit = 200,
): Promise<{ id: number; type: string; members: number }[]> {
  const rows = await rt
    .db('entities as e')
    .join('container_members as cm', 'cm.container_id', 'e.id')
    .where('e.network_id', networkId)
    .whereNull('e.deleted_at')
    .whereNotIn('e.type', exceptTypes)
    .groupBy('e.id', 'e.type')
    .orderBy('e.id')
    .limit(limit)
    .select('e.id', 'e.type', rt.db.raw('count(*) as members'));
  return rows.map((r: Record<string, unknown>) => ({ id: Number(r.id), type: String(r.type), members: Number(r.members) }));
}

/** Membership of containers as a service: `rt.containers`, injected by `Tokens.Containers`. */
export class Containers {
  /** `rt` is handed on to the `container:policy` filter; the rest reads `db`, `entities` and `hooks` only. */
  constructor(private readonly rt: Runtime) {}

  /** May this viewer post into the container, at which levels, and what the core knows of it. */
  policy(viewer: Viewer, containerId: number, networkId: number): Promise<ContainerStanding> {
    return containerPolicy(this.rt, viewer, containerId, networkId);
  }

  /**
   * The standing of a viewer who may post into the container; otherwise throws a 404 with
   * `errors.notMember` when they are not a member (forged ids included) and a 403 with
   * `errors.closed` when its owner takes no posts now (an archived group). The keys are the
   * caller's, so the message names its content.
   */
  async requirePoster(
    viewer: Viewer,
    containerId: number,
    networkId: number,
    errors: { notMember: string; closed: string },
  ): Promise<ContainerStanding> {
    const standing = await this.policy(viewer, containerId, networkId);
    if (!standing.role) throw new HttpError(404, errors.notMember);
    if (!standing.canPost) throw new HttpError(403, errors.closed);
    return standing;
  }

  /** A member's role in a container, or null; `trx` when inside a transaction. */
  role(containerId: number, userId: number | undefined, trx: Knex = this.rt.db): Promise<ContainerRole | null> {
    return containerRole(trx, containerId, userId);
  }

  /** The containers of a network with their member counts (see `networkContainers`). */
  ofNetwork(networkId: number, exceptTypes: string[] = [], limit = 200): Promise<{ id: number; type: string; members: number }[]> {
    return networkContainers(this.rt, networkId, exceptTypes, limit);
  }

  /** A subquery of the ids of the containers `userId` belongs to (for `whereIn`). */
  idsOf(userId: number): Knex.QueryBuilder {
    return this.rt.db('container_members').where('user_id', userId).select('container_id');
  }

  /** A subquery of the ids of the people who share at least one container with `userId` (themselves included). */
  matesOf(userId: number): Knex.QueryBuilder {
    return this.rt.db('container_members').whereIn('container_id', this.idsOf(userId)).select('user_id');
  }

  /**
   * The membership rows (`<alias>.container_id`, `<alias>.user_id`, `<alias>.role`) of the
   * given containers, as a query to join or narrow further.
   */
  membersOf(containerIds: readonly number[], alias = 'x', db: Knex = this.rt.db): Knex.QueryBuilder {
    return db(`container_members as ${alias}`).whereIn(`${alias}.container_id`, [...containerIds]);
  }
}
