/**
 * The members console's acting side: change a member's role in a network, suspend their
 * account with a reason and an end, reactivate it, email them a password-reset link, end
 * their sessions. The core does the work (rt.users, rt.suspensions, rt.registration,
 * rt.sessions); this service decides what changes and answers what did, for the caller's
 * audit entry. The caller has checked the viewer may act (the role: in the network; the
 * account: core Scopes.ofAccount).
 */
import type { NetworkInfo, Role, Runtime } from '../../../core';
import type { MemberDetail } from './directory';

export interface Change {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

export type RoleOutcome = { refused: 'self' } | { unchanged: true } | { change: Change };

export type SuspendOutcome = { errors: Record<string, { key: string; params?: Record<string, unknown> }> } | { change: Change };

export class MemberActions {
  constructor(private readonly rt: Pick<Runtime, 'users' | 'suspensions' | 'registration' | 'sessions'>) {}

  /** Gives `role` in the network (their sessions end); nobody changes their own role here. */
  async setRole(networkId: number, member: MemberDetail, role: Role, actorId: number): Promise<RoleOutcome> {
    if (member.id === actorId) return { refused: 'self' };
    if (member.role === role) return { unchanged: true };
    await this.rt.users.setRole(member.id, networkId, role);
    return { change: { before: { role: member.role }, after: { role } } };
  }

  /** Suspends the account with a reason and an end (null: until reactivated); field errors when refused. */
  async suspend(member: MemberDetail, reason: string, until: number | null, actorId: number): Promise<SuspendOutcome> {
    const input = { reason, until };
    const errors = this.rt.suspensions.check(input);
    if (Object.keys(errors).length) return { errors };
    const done = await this.rt.suspensions.suspend(member.id, input, actorId);
    if ('refused' in done) return { errors: { _form: { key: `admin.member.suspend.refused.${done.refused}` } } };
    const before = done.previous ? { status: 'suspended', ...done.previous } : { status: done.status };
    return { change: { before, after: { status: 'suspended', reason: reason.trim(), until } } };
  }

  /** Lifts the suspension; undefined when the account was not suspended. */
  async reactivate(member: MemberDetail): Promise<Change | undefined> {
    if (!(await this.rt.suspensions.reactivate(member.id))) return undefined;
    return { before: { status: 'suspended', reason: member.suspensionReason, until: member.suspendedUntil }, after: { status: 'active' } };
  }

  /** Emails the member a link to choose a new password (not to a suspended account); false when none was sent. */
  async sendResetLink(network: NetworkInfo, member: MemberDetail, locale: string): Promise<boolean> {
    if (member.status === 'suspended') return false;
    await this.rt.registration.requestReset(network, member.email, locale);
    return true;
  }

  /** Ends one of the member's sessions (by its id), or all of them; how many ended. */
  async endSessions(member: MemberDetail, sessionId: string | 'all'): Promise<number> {
    if (sessionId === 'all') {
      const n = (await this.rt.sessions.list(member.id)).length;
      await this.rt.sessions.destroyAllFor(member.id);
      return n;
    }
    return (await this.rt.sessions.destroyOwn(member.id, sessionId)) ? 1 : 0;
  }
}
