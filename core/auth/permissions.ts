/**
 * The permissions registry: capabilities declared by the core and plugins with default
 * roles, re-grantable per network (`role_grants`). `can(viewer, capability, networkId)`
 * is the one answer to "may this viewer do that here". Network admins and root admins
 * hold every capability.
 *
 * Grants are cached in memory; a change goes through the `grants` cache
 * (core/cache/caches.ts), so every process and a running server see it within a second.
 */
import type { Knex } from 'knex';
import type { Caches } from '../cache/caches';
import type { PermissionDef } from '../plugins/manifest';
import type { GrantRole, Viewer } from './viewer';

export interface Capability extends PermissionDef {
  owner: string;
}

/** Capabilities of the core itself. */
export const CORE_PERMISSIONS: PermissionDef[] = [
  { id: 'core.participate', defaultRoles: ['member', 'moderator', 'admin'], description: 'core.permission.participate' },
  { id: 'core.invite', defaultRoles: ['member', 'moderator', 'admin'], description: 'core.permission.invite' },
  { id: 'core.moderate', defaultRoles: ['moderator', 'admin'], description: 'core.permission.moderate' },
  { id: 'core.admin', defaultRoles: ['admin'], description: 'core.permission.admin' },
];

export class Permissions {
  private readonly caps = new Map<string, Capability>();
  private grants = new Map<string, boolean>();

  constructor(
    private readonly rootNetworkId: number,
    private readonly caches: Caches,
    db: Knex,
  ) {
    caches.register('grants', () => this.loadGrants(db));
  }

  register(owner: string, defs: PermissionDef[] = []): void {
    for (const def of defs) {
      const prev = this.caps.get(def.id);
      if (prev) throw new Error(`capability ${def.id} is declared by both ${prev.owner} and ${owner}`);
      this.caps.set(def.id, { ...def, owner });
    }
  }

  has(capability: string): boolean {
    return this.caps.has(capability);
  }

  list(): Capability[] {
    return [...this.caps.values()];
  }

  async loadGrants(db: Knex): Promise<void> {
    const rows: { network_id: number; capability: string; role: string; granted: boolean | number }[] = await db('role_grants').select();
    this.grants = new Map(rows.map((r) => [grantKey(Number(r.network_id), r.capability, r.role), !!r.granted]));
  }

  async setGrant(networkId: number, capability: string, role: GrantRole, granted: boolean): Promise<void> {
    await this.caches.write('grants', (trx) =>
      trx('role_grants')
        .insert({ network_id: networkId, capability, role, granted })
        .onConflict(['network_id', 'capability', 'role'])
        .merge(['granted']),
    );
  }

  /** A network's overrides of the default roles: `capability|role` → granted. */
  overrides(networkId: number): Map<string, boolean> {
    const prefix = `${networkId}|`;
    return new Map([...this.grants].filter(([k]) => k.startsWith(prefix)).map(([k, granted]) => [k.slice(prefix.length), granted]));
  }

  /** The viewer's role in a network: root admins are admins everywhere; others their membership, else guest. */
  roleOf(viewer: Viewer | null, networkId: number): GrantRole {
    if (!viewer || viewer.status !== 'active') return 'guest';
    if (viewer.isRootAdmin) return 'admin';
    return viewer.roles[networkId] ?? (viewer.roles[this.rootNetworkId] === 'admin' ? 'admin' : 'guest');
  }

  can(viewer: Viewer | null, capability: string, networkId: number): boolean {
    const cap = this.caps.get(capability);
    if (!cap) return false;
    const role = this.roleOf(viewer, networkId);
    if (role === 'admin') return true;
    const override = this.grants.get(grantKey(networkId, capability, role));
    return override ?? cap.defaultRoles.includes(role);
  }
}

const grantKey = (networkId: number, capability: string, role: string): string => `${networkId}|${capability}|${role}`;
