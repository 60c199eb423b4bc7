/**
 * The permissions page of the admin area: every capability of the core and of the
 * plugins enabled in this network, grouped by owner, with the roles that hold it here.
 * Admins hold everything; moderators, members and guests follow the capability's default
 * unless this network overrides it (`role_grants`). Saving writes a grant only where the
 * choice differs from the default; a grant that returns to the default is written back to
 * the default value (the core has no way to delete one).
 */
import { HttpError, auditAction, bodyOf, link, oneOf, t, type GrantRole, type RouteDef, type RucheContext } from '../../core';
import { ADMIN_ACCESS, type AdminPage } from './constants';
import { requireSettingsRights } from './settings-scope';

/** The roles the page edits, most powerful first (admins always hold everything). */
export const EDITABLE_ROLES = ['moderator', 'member', 'guest'] as const satisfies readonly GrantRole[];

/** Staff capabilities (held by default by no member nor guest) are never given to people who are not signed in. */
const staffOnly = (cap: Capability): boolean => !cap.defaultRoles.includes('member') && !cap.defaultRoles.includes('guest');
const lockedForGuests = (cap: Capability, role: string): boolean => role === 'guest' && staffOnly(cap);
type EditableRole = (typeof EDITABLE_ROLES)[number];
const isEditableRole = oneOf(EDITABLE_ROLES);

type Capability = ReturnType<RucheContext['ruche']['permissions']['list']>[number];

/** The capabilities shown in a network: the core's and those of its enabled plugins. */
function capabilities(ctx: RucheContext): Capability[] {
  const rt = ctx.ruche;
  const networkId = ctx.state.network.id;
  return rt.permissions.list().filter((c) => c.owner === 'core' || rt.pluginState.isEnabled(c.owner, networkId));
}

/** This network's overrides: `capability|role` → granted. */
function overrides(ctx: RucheContext): Map<string, boolean> {
  return ctx.ruche.permissions.overrides(ctx.state.network.id);
}

const isDefault = (cap: Capability, role: EditableRole): boolean => cap.defaultRoles.includes(role);

function ownerName(ctx: RucheContext, owner: string): string {
  if (owner === 'core') return t(ctx, 'admin.permissions.core');
  const plugin = ctx.ruche.plugins.get(owner);
  return plugin ? t(ctx, plugin.manifest.name) : owner;
}

async function groups(ctx: RucheContext) {
  const granted = overrides(ctx);
  const byOwner = new Map<string, Capability[]>();
  for (const cap of capabilities(ctx)) byOwner.set(cap.owner, [...(byOwner.get(cap.owner) ?? []), cap]);
  const roleLabel = (role: string) => t(ctx, `admin.permissions.role.${role}`);
  return [...byOwner.entries()]
    .map(([owner, caps]) => ({
      owner,
      name: ownerName(ctx, owner),
      capabilities: caps.map((cap) => {
        const label = t(ctx, cap.description);
        const roles = EDITABLE_ROLES.map((role) => {
          const byDefault = isDefault(cap, role);
          const checked = granted.get(`${cap.id}|${role}`) ?? byDefault;
          return {
            role,
            roleLabel: roleLabel(role),
            checked,
            changed: checked !== byDefault,
            locked: lockedForGuests(cap, role),
            label: t(ctx, 'admin.permissions.checkLabel', { role: roleLabel(role), capability: label }),
          };
        });
        return {
          id: cap.id,
          label,
          roles,
          changed: roles.some((r) => r.changed),
          adminLabel: t(ctx, 'admin.permissions.checkLabel', { role: roleLabel('admin'), capability: label }),
        };
      }),
    }))
    .sort((a, b) => (a.owner === 'core' ? -1 : b.owner === 'core' ? 1 : a.name.localeCompare(b.name, ctx.state.locale)));
}

/**
 * The roles chosen per capability in a posted form (`roles[<capability>]`: '' as a
 * marker, then the checked roles). Anything else, or a capability not shown in this
 * network, is tampered input: a 400, before anything is written.
 */
export function parseChoices(body: Record<string, unknown>, shown: Map<string, Capability>): Map<Capability, Set<EditableRole>> {
  const raw = body.roles;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new HttpError(400);
  const choices = new Map<Capability, Set<EditableRole>>();
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const cap = shown.get(id);
    if (!cap) throw new HttpError(400);
    const values = Array.isArray(value) ? value : [value];
    const roles = new Set<EditableRole>();
    for (const v of values) {
      if (typeof v !== 'string') throw new HttpError(400);
      if (v === '') continue;
      if (!isEditableRole(v)) throw new HttpError(400);
      if (lockedForGuests(cap, v)) throw new HttpError(400, 'admin.permissions.error.staffToGuests');
      roles.add(v);
    }
    choices.set(cap, roles);
  }
  return choices;
}

export function permissionRoutes(page: AdminPage): RouteDef[] {
  return [
    {
      name: 'admin.permissions',
      method: 'GET',
      path: '/admin/permissions',
      capability: ADMIN_ACCESS,
      async handler(ctx) {
        return page(ctx, 'permissions', t(ctx, 'admin.permissions.title'), 'admin.permissions', {
          groups: await groups(ctx),
          roles: ['admin', ...EDITABLE_ROLES].map((role) => ({ role, label: t(ctx, `admin.permissions.role.${role}`) })),
          columns: EDITABLE_ROLES.length + 2,
        });
      },
    },
    {
      name: 'admin.permissions.save',
      method: 'POST',
      path: '/admin/permissions',
      capability: ADMIN_ACCESS,
      async handler(ctx) {
        requireSettingsRights(ctx);
        const body = bodyOf(ctx);
        const shown = new Map(capabilities(ctx).map((c) => [c.id, c]));
        const choices = parseChoices(body, shown);
        const rt = ctx.ruche;
        const networkId = ctx.state.network.id;
        const current = overrides(ctx);
        for (const [cap, chosen] of choices) {
          for (const role of EDITABLE_ROLES) {
            const want = chosen.has(role);
            const existing = current.get(`${cap.id}|${role}`);
            // A grant is stored where the choice differs from the default; one that
            // returns to the default is set to it (no row is written when there is none).
            const needed = existing === undefined ? want !== isDefault(cap, role) : existing !== want;
            if (!needed) continue;
            await rt.permissions.setGrant(networkId, cap.id, role, want);
            const was = existing ?? isDefault(cap, role);
            if (was !== want)
              await auditAction(ctx, {
                action: 'admin.permission.grant',
                objectType: 'capability',
                objectId: cap.id,
                before: { [role]: was },
                after: { [role]: want },
              });
          }
        }
        return { redirect: link(ctx, 'admin.permissions'), flash: 'admin.permissions.saved' };
      },
    },
  ];
}
