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
 */
import type { Runtime } from '../runtime';
import type { NetworkInfo } from '../http/context';
import { isValidEmail, isValidUsername, normaliseEmail } from './users';
import { isLocale } from '../i18n/i18n';

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
}

/** Why a sign-in through a provider was refused; each has its message `core.sso.error.<reason>`. */
export const SIGN_IN_FAILURES = {
  suspended: 403,
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

const MAX_PROVIDER = 255;
const MAX_SUBJECT = 255;

export class ExternalAccounts {
  constructor(private readonly rt: Runtime) {}

  /** The account `identity` signs in to in `network` (linked or created), or why not. */
  async signIn(network: NetworkInfo, identity: ExternalIdentity): Promise<ExternalSignInResult> {
    const provider = identity.provider.slice(0, MAX_PROVIDER);
    const subject = identity.subject;
    if (!subject || subject.length > MAX_SUBJECT) return { ok: false, reason: 'token' };
    const linked = await this.linkedUser(provider, subject);
    if (linked !== undefined) return this.admit(linked, provider, subject, false);
    const email = normaliseEmail(identity.email ?? '');
    if (!email || !isValidEmail(email)) return { ok: false, reason: 'noEmail' };
    if (!identity.emailVerified) return { ok: false, reason: 'unverifiedEmail' };
    const existing = await this.rt.db('users').where({ email_lower: email }).first('id');
    if (existing) {
      await this.link(Number(existing.id), provider, subject);
      return this.admit(Number(existing.id), provider, subject, false);
    }
    if (network.joinPolicy === 'invitation') return { ok: false, reason: 'notInvited' };
    if (network.joinPolicy === 'domain' && !network.joinDomains.includes(email.split('@')[1] ?? '')) return { ok: false, reason: 'domain' };
    const userId = await this.create(network, identity, email);
    await this.link(userId, provider, subject);
    return this.admit(userId, provider, subject, true);
  }

  /** The member a provider's subject is linked to, or undefined. */
  async linkedUser(provider: string, subject: string): Promise<number | undefined> {
    const row = await this.rt.db('user_identities').where({ provider, subject }).first('user_id');
    return row ? Number(row.user_id) : undefined;
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
