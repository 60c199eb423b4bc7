/**
 * Directory groups (LDAP group DNs, OIDC `groups` claims, SAML group attributes) mapped to
 * roles in networks, shared by the SSO plugins. An administrator writes the rules in the
 * provider's settings, one per line: `<group> -> <network> <role>`, e.g.
 * `cn=partners,ou=groups,dc=corp,dc=example -> partner member` or `staff -> root moderator`
 * (`root`: the root network; otherwise a sub-network's slug). The roles are given at each
 * sign-in (and directory sync), and taken back when the group is gone
 * (ExternalAccounts.applyRoles).
 */
import type { Networks } from '../networks';
import type { ExternalRole } from './external-accounts';
import { ROLES, type Role } from './viewer';

/** One rule: members of `group` get `role` in `network` (a sub-network's slug, or `root`). */
export interface GroupRule {
  group: string;
  network: string;
  role: Role;
}

/** The rules of a group map; the lines that do not parse apart (`ruche sso test` lists them). Blank lines and `#` comments are skipped. */
export function parseGroupRules(map: string): { rules: GroupRule[]; bad: string[] } {
  const rules: GroupRule[] = [];
  const bad: string[] = [];
  for (const raw of map.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(.+?)\s*->\s*([a-z0-9-]+)\s+([a-z]+)$/.exec(line);
    if (m && (ROLES as readonly string[]).includes(m[3])) rules.push({ group: m[1], network: m[2], role: m[3] as Role });
    else bad.push(line);
  }
  return { rules, bad };
}

/**
 * The roles `map` grants to a member of `groups` (compared without case). Rules naming a
 * network that does not exist are skipped; several roles in one network are all returned
 * (applyRoles keeps the most powerful).
 */
export function rolesOfGroups(networks: Pick<Networks, 'root' | 'slug'>, map: string, groups: readonly string[]): ExternalRole[] {
  const held = new Set(groups.map((g) => g.toLowerCase()));
  const roles: ExternalRole[] = [];
  for (const rule of parseGroupRules(map).rules) {
    if (!held.has(rule.group.toLowerCase())) continue;
    const network = rule.network === 'root' ? networks.root() : networks.slug(rule.network);
    if (network) roles.push({ networkId: network.id, role: rule.role });
  }
  return roles;
}

/** A summary of a group map for `ruche sso test`: how many rules, or the lines that cannot be read. */
export function groupRulesCheck(map: string): { label: string; ok: boolean; detail: string } {
  const { rules, bad } = parseGroupRules(map);
  return {
    label: 'group rules',
    ok: bad.length === 0,
    detail: bad.length ? `cannot read: ${bad.join(' | ')} (write "<group> -> <network> <role>")` : `${rules.length} rule(s)`,
  };
}
