/**
 * Members who sign in through an identity provider (an OIDC issuer, an LDAP directory...):
 * the provider vouches for a person (its stable subject, their address, their names) and this
 * decides which account that is.
 *
 * 1. A subject already linked (`user_identities`) is that member.
 * 2. Otherwise an account with the same address is linked to it — only when the provider
 *    vouches for the address (`emailVerified`): the person is not given a second account, and
 *    nobody takes over an account by typing its address into a directory.
 * 3. Otherwise an account is created just in time, under the policy of the network being
 *    signed in to: `open` admits anyone the provider vouches for, `domain` only addresses at
 *    the network's domains, `approval` creates the request its admins decide on, and
 *    `invitation` creates nobody (the invited register from their link; their account is then
 *    linked by address the first time they sign in through the provider).
 *
 * A suspended member is refused whatever the provider says. Plugins call `signIn` and render
 * a refusal with `signInFailure` (core/http/external-sign-in.ts).
 *
 * The profile fields a provider keeps (`synced`: display name, address, department, job
 * title) are written at each sign-in (and by a directory sync through `syncProfile`), kept on
 * the link, and locked for editing while the link exists (`lockedFields`). The core writes the
 * account's own fields; the event `user:profileSynced` carries all of them to the plugins
 * keeping the others (profiles: department, headline).
 */
import type { Runtime } from '../runtime';
import type { NetworkInfo } from '../http/context';
import { isValidEmail, isValidUsername, normaliseEmail } from './users';
import { isLocale } from '../i18n/i18n';
import { BOT_KIND, ROLES, type Role } from './viewer';

/** What a provider says of the person signing in. */
export interface ExternalIdentity {
  /** The provider's id in Ruche, e.g. `oidc:<issuer URL>` or `ldap:corp` (at most 255 characters). */
  provider: string;
  /** The provider's stable, unique id of the person (OIDC `sub`, LDAP `entryUUID`...). */
  subject: string;
  email: string;
  /** Whether the provider vouches for the address (OIDC `email_verified`, or trusted by configuration). */
  emailVerified: boolean;
  displayName?: string;
  /** A preferred username; the local part of the address otherwise. Made unique when taken. */
  username?: string;
  locale?: string;
  /** The profile fields the provider keeps: written at each sign-in, locked for editing. */
  synced?: SyncedProfile;
  /**
   * Roles the provider grants (its groups mapped to networks, core/auth/group-roles.ts): given
   * at each sign-in, and those it granted before and no longer does taken back. Absent: the
   * member's roles are left alone.
   */
  roles?: ExternalRole[];
}

/** A role a provider grants in a network (e.g. an LDAP group mapped to a sub-network). */
export interface ExternalRole {
  networkId: number;
  role: Role;
}

/** A change of role a provider's rules make; `role` null: the member leaves the network. */
export interface RoleChange {
  networkId: number;
  role: Role | null;
}

/** A role a provider's rules gave, with the role held before (null: not a member then), kept on the link. */
interface GrantedRole {
  networkId: number;
  role: Role;
  previous: Role | null;
}

/** Profile fields a provider may keep (`headline`: the job title). */
export const SYNCED_FIELDS = ['displayName', 'email', 'department', 'headline'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];
export type SyncedProfile = Partial<Record<SyncedField, string>>;

/** Why a sign-in through a provider was refused; each has its message `core.sso.error.<reason>`. */
export const SIGN_IN_FAILURES = {
  suspended: 403,
  /** The directory marks the account disabled. */
  disabled: 403,
  noEmail: 403,
  unverifiedEmail: 403,
  notInvited: 403,
  domain: 403,
  awaitingApproval: 403,
  /** The provider could not be reached, or answered what it should not (details in the log). */
  provider: 502,
  /** The sign-in was not started here, was already used, or is too old (a replayed or forged callback). */
  state: 400,
  /** The provider's answer failed its checks: signature, audience, expiry, nonce. */
  token: 400,
  /** The person cancelled, or the provider refused them. */
  denied: 403,
  /** No provider is configured for this network. */
  notConfigured: 404,
} as const;
export type SignInFailure = keyof typeof SIGN_IN_FAILURES;

export type ExternalSignInResult = { ok: true; userId: number; created: boolean } | { ok: false; reason: SignInFailure };

/** What `signIn` would do for an identity, without doing it (a directory sync's dry run). */
export type ExternalDecision =
  | { action: 'linked'; userId: number }
  | { action: 'link'; userId: number }
  | { action: 'create'; email: string }
  | { action: 'refuse'; reason: SignInFailure };

const MAX_PROVIDER = 255;
const MAX_SUBJECT = 255;

export class ExternalAccounts {
  constructor(private readonly rt: Runtime) {}

  /** What `signIn` would do for `identity` in `network`: the linked member, the one to link, a creation, or a refusal. */
  async decide(network: NetworkInfo, identity: ExternalIdentity): Promise<ExternalDecision> {
    const provider = identity.provider.slice(0, MAX_PROVIDER);
    const subject = identity.subject;
    if (!subject || subject.length > MAX_SUBJECT) return { action: 'refuse', reason: 'token' };
    const linked = await this.linkedUser(provider, subject);
    if (linked !== undefined) return { action: 'linked', userId: linked };
    const email = normaliseEmail(identity.email ?? '');
    if (!email || !isValidEmail(email)) return { action: 'refuse', reason: 'noEmail' };
    if (!identity.emailVerified) return { action: 'refuse', reason: 'unverifiedEmail' };
    const existing = await this.rt.db('users').where({ email_lower: email }).first('id', 'kind');
    if (existing?.kind === BOT_KIND) return { action: 'refuse', reason: 'noEmail' }; // a bot never signs in
    if (existing) return { action: 'link', userId: Number(existing.id) };
    if (network.joinPolicy === 'invitation') return { action: 'refuse', reason: 'notInvited' };
    if (network.joinPolicy === 'domain' && !network.joinDomains.includes(email.split('@')[1] ?? '')) return { action: 'refuse', reason: 'domain' };
    return { action: 'create', email };
  }

  /** The account `identity` signs in to in `network` (linked or created), or why not; its synced fields written. */
  async signIn(network: NetworkInfo, identity: ExternalIdentity): Promise<ExternalSignInResult> {
    const provider = identity.provider.slice(0, MAX_PROVIDER);
    const subject = identity.subject;
    const decision = await this.decide(network, identity);
    if (decision.action === 'refuse') return { ok: false, reason: decision.reason };
    let userId: number;
    if (decision.action === 'create') {
      userId = await this.create(network, identity, decision.email);
      await this.link(userId, provider, subject);
    } else {
      userId = decision.userId;
      if (decision.action === 'link') await this.link(userId, provider, subject);
    }
    const result = await this.admit(userId, provider, subject, decision.action === 'create');
    if (result.ok) {
      await this.syncProfile(network, provider, subject, identity.synced);
      if (identity.roles) await this.applyRoles(provider, subject, identity.roles);
    }
    return result;
  }

  /**
   * Writes the fields the provider keeps to the member linked to (`provider`, `subject`) and
   * records them on the link (which locks them). The address changes only to one no other
   * account holds. Returns the fields that changed.
   */
  async syncProfile(network: NetworkInfo, provider: string, subject: string, synced: SyncedProfile | undefined): Promise<SyncedField[]> {
    const rt = this.rt;
    const link = await rt.db('user_identities').where({ provider, subject }).first('user_id', 'synced');
    if (!link) return [];
    const fields: SyncedProfile = {};
    for (const key of SYNCED_FIELDS) {
      const value = synced?.[key]?.trim();
      if (value) fields[key] = value.slice(0, key === 'email' ? 254 : 200);
    }
    const userId = Number(link.user_id);
    const user = await rt.db('users').where({ id: userId }).first('display_name', 'email_lower');
    if (!user) return [];
    const row: Record<string, unknown> = {};
    if (fields.displayName && fields.displayName !== user.display_name) row.display_name = fields.displayName;
    const email = fields.email ? normaliseEmail(fields.email) : undefined;
    if (email && email !== user.email_lower) {
      if (isValidEmail(email) && !(await rt.db('users').where({ email_lower: email }).first('id'))) Object.assign(row, { email, email_lower: email });
      else delete fields.email; // not this member's to take: the account keeps its address, unlocked
    }
    if (Object.keys(row).length)
      await rt
        .db('users')
        .where({ id: userId })
        .update({ ...row, updated_at: Date.now() });
    const before = parseSynced(link.synced);
    const stored = JSON.stringify(fields);
    if (stored !== (link.synced ?? '{}')) await rt.db('user_identities').where({ provider, subject }).update({ synced: stored });
    const changed = SYNCED_FIELDS.filter((k) => fields[k] !== before[k]);
    if (changed.length) await rt.hooks.emit('user:profileSynced', { userId, networkId: network.id, fields });
    return changed;
  }

  /**
   * What the roles a provider grants now (`roles`, from its group rules) change for the member
   * linked to (`provider`, `subject`), without changing it (a directory sync's dry run):
   * - a granted role is given (the most powerful when several rules name one network), unless
   *   the member already holds a more powerful one there (a grant never lowers a role);
   * - a role the provider granted before and grants no more is taken back: the member gets the
   *   role held before the grant, or leaves the network when none, unless an administrator
   *   changed the role since (then it is theirs to decide).
   * `granted` is what the link records afterwards.
   */
  async planRoles(provider: string, subject: string, roles: readonly ExternalRole[]): Promise<{ changes: RoleChange[]; granted: GrantedRole[] }> {
    const link = await this.rt.db('user_identities').where({ provider, subject }).first('user_id', 'roles');
    if (!link) return { changes: [], granted: [] };
    const rows: { network_id: number; role: Role }[] = await this.rt.db('memberships').where({ user_id: link.user_id }).select('network_id', 'role');
    const current = new Map(rows.map((r) => [Number(r.network_id), r.role]));
    const before = new Map(parseGranted(link.roles).map((g) => [g.networkId, g]));
    const rank = (role: Role) => ROLES.indexOf(role);
    const wanted = new Map<number, Role>();
    for (const { networkId, role } of roles) {
      const other = wanted.get(networkId);
      if (!other || rank(role) < rank(other)) wanted.set(networkId, role);
    }
    const changes: RoleChange[] = [];
    const granted: GrantedRole[] = [];
    for (const [networkId, role] of wanted) {
      const held = current.get(networkId) ?? null;
      const earlier = before.get(networkId);
      if (held && rank(held) < rank(role) && held !== earlier?.role) continue;
      granted.push({ networkId, role, previous: earlier ? earlier.previous : held });
      if (held !== role) changes.push({ networkId, role });
    }
    for (const [networkId, grant] of before) {
      if (wanted.has(networkId) || (current.get(networkId) ?? null) !== grant.role) continue;
      changes.push({ networkId, role: grant.previous });
    }
    return { changes, granted };
  }

  /**
   * Gives and takes back the roles a provider grants (planRoles) and records them on the
   * link. Changing a role ends the member's sessions. Returns the changes made.
   */
  async applyRoles(provider: string, subject: string, roles: readonly ExternalRole[]): Promise<RoleChange[]> {
    const userId = await this.linkedUser(provider, subject);
    if (userId === undefined) return [];
    const { changes, granted } = await this.planRoles(provider, subject, roles);
    for (const { networkId, role } of changes) {
      if (role) await this.rt.users.setRole(userId, networkId, role);
      else await this.rt.users.removeMembership(userId, networkId);
    }
    await this.rt
      .db('user_identities')
      .where({ provider, subject })
      .update({ roles: granted.length ? JSON.stringify(granted) : null });
    return changes;
  }

  /** The profile fields of a member that providers keep (locked for editing), e.g. `email`, `department`. */
  async lockedFields(userId: number): Promise<Set<SyncedField>> {
    const rows: { synced: string | null }[] = await this.rt.db('user_identities').where({ user_id: userId }).select('synced');
    return new Set(rows.flatMap((r) => Object.keys(parseSynced(r.synced)) as SyncedField[]));
  }

  /** The member a provider's subject is linked to, or undefined. */
  async linkedUser(provider: string, subject: string): Promise<number | undefined> {
    const row = await this.rt.db('user_identities').where({ provider, subject }).first('user_id');
    return row ? Number(row.user_id) : undefined;
  }

  /** The members linked to `provider`, with their subjects (a directory sync's starting point). */
  async linkedTo(provider: string): Promise<{ subject: string; userId: number }[]> {
    const rows: { subject: string; user_id: number }[] = await this.rt
      .db('user_identities')
      .where({ provider })
      .orderBy('id')
      .select('subject', 'user_id');
    return rows.map((r) => ({ subject: r.subject, userId: Number(r.user_id) }));
  }

  /** The providers a member signs in through, oldest link first. */
  async providersOf(userId: number): Promise<string[]> {
    const rows: { provider: string }[] = await this.rt.db('user_identities').where({ user_id: userId }).orderBy('id').select('provider');
    return rows.map((r) => r.provider);
  }

  /** Links a subject to a member; linking the same pair again (a double submit) changes nothing. */
  private async link(userId: number, provider: string, subject: string): Promise<void> {
    const now = Date.now();
    await this.rt
      .db('user_identities')
      .insert({ provider, subject, user_id: userId, created_at: now, last_used_at: now })
      .onConflict(['provider', 'subject'])
      .ignore();
  }

  /**
   * Whether the member may come in now. The provider proved the address, so a member still
   * waiting to verify it is verified (and becomes active, or awaits approval where required).
   */
  private async admit(userId: number, provider: string, subject: string, created: boolean): Promise<ExternalSignInResult> {
    const rt = this.rt;
    const user = await rt.db('users').where({ id: userId }).first('status', 'approval_requested_at');
    if (!user || (user.status === 'suspended' && !(await rt.suspensions.liftIfOver(userId)))) return { ok: false, reason: 'suspended' };
    if (user.status === 'pending' && (await rt.registration.markVerified(userId)) === 'awaiting-approval') {
      return { ok: false, reason: 'awaitingApproval' };
    }
    await rt.db('user_identities').where({ provider, subject }).update({ last_used_at: Date.now() });
    return { ok: true, userId, created };
  }

  /** A new account for the person, joining `network` as the registration page would. */
  private async create(network: NetworkInfo, identity: ExternalIdentity, email: string): Promise<number> {
    const rt = this.rt;
    const isolated = network.isolated && network.parentId !== null;
    for (let attempt = 0; ; attempt++) {
      const username = await this.freeUsername(identity.username, email, attempt);
      const created = await rt.users.create({
        username,
        email,
        displayName: identity.displayName?.trim().slice(0, 200) || undefined,
        password: null,
        locale: identity.locale && isLocale(identity.locale) ? identity.locale : network.locale,
        emailVerified: true,
        networkId: isolated ? network.id : undefined,
      });
      if ('id' in created) {
        const pending = network.joinPolicy === 'approval';
        await rt
          .db('users')
          .where({ id: created.id })
          .update({ applied_network_id: network.id, ...(pending ? { status: 'pending' } : {}) });
        if (!isolated && network.id !== rt.networks.root().id) await rt.users.setRole(created.id, network.id, 'member');
        return created.id;
      }
      // Taken meanwhile by a simultaneous sign-in with the same address: that account is the one.
      if (created.errors.email) {
        const row = await rt.db('users').where({ email_lower: email }).first('id');
        if (row) return Number(row.id);
      }
      if (attempt >= 5) throw new Error(`cannot create an account for ${identity.provider} subject: ${JSON.stringify(created.errors)}`);
    }
  }

  /** A free, valid username from the provider's suggestion or the address (`jane.doe`, `jane.doe2`...). */
  private async freeUsername(suggested: string | undefined, email: string, attempt: number): Promise<string> {
    const cleaned = (value: string) =>
      value
        .replace(/@.*$/, '')
        .replace(/[^a-zA-Z0-9_.-]+/g, '')
        .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '')
        .slice(0, 28);
    let base = cleaned(suggested ?? '');
    if (!isValidUsername(base)) base = cleaned(email);
    if (!isValidUsername(base)) base = `member${base}`.slice(0, 28);
    for (let n = attempt ? attempt + 1 : 1; n < 10_000; n++) {
      const candidate = n === 1 ? base : `${base.slice(0, 28)}${n}`;
      if (!isValidUsername(candidate)) continue;
      if (!(await this.rt.db('users').where({ username_lower: candidate.toLowerCase() }).first('id'))) return candidate;
    }
    return `${base.slice(0, 20)}${Date.now().toString(36)}`;
  }
}

function parseGranted(stored: string | null | undefined): GrantedRole[] {
  if (!stored) return [];
  try {
    const value: unknown = JSON.parse(stored);
    return Array.isArray(value) ? (value as GrantedRole[]).filter((g) => typeof g?.networkId === 'number' && ROLES.includes(g.role)) : [];
  } catch {
    return [];
  }
}

function parseSynced(stored: string | null | undefined): SyncedProfile {
  if (!stored) return {};
  try {
    const value: unknown = JSON.parse(stored);
    return value && typeof value === 'object' ? (value as SyncedProfile) : {};
  } catch {
    return {};
  }
}
