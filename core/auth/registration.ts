/**
 * Joining a network under its policy, and the emailed links around accounts.
 *
 * Policies: `open` (anyone, after verifying their address), `domain` (only addresses at the
 * network's domains, verified by the emailed link — the Yammer model), `invitation` (a
 * single-use, expiring invitation sent to one address; following it verifies the address),
 * `approval` (after verifying their address, an admin approves each request).
 */
import type { Runtime } from '../runtime';
import type { NetworkInfo } from '../http/context';
import type { FieldErrors } from './users';
import { normaliseEmail } from './users';

export const JOIN_POLICIES = ['open', 'domain', 'invitation', 'approval'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];
export const isJoinPolicy = (v: unknown): v is JoinPolicy => typeof v === 'string' && (JOIN_POLICIES as readonly string[]).includes(v);

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
  | { errors: FieldErrors };

export type VerifyResult = { ok: true; userId: number; status: 'active' | 'awaiting-approval' } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

export class Registration {
  constructor(private readonly rt: Runtime) {}

  async register(network: NetworkInfo, input: RegistrationInput): Promise<RegistrationResult> {
    const rt = this.rt;
    const email = normaliseEmail(input.email);
    const errors: FieldErrors = await rt.users.validate(input);
    let invitation: { id: number } | undefined;
    if (network.joinPolicy === 'invitation') {
      const check = await rt.links.check('invitation', input.invite);
      if (!check.ok) errors.invite = { key: `core.register.error.invite.${check.reason}` };
      else if (check.link.data.email !== email || Number(check.link.data.networkId) !== network.id) errors.email = { key: 'core.register.error.inviteEmail' };
      else invitation = check.link;
    }
    if (network.joinPolicy === 'domain' && !errors.email && !network.joinDomains.includes(email.split('@')[1] ?? '')) {
      errors.email = { key: 'core.register.error.domain', params: { domains: network.joinDomains.map((d) => `@${d}`).join(', ') } };
    }
    if (Object.keys(errors).length) return { errors };
    // An isolated sub-network (a partner company) takes its registrations for itself only;
    // any other sub-network's members also join the root network, as the root's do.
    const isolated = network.isolated && network.parentId !== null;
    const created = await rt.users.create({ username: input.username, email, displayName: input.displayName, password: input.password, locale: input.locale, emailVerified: !!invitation, networkId: isolated ? network.id : undefined });
    if ('errors' in created) return created;
    const userId = created.id;
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

  async sendVerification(userId: number, network: NetworkInfo, locale: string): Promise<void> {
    const user = await this.rt.db('users').where({ id: userId }).first('email', 'display_name');
    const token = await this.rt.links.issue('verify-email', userId, { networkId: network.id });
    await this.mail(user.email, locale, 'core/verify-email', network, { name: user.display_name, link: this.link(network, `/verify?token=${token}`) });
  }

  /** Follows a verification link: the address is verified; the member is active, or awaits approval. */
  async verify(token: unknown): Promise<VerifyResult> {
    const used = await this.rt.links.consume('verify-email', token);
    if (!used.ok) return used;
    const network = this.rt.networks.get(Number(used.link.data.networkId)) ?? this.rt.networks.root();
    return { ok: true, userId: used.link.userId!, status: await this.markVerified(used.link.userId!, network) };
  }

  /**
   * The member proved their address (verification or reset link). A pending member becomes
   * active, or awaits approval where the network approves each request.
   */
  async markVerified(userId: number, network: NetworkInfo): Promise<'active' | 'awaiting-approval'> {
    const now = Date.now();
    const user = await this.rt.db('users').where({ id: userId }).first('status', 'approval_requested_at');
    await this.rt.db('users').where({ id: userId }).whereNull('email_verified_at').update({ email_verified_at: now, updated_at: now });
    if (user?.status !== 'pending') return 'active';
    if (network.joinPolicy === 'approval') {
      if (!user.approval_requested_at) await this.rt.db('users').where({ id: userId }).update({ approval_requested_at: now });
      return 'awaiting-approval';
    }
    await this.rt.db('users').where({ id: userId }).update({ status: 'active', updated_at: now });
    return 'active';
  }

  /** Members waiting for an admin's approval (address verified). */
  async pendingRequests(): Promise<{ id: number; username: string; email: string; display_name: string; approval_requested_at: number }[]> {
    return this.rt.db('users').where({ status: 'pending' }).whereNotNull('approval_requested_at').orderBy('approval_requested_at').select('id', 'username', 'email', 'display_name', 'approval_requested_at');
  }

  async decide(userId: number, approve: boolean, network: NetworkInfo, locale: string): Promise<boolean> {
    const user = await this.rt.db('users').where({ id: userId, status: 'pending' }).whereNotNull('approval_requested_at').first('email', 'display_name', 'locale');
    if (!user) return false;
    if (approve) {
      await this.rt.db('users').where({ id: userId }).update({ status: 'active', approval_requested_at: null, updated_at: Date.now() });
      await this.mail(user.email, user.locale ?? locale, 'core/approved', network, { name: user.display_name, link: this.link(network, '/login') });
    } else {
      await this.rt.db('users').where({ id: userId }).delete();
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

  /** Emails a reset link when the address belongs to a member; says nothing either way. */
  async requestReset(network: NetworkInfo, email: string, locale: string): Promise<void> {
    const user = await this.rt.db('users').where({ email_lower: normaliseEmail(email) }).whereNot({ status: 'suspended' }).first('id', 'email', 'display_name', 'locale');
    if (!user) return;
    const token = await this.rt.links.issue('reset-password', Number(user.id));
    await this.mail(user.email, user.locale ?? locale, 'core/reset-password', network, { name: user.display_name, link: this.link(network, `/password/reset?token=${token}`) });
  }

  private link(network: NetworkInfo, path: string): string {
    const base = network.parentId === null ? '' : `/n/${network.slug}`;
    return `${this.rt.config.siteUrl}${base}${path}`;
  }

  private async mail(to: string, locale: string, template: string, network: NetworkInfo, data: Record<string, unknown>): Promise<void> {
    await this.rt.mailer.send({ to, locale, template, siteName: network.name, theme: network.theme, data });
  }
}
