/**
 * Scope: who may act on what. Every capability is granted in a network; every object an
 * admin action touches has an owning scope — a network, or the whole installation. One
 * check decides: `mayAct(viewer, capability, scopeOf(object))`.
 *
 * - An object that belongs to a network (a row with a `network_id`, a membership request
 *   made to a network, a network's own settings) is in that network's scope: acting on it
 *   takes the capability *in that network* — never in the network the request came
 *   through.
 * - An object that belongs to no network (profile field definitions, which every member
 *   of every network fills in) is installation-wide, and so are the root network's own
 *   settings, which every sub-network inherits (plugins at the root and their settings,
 *   the site name and theme, the root's registration policy, charter and grants), and the
 *   join policy of a sub-network whose newcomers also join the root: acting on them takes
 *   root rights — a root admin, or an admin of the root network.
 *
 * Routes that act only on installation-wide objects declare `scope: 'installation'` and the
 * router checks it (menus that link to them hide themselves); handlers that load an object
 * check `mayAct` against the object's own scope.
 */
import type { Permissions } from '../auth/permissions';
import type { Viewer } from '../auth/viewer';
import type { Networks } from '../networks';
import { HttpError } from '../errors';

export type Scope = { readonly kind: 'installation' } | { readonly kind: 'network'; readonly networkId: number };

/** The whole installation: objects that belong to no one network. */
export const INSTALLATION: Scope = Object.freeze({ kind: 'installation' as const });

/** The scope of one network. */
export const networkScope = (networkId: number): Scope => Object.freeze({ kind: 'network' as const, networkId: Number(networkId) });

/** What an object says about where it belongs: its network id (`networkId` or a row's `network_id`), or none. */
export interface ScopedObject {
  networkId?: number | string | null;
  network_id?: number | string | null;
}

/** The owning scope of an object: its network, or the installation when it belongs to none. */
export function scopeOf(object: ScopedObject): Scope {
  const id = object.networkId ?? object.network_id;
  return id === null || id === undefined ? INSTALLATION : networkScope(Number(id));
}

/**
 * Root rights, the one rule: an active root admin, or an active admin of the root network.
 * The access model (who sees everything) and `Scopes` (who acts on the installation) both ask here.
 */
export function hasRootRights(viewer: Viewer | null, rootNetworkId: number): boolean {
  if (!viewer || viewer.status !== 'active') return false;
  return viewer.isRootAdmin || viewer.roles[rootNetworkId] === 'admin';
}

export class Scopes {
  constructor(
    private readonly permissions: Permissions,
    private readonly networks: Networks,
  ) {}

  /** Root rights: an active root admin, or an active admin of the root network. */
  hasRootRights(viewer: Viewer | null): boolean {
    return hasRootRights(viewer, this.networks.root().id);
  }

  /**
   * The scope of a network's own settings (plugins, appearance, registration, charter,
   * grants): the installation for the root network, whose settings every sub-network
   * inherits; the network itself otherwise.
   */
  ofNetworkSettings(networkId: number): Scope {
    return Number(networkId) === this.networks.root().id ? INSTALLATION : networkScope(networkId);
  }

  /** The scope of a plugin's settings in a network: the installation for a plugin whose manifest says `settingsRights: 'installation'`. */
  ofPluginSettings(networkId: number, manifest: { settingsRights?: 'network' | 'installation' }): Scope {
    return manifest.settingsRights === 'installation' ? INSTALLATION : this.ofNetworkSettings(networkId);
  }

  /**
   * The scope of a network's join policy (policy and email domains): who may join a network
   * that is not isolated also joins the root network, so its policy decides who enters the
   * installation — root rights; an isolated sub-network (a partner company) keeps its
   * newcomers to itself, so its policy is its own.
   */
  ofJoinPolicy(network: { id: number; parentId: number | null; isolated: boolean }): Scope {
    return network.parentId !== null && network.isolated ? networkScope(network.id) : INSTALLATION;
  }

  /**
   * The scope of an account itself (suspending it, emailing it a reset link, ending its
   * sessions): an account reaches every network it belongs to, so acting on it takes the
   * capability in its only network when that is a sub-network (an isolated partner
   * network's own member), and root rights otherwise (a member of the root network, of
   * several networks, or a root admin). Roles are per network: a role's scope is its network.
   */
  ofAccount(account: { networkIds: readonly number[]; isRootAdmin: boolean }): Scope {
    const ids = [...new Set(account.networkIds.map(Number))];
    if (account.isRootAdmin || ids.length !== 1 || ids[0] === this.networks.root().id) return INSTALLATION;
    return networkScope(ids[0]);
  }

  /** May the viewer use `capability` on an object of `scope`? */
  mayAct(viewer: Viewer | null, capability: string, scope: Scope): boolean {
    if (scope.kind === 'installation') return this.hasRootRights(viewer) && this.permissions.has(capability);
    return this.permissions.can(viewer, capability, scope.networkId);
  }

  /**
   * `mayAct`, or the refusal: a guest is asked to sign in (401); a member gets a 403 that
   * says, for the installation's objects, that they need root rights.
   */
  requireAct(viewer: Viewer | null, capability: string, scope: Scope): void {
    if (this.mayAct(viewer, capability, scope)) return;
    if (!viewer || viewer.status !== 'active') throw new HttpError(401);
    throw new HttpError(403, scope.kind === 'installation' ? 'core.scope.rootRights' : undefined);
  }
}
