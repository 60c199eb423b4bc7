/**
 * Groups: create and edit (with the visibility change that moves the group's content in
 * the same transaction), membership (join, request, invite, approve, leave, remove, roles,
 * ownership), archive and soft deletion. Every refusal is a localised HttpError thrown
 * before anything changes; events (hooks.ts) fire after the transaction.
 */
import type { Knex } from 'knex';
import {
  BOT_KIND,
  HttpError,
  containerRole,
  isUniqueViolation,
  preparedRead,
  renderMarkdown,
  type AccessLevel,
  type ContainerRole,
  type Runtime,
  type Viewer,
} from '../../core';
import type { GroupVisibility } from './hooks';
import './hooks';

export const GROUP = 'group';

/** A group's entity and group rows by id (every group page and tab reads it); kept prepared. */
const FIND = preparedRead<Omit<GroupRow, 'id'> & { id: number | string }>(
  `select e.id, e.network_id, e.owner_id, e.container_id, e.access, e.deleted_at, e.published, e.withheld, e.created_at,
  g.name, g.handle, g.description, g.description_html, g.cover_key, g.category, g.visibility, g.archived_at
from entities as e join groups as g on g.entity_id = e.id where e.id = ? and e.type = ?`,
);

export const VISIBILITIES = ['open', 'closed', 'secret'] as const;
export const CATEGORIES = ['business', 'social'] as const;
export const MAX_NAME = 80;
export const MAX_DESCRIPTION = 5000;

export interface GroupRow {
  id: number;
  network_id: number;
  owner_id: number;
  container_id: number | null;
  access: string;
  deleted_at: number | null;
  published: boolean | number;
  withheld: boolean | number;
  created_at: number;
  name: string;
  handle: string;
  description: string;
  description_html: string;
  cover_key: string | null;
  category: 'business' | 'social';
  visibility: GroupVisibility;
  archived_at: number | null;
}

export interface GroupInput {
  name: string;
  description: string;
  category: string;
  visibility: string;
}

export interface CleanGroup {
  name: string;
  description: string;
  category: 'business' | 'social';
  visibility: GroupVisibility;
}

export type Problems = Record<string, { key: string; params?: Record<string, unknown> }>;

const refuse = (status: number, key: string, params?: Record<string, unknown>): HttpError => new HttpError(status, `groups.errors.${key}`, params);

/** The level of the group entity itself: listed groups to the network, secret ones to their members. */
export const entityAccess = (v: GroupVisibility): AccessLevel => (v === 'secret' ? 'group' : 'network');

/** `@handle` of a name: lowercase ASCII letters and digits joined by dashes. */
export function handleOf(name: string): string {
  const base = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return base || 'group';
}

export class GroupsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'activity', 'entities', 'hooks'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof GroupsService.uses)[number]>) {}

  validate(input: GroupInput): { clean?: CleanGroup; problems: Problems } {
    const problems: Problems = {};
    const name = input.name.trim().replace(/\s+/g, ' ');
    const description = input.description.trim();
    if (!name) problems.name = { key: 'groups.errors.nameRequired' };
    else if (name.length > MAX_NAME) problems.name = { key: 'groups.errors.nameTooLong', params: { max: MAX_NAME } };
    if (description.length > MAX_DESCRIPTION) problems.description = { key: 'groups.errors.descriptionTooLong', params: { max: MAX_DESCRIPTION } };
    if (!(CATEGORIES as readonly string[]).includes(input.category)) problems.category = { key: 'groups.errors.category' };
    if (!(VISIBILITIES as readonly string[]).includes(input.visibility)) problems.visibility = { key: 'groups.errors.visibility' };
    if (Object.keys(problems).length) return { problems };
    return {
      clean: { name, description, category: input.category as CleanGroup['category'], visibility: input.visibility as GroupVisibility },
      problems,
    };
  }

  /** A group by id, deleted ones included (callers check visibility). */
  async find(id: number, trx: Knex = this.rt.db): Promise<GroupRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await FIND.first(trx, [id, GROUP]);
    if (!row) return undefined;
    return {
      ...row,
      id: Number(row.id),
      network_id: Number(row.network_id),
      owner_id: Number(row.owner_id),
      archived_at: row.archived_at === null ? null : Number(row.archived_at),
    } as GroupRow;
  }

  /** The group when this viewer may know it exists in this network; else undefined. */
  async visible(viewer: Viewer | null, id: number, networkId: number): Promise<GroupRow | undefined> {
    const g = await this.find(id);
    if (!g || g.network_id !== networkId || g.deleted_at) return undefined;
    return (await this.rt.access.canSee(viewer, g)) ? g : undefined;
  }

  async role(groupId: number, userId: number | undefined, trx: Knex = this.rt.db): Promise<ContainerRole | null> {
    return containerRole(trx, groupId, userId);
  }

  /** Name, description and cover of each group (by entity id), for feed entries. */
  async summaries(ids: readonly number[]): Promise<Map<number, { name: string; description: string; cover_key: string | null }>> {
    const rows = (await this.rt.db('groups').whereIn('entity_id', ids).select('entity_id', 'name', 'description', 'cover_key')) as {
      entity_id: number;
      name: string;
      description: string;
      cover_key: string | null;
    }[];
    return new Map(rows.map((r) => [Number(r.entity_id), r]));
  }

  canManage(viewer: Viewer | null, g: GroupRow, role: 'admin' | 'member' | null): boolean {
    return role === 'admin' || this.rt.access.canModerate(viewer, g);
  }

  /**
   * Creates the group with a free `@handle`. Two groups of the same name created at the same
   * moment race for the handle: the loser's transaction meets the unique key, and is run
   * again. A retry skips as many free handles as it has lost races, so a burst of N
   * submits spreads over N candidates instead of racing for the same one again.
   * A bot creates none (its groups are its scope, chosen by its network's admins), whatever the path.
   */
  async create(viewer: Viewer, networkId: number, clean: CleanGroup, coverKey: string | null): Promise<number> {
    await this.notABot(viewer.id, 403, 'botCreate');
    for (let lost = 0; ; lost++) {
      try {
        return await this.createOnce(viewer, networkId, clean, coverKey, lost);
      } catch (e) {
        if (!isUniqueViolation(e) || lost >= 20) throw e;
      }
    }
  }

  private async createOnce(viewer: Viewer, networkId: number, clean: CleanGroup, coverKey: string | null, skip: number): Promise<number> {
    const now = Date.now();
    const id = await this.rt.db.transaction(async (trx) => {
      const entityId = await this.rt.entities.create({ type: GROUP, ownerId: viewer.id, networkId, access: entityAccess(clean.visibility) }, trx);
      if (clean.visibility === 'secret') await this.rt.entities.update(entityId, { containerId: entityId }, trx);
      await trx('groups').insert({
        entity_id: entityId,
        network_id: networkId,
        name: clean.name,
        name_lower: clean.name.toLowerCase(),
        handle: await this.freeHandle(trx, networkId, handleOf(clean.name), skip),
        description: clean.description,
        description_html: renderMarkdown(clean.description),
        cover_key: coverKey,
        category: clean.category,
        visibility: clean.visibility,
        archived_at: null,
        created_at: now,
        updated_at: now,
      });
      await trx('container_members').insert({ container_id: entityId, user_id: viewer.id, role: 'admin', created_at: now });
      if (clean.visibility === 'open') await this.rt.activity.record({ verb: 'created', actorId: viewer.id, entityId, networkId }, trx);
      return entityId;
    });
    await this.rt.hooks.emit('groups:created', { networkId, groupId: id, userId: viewer.id });
    return id;
  }

  /**
   * Saves the form. Making a group more private moves its content to the `group` level and
   * changes the group's own level in the same transaction, so former viewers lose it at once.
   */
  async update(g: GroupRow, clean: CleanGroup, cover: { key: string | null } | null): Promise<void> {
    const from = g.visibility;
    const to = clean.visibility;
    await this.rt.db.transaction(async (trx) => {
      const row: Record<string, unknown> = {
        name: clean.name,
        name_lower: clean.name.toLowerCase(),
        description: clean.description,
        description_html: renderMarkdown(clean.description),
        category: clean.category,
        visibility: to,
        updated_at: Date.now(),
      };
      if (cover) row.cover_key = cover.key;
      await trx('groups').where({ entity_id: g.id }).update(row);
      if (from !== to) {
        if (to !== 'open') {
          await trx('entities')
            .where({ container_id: g.id })
            .whereNot('id', g.id)
            .whereIn('access', ['network', 'members', 'public'])
            .update({ access: 'group', updated_at: Date.now() });
        }
        await this.rt.entities.update(g.id, { access: entityAccess(to), containerId: to === 'secret' ? g.id : null }, trx);
      } else {
        await this.rt.entities.update(g.id, {}, trx);
      }
    });
    if (from !== to) await this.rt.hooks.emit('groups:visibilityChanged', { networkId: g.network_id, groupId: g.id, from, to });
  }

  /**
   * Open groups: one click. Closed: a request for the group admins. Archived: refused.
   * Idempotent: a member joining again, or asking again, gets the answer of the first
   * submit — simultaneous submits included, which the unique keys make converge on one
   * row (the event fires once, for the submit that wrote it).
   */
  async join(viewer: Viewer, g: GroupRow): Promise<'joined' | 'requested'> {
    if (g.archived_at) throw refuse(409, 'archived');
    await this.notABot(viewer.id);
    if (await this.role(g.id, viewer.id)) return 'joined';
    const invited = await this.rt.db('group_invitations').where({ group_id: g.id, user_id: viewer.id }).whereNull('accepted_at').first('id');
    if (invited || g.visibility === 'open') {
      await this.enter(viewer, g);
      return 'joined';
    }
    if (g.visibility === 'secret') throw refuse(403, 'inviteOnly');
    const asked = await this.rt
      .db('group_requests')
      .insert({ group_id: g.id, user_id: viewer.id, created_at: Date.now() })
      .onConflict(['group_id', 'user_id'])
      .ignore()
      .returning('id');
    if (asked.length) await this.rt.hooks.emit('groups:requested', { networkId: g.network_id, groupId: g.id, userId: viewer.id });
    return 'requested';
  }

  async cancelRequest(viewer: Viewer, g: GroupRow): Promise<void> {
    const n = await this.rt.db('group_requests').where({ group_id: g.id, user_id: viewer.id }).delete();
    if (!Number(n)) throw refuse(404, 'noRequest');
  }

  async decideRequest(actor: Viewer, g: GroupRow, userId: number, approve: boolean): Promise<void> {
    const done = await this.rt.db.transaction(async (trx) => {
      const n = await trx('group_requests').where({ group_id: g.id, user_id: userId }).delete();
      if (!Number(n)) return false;
      if (approve) {
        if (g.archived_at) throw refuse(409, 'archived');
        await this.addMember(g, userId, trx);
      }
      return true;
    });
    if (!done) throw refuse(404, 'noRequest');
    await this.rt.hooks.emit(approve ? 'groups:approved' : 'groups:declined', { networkId: g.network_id, groupId: g.id, userId, byId: actor.id });
  }

  /** Invites an active member of the group's network by username; they accept from "my groups". Inviting again is a no-op success. */
  async invite(actor: Viewer, g: GroupRow, username: string): Promise<{ id: number; display_name: string }> {
    if (g.archived_at) throw refuse(409, 'archived');
    const user = await this.rt
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where({ 'u.username_lower': username.trim().replace(/^@/, '').toLowerCase(), 'm.network_id': g.network_id, 'u.status': 'active' })
      .first('u.id', 'u.display_name');
    if (!user) throw refuse(400, 'unknownMember');
    const userId = Number(user.id);
    await this.notABot(userId, 409);
    if (await this.role(g.id, userId)) throw refuse(409, 'alreadyMemberOther', { name: user.display_name });
    // An invitation they accepted before leaving is spent: it gives way to the new one.
    await this.rt.db('group_invitations').where({ group_id: g.id, user_id: userId }).whereNotNull('accepted_at').delete();
    const invited = await this.rt
      .db('group_invitations')
      .insert({ group_id: g.id, user_id: userId, inviter_id: actor.id, created_at: Date.now() })
      .onConflict(['group_id', 'user_id'])
      .ignore()
      .returning('id');
    if (invited.length) await this.rt.hooks.emit('groups:invited', { networkId: g.network_id, groupId: g.id, userId, byId: actor.id });
    return { id: userId, display_name: user.display_name };
  }

  /** The viewer's own invitation, pending or accepted (any other id is a 404). */
  private async ownInvitation(viewer: Viewer, id: number): Promise<{ id: number; group: GroupRow; accepted: boolean }> {
    const row =
      Number.isSafeInteger(id) && id > 0
        ? await this.rt.db('group_invitations').where({ id, user_id: viewer.id }).first('id', 'group_id', 'accepted_at')
        : undefined;
    const g = row ? await this.find(Number(row.group_id)) : undefined;
    if (!row || !g || g.deleted_at) throw refuse(404, 'noInvitation');
    return { id: Number(row.id), group: g, accepted: row.accepted_at !== null };
  }

  /** The viewer's own pending invitation (any other id is a 404). */
  async invitation(viewer: Viewer, id: number): Promise<{ id: number; group_id: number }> {
    const inv = await this.ownInvitation(viewer, id);
    if (inv.accepted) throw refuse(404, 'noInvitation');
    return { id: inv.id, group_id: inv.group.id };
  }

  /**
   * Accepts the viewer's invitation: marks it accepted and makes them a member in one
   * transaction. Accepting it again while they are a member — a double click, simultaneous
   * submits — answers as the first accept did; `groups:joined` fires once. Once they have
   * left, the spent invitation is a 404.
   */
  async acceptInvitation(viewer: Viewer, id: number): Promise<GroupRow> {
    const inv = await this.ownInvitation(viewer, id);
    const g = inv.group;
    if (g.archived_at) throw refuse(409, 'archived');
    const added = await this.rt.db.transaction(async (trx) => {
      const marked = await trx('group_invitations').where({ id: inv.id }).whereNull('accepted_at').update({ accepted_at: Date.now() });
      if (!Number(marked)) {
        if (await this.role(g.id, viewer.id, trx)) return false;
        throw refuse(404, 'noInvitation');
      }
      return this.addMember(g, viewer.id, trx);
    });
    if (added) await this.rt.hooks.emit('groups:joined', { networkId: g.network_id, groupId: g.id, userId: viewer.id });
    return g;
  }

  /** Makes the viewer a member (their invitation and request go); `groups:joined` fires for the call that added them. */
  private async enter(viewer: Viewer, g: GroupRow): Promise<void> {
    const added = await this.rt.db.transaction((trx) => this.addMember(g, viewer.id, trx));
    if (added) await this.rt.hooks.emit('groups:joined', { networkId: g.network_id, groupId: g.id, userId: viewer.id });
  }

  async declineInvitation(viewer: Viewer, id: number): Promise<void> {
    const inv = await this.invitation(viewer, id);
    await this.rt.db('group_invitations').where({ id: inv.id }).delete();
  }

  /** Leaving: the owner's ownership passes to the longest-standing other admin; the last admin cannot leave. */
  async leave(viewer: Viewer, g: GroupRow): Promise<void> {
    const role = await this.role(g.id, viewer.id);
    if (!role) throw refuse(409, 'notMember');
    await this.rt.db.transaction(async (trx) => {
      if (role === 'admin') {
        const other = await trx('container_members')
          .where({ container_id: g.id, role: 'admin' })
          .whereNot('user_id', viewer.id)
          .orderBy('created_at')
          .orderBy('user_id')
          .first('user_id');
        if (!other) throw refuse(409, 'lastAdmin');
        if (g.owner_id === viewer.id)
          await trx('entities')
            .where({ id: g.id })
            .update({ owner_id: Number(other.user_id), updated_at: Date.now() });
      }
      await trx('container_members').where({ container_id: g.id, user_id: viewer.id }).delete();
    });
    await this.rt.hooks.emit('groups:left', { networkId: g.network_id, groupId: g.id, userId: viewer.id });
  }

  /** Removes a member at once (their access goes with the row). The owner cannot be removed. */
  async removeMember(actor: Viewer, g: GroupRow, userId: number): Promise<void> {
    if (userId === g.owner_id) throw refuse(409, 'ownerStays');
    if (userId === actor.id) throw refuse(409, 'useLeave');
    const n = await this.rt.db('container_members').where({ container_id: g.id, user_id: userId }).delete();
    if (!Number(n)) throw refuse(404, 'notMemberOther');
    await this.rt.hooks.emit('groups:removed', { networkId: g.network_id, groupId: g.id, userId, byId: actor.id });
  }

  async setRole(g: GroupRow, userId: number, role: 'admin' | 'member'): Promise<void> {
    if (role === 'member' && userId === g.owner_id) throw refuse(409, 'ownerStays');
    if (role === 'admin') await this.notABot(userId, 409, 'botRole');
    const n = await this.rt.db('container_members').where({ container_id: g.id, user_id: userId }).update({ role });
    if (!Number(n)) throw refuse(404, 'notMemberOther');
  }

  /**
   * Who may hand the group over or delete it: its owner, and moderators and admins of its
   * network (root admins included) — not its other admins.
   */
  canTransfer(viewer: Viewer | null, g: GroupRow): boolean {
    return (!!viewer && viewer.status === 'active' && viewer.id === g.owner_id) || this.rt.access.canModerate(viewer, g);
  }

  /**
   * Hands the group to another member, who becomes an admin; the former owner stays an
   * admin. A co-admin may not (they could take the group, then demote and remove its owner).
   */
  async transfer(actor: Viewer, g: GroupRow, userId: number): Promise<void> {
    if (!this.canTransfer(actor, g)) throw refuse(403, 'ownerOnly');
    await this.notABot(userId, 409, 'botRole');
    await this.rt.db.transaction(async (trx) => {
      if (!(await this.role(g.id, userId, trx))) throw refuse(409, 'notMemberOther');
      await trx('container_members').where({ container_id: g.id, user_id: userId }).update({ role: 'admin' });
      await trx('entities').where({ id: g.id }).update({ owner_id: userId, updated_at: Date.now() });
    });
  }

  async setArchived(g: GroupRow, archived: boolean): Promise<void> {
    await this.rt
      .db('groups')
      .where({ entity_id: g.id })
      .update({ archived_at: archived ? Date.now() : null, updated_at: Date.now() });
  }

  /** Soft deletion of the group and of everything posted into it: the owner's decision, as a transfer is. */
  async remove(actor: Viewer, g: GroupRow): Promise<void> {
    if (!this.canTransfer(actor, g)) throw refuse(403, 'deleteOwnerOnly');
    await this.rt.db.transaction(async (trx) => {
      const at = Date.now();
      await trx('entities').where({ container_id: g.id }).whereNull('deleted_at').update({ deleted_at: at, updated_at: at });
      await this.rt.entities.softDelete(g.id, trx);
      await trx('group_invitations').where({ group_id: g.id }).delete();
      await trx('group_requests').where({ group_id: g.id }).delete();
    });
    await this.rt.hooks.emit('groups:deleted', { networkId: g.network_id, groupId: g.id, byId: actor.id });
  }

  /**
   * A bot's groups are its scope (core/members/bots.ts): only its network's admins change them,
   * on its page (Admin → Bots). Joining, an invitation, a request approved or a role above
   * member would widen or raise it: refused.
   */
  private async notABot(userId: number, status = 403, key = 'botMembership', db: Knex = this.rt.db): Promise<void> {
    const user = (await db('users').where({ id: userId }).first('kind')) as { kind: string } | undefined;
    if (user?.kind === BOT_KIND) throw refuse(status, key);
  }

  /** Adds a member once (a concurrent add of the same member is ignored); whether this call added them. */
  private async addMember(g: GroupRow, userId: number, trx: Knex = this.rt.db): Promise<boolean> {
    await this.notABot(userId, 403, 'botMembership', trx);
    const added = await trx('container_members')
      .insert({ container_id: g.id, user_id: userId, role: 'member', created_at: Date.now() })
      .onConflict(['container_id', 'user_id'])
      .ignore()
      .returning('user_id');
    await trx('group_requests').where({ group_id: g.id, user_id: userId }).delete();
    await trx('group_invitations').where({ group_id: g.id, user_id: userId }).whereNull('accepted_at').delete();
    return added.length > 0;
  }

  /** The first free handle from `base`, `base-2`, `base-3`... after skipping `skip` free ones. */
  private async freeHandle(trx: Knex, networkId: number, base: string, skip: number): Promise<string> {
    const taken = new Set(
      (await trx('groups')
        .where('network_id', networkId)
        .where((w) => w.where('handle', base).orWhere('handle', 'like', `${base}-%`))
        .pluck('handle')) as string[],
    );
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? base : `${base}-${i}`;
      if (!taken.has(candidate) && skip-- === 0) return candidate;
    }
  }
}
