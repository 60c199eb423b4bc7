/**
 * Joining a network under its policy, and the emailed links around accounts.
 *
 * Policies: `open` (anyone, after verifying their address), `domain` (only addresses at the
 * network's domains, verified by the emailed link — the Yammer model), `invitation` (a
 * single-use, expiring invitation sent to one address; following it verifies the address),
 * `approval` (after verifying their address, an admin approves each request).
 *
 * Each account remembers the network the person applied to (`users.applied_network_id`).
 * Verification, approval and activation follow that network's policy only, and the emailed
 * links point there, whichever network's address the person later signs in or resets their
 * password through. Membership requests belong to that network: only its admins (or root
 * admins, through it) see and decide them.
 */
import type { Runtime } from '../runtime';
import type { NetworkInfo } from '../http/context';
import type { FieldErrors } from './users';
import type { Permissions } from './permissions';
import { PERSON_KIND, type Viewer } from './viewer';
import { normaliseEmail } from './users';
import { networkUrl } from '../network-url';
import { oneOf } from '../one-of';

const EMAIL_TAKEN = 'core.user.error.emailTaken';

export const JOIN_POLICIES = ['open', 'domain', 'invitation', 'approval'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
export const isJoinPolicy = oneOf(JOIN_POLICIES);

export interface RegistrationInput {
  username: string;
  email: string;
  displayName?: string;
  password: string;
  invite?: string;
  locale: string;
}

export type RegistrationResult =
  | { status: 'verify'; userId: number }
  | { status: 'active'; userId: number }
  /** The address already had an account: its owner was mailed; the page says "check your email" as for a new one. */
  | { status: 'known' }
  | { errors: FieldErrors };

export type VerifyResult =
  { ok: true; userId: number; status: 'active' | 'awaiting-approval' } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/**
 * Invitations one member may send in 24 hours, counted from the stored invitations (so the
 * cap holds across processes): admins of the network more.
 */
export const INVITATIONS_PER_DAY = { member: 20, admin: 200 } as const;
const DAY_MS = 86_400_000;
/**
 * An address invited to a network less than this long ago is not mailed again: simultaneous
 * submits (a double click, a form sent twice) leave one live invitation and one mail, and
 * answer as the first did. Inviting it again later sends a new link.
 */
export const REINVITE_AFTER_MS = 10 * 60_000;

export type InviteOutcome = { sent: number; skipped: string[] } | { refused: 'limit'; limit: number; remaining: number };

/**
 * Who may send invitations in a network: under the "by invitation" policy, whoever holds
 * `core.invite` there; under any other policy only its admins (`core.admin`) — people join
 * from the registration page, and members' invitations would only be mail to strangers.
 */
export function mayInvite(permissions: Permissions, viewer: Viewer | null, network: NetworkInfo): boolean {
  if (!permissions.can(viewer, 'core.invite', network.id)) return false;
  return network.joinPolicy === 'invitation' || permissions.can(viewer, 'core.admin', network.id);
}

export interface PendingRequest {
  id: number;
  username: string;
  email: string;
  display_name: string;
  approval_requested_at: number;
  /** The network the request was made to. */
  network_id: number;
}

export class Registration {
  constructor(private readonly rt: Runtime) {}

  async register(network: NetworkInfo, input: RegistrationInput): Promise<RegistrationResult> {
    const rt = this.rt;
    const email = normaliseEmail(input.email);
    const errors: FieldErrors = await rt.users.validate(input);
    // Whether an address has an account is not told to whoever types it (as for a password
    // reset): the form goes through as for a new one and the owner gets a mail instead.
    const known = errors.email?.key === EMAIL_TAKEN;
    if (known) delete errors.email;
    let invitation: { id: number } | undefined;
    if (network.joinPolicy === 'invitation') {
      const check = await rt.links.check('invitation', input.invite);
      if (!check.ok) errors.invite = { key: `core.register.error.invite.${check.reason}` };
      else if (check.link.data.email !== email || Number(check.link.data.networkId) !== network.id)
        errors.email = { key: 'core.register.error.inviteEmail' };
      else invitation = check.link;
    }
    if (network.joinPolicy === 'domain' && !errors.email && !network.joinDomains.includes(email.split('@')[1] ?? '')) {
      errors.email = { key: 'core.register.error.domain', params: { domains: network.joinDomains.map((d) => `@${d}`).join(', ') } };
    }
    if (Object.keys(errors).length) return { errors };
    if (known) return this.tellOwner(network, email, input);
    // An isolated sub-network (a partner company) takes its registrations for itself only;
    // any other sub-network's members also join the root network, as the root's do.
    const isolated = network.isolated && network.parentId !== null;
    const created = await rt.users.create({
      username: input.username,
      email,
      displayName: input.displayName,
      password: input.password,
      locale: input.locale,
      emailVerified: !!invitation,
      networkId: isolated ? network.id : undefined,
    });
    if ('errors' in created) {
      // Taken by a simultaneous registration: the same answer as above.
      if (created.errors.email?.key === EMAIL_TAKEN && Object.keys(created.errors).length === 1) return this.tellOwner(network, email, input);
      return created;
    }
    const userId = created.id;
    await rt.db('users').where({ id: userId }).update({ applied_network_id: network.id });
    if (!isolated && network.id !== rt.networks.root().id) await rt.users.setRole(userId, network.id, 'member');
    if (invitation) {
      // The invitation was sent to this address: following it proves the address.
      const used = await rt.links.consume('invitation', input.invite);
      if (!used.ok) {
        await rt.db('users').where({ id: userId }).delete();
        return { errors: { invite: { key: `core.register.error.invite.${used.reason}` } } };
      }
      return { status: 'active', userId };
    }
    await rt.db('users').where({ id: userId }).update({ status: 'pending' });
    await this.sendVerification(userId, network, input.locale);
    return { status: 'verify', userId };
  }

  /**
   * Someone registered with the address of an existing account: its owner is told, with a
   * sign-in and a password-reset link; the password is hashed all the same so the answer
   * takes as long as a new account's.
   */
  private async tellOwner(network: NetworkInfo, email: string, input: RegistrationInput): Promise<RegistrationResult> {
    await this.rt.users.hashPassword(input.password);
    const user = await this.rt.db('users').where({ email_lower: email }).first('display_name', 'locale');
    if (user) {
      await this.mail(email, user.locale ?? input.locale, 'core/account-exists', network, {
        name: user.display_name,
        link: this.link(network, '/login'),
        resetLink: this.link(network, '/password/forgot'),
      });
    }
    return { status: 'known' };
  }

  /**
   * Mails a verification link. The link and the mail name the network the person applied to,
   * never the one a request came through (`_via`, kept for callers): following it verifies
   * the address under that network's policy.
   */
  async sendVerification(userId: number, _via: NetworkInfo, locale: string): Promise<void> {
    const user = await this.rt.db('users').where({ id: userId }).first('email', 'display_name');
    const network = await this.appliedNetwork(userId);
    const token = await this.rt.links.issue('verify-email', userId, { networkId: network.id });
    await this.mail(user.email, locale, 'core/verify-email', network, {
      name: user.display_name,
      link: this.link(network, `/verify?token=${token}`),
    });
  }

  /** Follows a verification link: the address is verified; the member is active, or awaits approval. */
  async verify(token: unknown): Promise<VerifyResult> {
    const used = await this.rt.links.consume('verify-email', token);
    if (!used.ok) return used;
    return { ok: true, userId: used.link.userId!, status: await this.markVerified(used.link.userId!) };
  }

  /** The network the person applied to (the root network for accounts made otherwise). */
  async appliedNetwork(userId: number): Promise<NetworkInfo> {
    const row: { applied_network_id: number | null } | undefined = await this.rt.db('users').where({ id: userId }).first('applied_network_id');
    const id = row?.applied_network_id;
    return (id === null || id === undefined ? undefined : this.rt.networks.get(Number(id))) ?? this.rt.networks.root();
  }

  /**
   * The member proved their address (verification or reset link, followed through any
   * network's address). A pending member becomes active, or awaits approval where the
   * network they applied to approves each request.
   */
  async markVerified(userId: number): Promise<'active' | 'awaiting-approval'> {
    const network = await this.appliedNetwork(userId);
    const now = Date.now();
    const user = await this.rt.db('users').where({ id: userId }).first('status', 'approval_requested_at');
    await this.rt.db('users').where({ id: userId }).whereNull('email_verified_at').update({ email_verified_at: now, updated_at: now });
    if (user?.status !== 'pending') return 'active';
    if (network.joinPolicy === 'approval') {
      if (!user.approval_requested_at) {
        await this.rt.db('users').where({ id: userId }).update({ approval_requested_at: now });
        await this.tellAdmins(userId, network);
      }
      return 'awaiting-approval';
    }
    await this.rt.db('users').where({ id: userId }).update({ status: 'active', updated_at: now });
    return 'active';
  }

  /** People waiting for approval in one network (address verified): the requests made to it. */
  async pendingRequests(networkId: number): Promise<PendingRequest[]> {
    const root = this.rt.networks.root().id;
    return this.rt
      .db('users')
      .where({ status: 'pending' })
      .where((q) =>
        networkId === root ? q.where('applied_network_id', networkId).orWhereNull('applied_network_id') : q.where('applied_network_id', networkId),
      )
      .whereNotNull('approval_requested_at')
      .orderBy('approval_requested_at')
      .orderBy('id')
      .select('id', 'username', 'email', 'display_name', 'approval_requested_at', 'applied_network_id as network_id');
  }

  /** One request awaiting approval, with the network it was made to (its scope), or undefined. */
  async pendingRequest(userId: number): Promise<PendingRequest | undefined> {
    if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
    const row: PendingRequest | undefined = await this.rt
      .db('users')
      .where({ id: userId, status: 'pending' })
      .whereNotNull('approval_requested_at')
      .first('id', 'username', 'email', 'display_name', 'approval_requested_at', 'applied_network_id as network_id');
    return row && { ...row, network_id: Number((await this.appliedNetwork(userId)).id) };
  }

  /**
   * Approves or declines a request made to `network` (false when there is no such request
   * there). The caller checks the viewer may act in that network.
   */
  async decide(userId: number, approve: boolean, network: NetworkInfo, locale: string): Promise<boolean> {
    const request = await this.pendingRequest(userId);
    if (!request || request.network_id !== network.id) return false;
    const user = await this.rt
      .db('users')
      .where({ id: userId, status: 'pending' })
      .whereNotNull('approval_requested_at')
      .first('email', 'display_name', 'locale');
    if (!user) return false;
    if (approve) {
      await this.rt.db('users').where({ id: userId }).update({ status: 'active', approval_requested_at: null, updated_at: Date.now() });
      await this.mail(user.email, user.locale ?? locale, 'core/approved', network, { name: user.display_name, link: this.link(network, '/login') });
    } else {
      // A declined applicant leaves nothing behind: what was recorded when the account was
      // made ("joined the network") goes with it, or the account could not be deleted.
      await this.rt.db.transaction(async (trx) => {
        const owned = trx('entities').where({ owner_id: userId }).select('id');
        await trx('activity')
          .where((q) => q.where({ actor_id: userId }).orWhereIn('entity_id', owned))
          .delete();
        await trx('entities').where({ owner_id: userId }).delete();
        await trx('users').where({ id: userId }).delete();
      });
    }
    return true;
  }

  /** Sends an invitation to one address; returns false when a member already uses it. */
  async invite(network: NetworkInfo, email: string, byName: string, locale: string): Promise<boolean> {
    const address = normaliseEmail(email);
    if (await this.rt.db('users').where({ email_lower: address }).first('id')) return false;
    const token = await this.rt.links.issue('invitation', null, { email: address, networkId: network.id });
    await this.mail(address, locale, 'core/invitation', network, { by: byName, link: this.link(network, `/register?invite=${token}`) });
    return true;
  }

  /**
   * Sends invitations from a member, within their daily cap (`limit`): addresses of existing
   * members are skipped; when the new ones would pass the cap, nothing is sent and the
   * answer says how many remain. The count and the new invitations are written in one
   * transaction (the inviter's row locked on PostgreSQL), so parallel requests cannot pass it.
   * An address invited to this network in the last `REINVITE_AFTER_MS` counts as sent
   * without a new link or mail, so simultaneous submits of the same address send one.
   */
  async inviteMany(
    network: NetworkInfo,
    emails: string[],
    inviter: { id: number; displayName: string },
    limit: number,
    locale: string,
  ): Promise<InviteOutcome> {
    const rt = this.rt;
    const issued: { address: string; token: string }[] = [];
    const skipped: string[] = [];
    let sent = 0;
    const refused = await rt.db.transaction(async (trx) => {
      if (rt.dialect === 'postgres') await trx('users').where({ id: inviter.id }).forUpdate().first('id');
      const used = await rt.links.countCreatedBy('invitation', inviter.id, Date.now() - DAY_MS, trx);
      const fresh: string[] = [];
      for (const address of new Set(emails.map(normaliseEmail))) {
        if (await trx('users').where({ email_lower: address }).first('id')) skipped.push(address);
        else if (await rt.links.issuedSince('invitation', { email: address, networkId: network.id }, Date.now() - REINVITE_AFTER_MS, trx)) sent++;
        else fresh.push(address);
      }
      if (used + fresh.length > limit) return { refused: 'limit' as const, limit, remaining: Math.max(0, limit - used) };
      for (const address of fresh) {
        issued.push({
          address,
          token: await rt.links.issue('invitation', null, { email: address, networkId: network.id }, undefined, { createdBy: inviter.id, trx }),
        });
      }
      return undefined;
    });
    if (refused) return refused;
    for (const { address, token } of issued) {
      await this.mail(address, locale, 'core/invitation', network, {
        by: inviter.displayName,
        link: this.link(network, `/register?invite=${token}`),
      });
    }
    return { sent: sent + issued.length, skipped };
  }

  /** Emails a reset link when the address belongs to a member; says nothing either way. */
  async requestReset(network: NetworkInfo, email: string, locale: string): Promise<void> {
    const user = await this.rt
      .db('users')
      .where({ email_lower: normaliseEmail(email), kind: PERSON_KIND })
      .whereNot({ status: 'suspended' })
      .first('id', 'email', 'display_name', 'locale');
    if (!user) return;
    const token = await this.rt.links.issue('reset-password', Number(user.id));
    await this.mail(user.email, user.locale ?? locale, 'core/reset-password', network, {
      name: user.display_name,
      link: this.link(network, `/password/reset?token=${token}`),
    });
  }

  /**
   * Tells each active admin of `network` that a request to join awaits them: through a plugin
   * when one takes it (`network:joinRequested`), else by mail, in their language, with the
   * requests link.
   */
  private async tellAdmins(userId: number, network: NetworkInfo): Promise<void> {
    const applicant = await this.rt.db('users').where({ id: userId }).first('display_name', 'email');
    const admins: { id: number; email: string; display_name: string; locale: string | null }[] = await this.rt
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where({ 'm.network_id': network.id, 'm.role': 'admin', 'u.status': 'active' })
      .orderBy('u.id')
      .select('u.id', 'u.email', 'u.display_name', 'u.locale');
    const untold = new Set(
      await this.rt.hooks.filter(
        'network:joinRequested',
        admins.map((a) => Number(a.id)),
        { networkId: network.id, userId },
      ),
    );
    for (const admin of admins.filter((a) => untold.has(Number(a.id)))) {
      await this.mail(admin.email, admin.locale ?? network.locale, 'core/request-pending', network, {
        name: admin.display_name,
        applicant: applicant.display_name,
        email: applicant.email,
        link: this.link(network, '/members/requests'),
      });
    }
  }

  private link(network: NetworkInfo, path: string): string {
    return `${networkUrl(this.rt.config.siteUrl, network)}${path}`;
  }

  private async mail(to: string, locale: string, template: string, network: NetworkInfo, data: Record<string, unknown>): Promise<void> {
    await this.rt.mailer.send({
      to,
      locale,
      template,
      siteName: network.name,
      siteUrl: networkUrl(this.rt.config.siteUrl, network),
      theme: network.theme,
      data,
    });
  }
}
