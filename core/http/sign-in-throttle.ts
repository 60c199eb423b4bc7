/**
 * The throttle of a sign-in form (core/auth/throttle.ts) seen from a route: the password form
 * and the SSO plugins' own password forms (LDAP) ask it before checking a password, and show
 * the message it returns (status and i18n key) instead of checking.
 */
import { clientAddress } from './client-address';
import type { RucheContext } from './context';

export interface SignInRefusal {
  status: number;
  key: string;
  params: Record<string, unknown>;
}

/**
 * Whether an attempt on `account` may check its password now; when not, the attempt is
 * recorded as refused, logged, and the message to show is returned (with Retry-After set
 * when the wait is known). The caller records the outcome with `rt.throttle.record`.
 */
export async function signInThrottled(ctx: RucheContext, account: string): Promise<SignInRefusal | null> {
  const rt = ctx.ruche;
  const ip = clientAddress(ctx);
  const verdict = await rt.throttle.check(account, ip);
  if (verdict.allowed) return null;
  await rt.throttle.record(account, ip, 'refused');
  rt.logger.warn({ account, ip, reason: verdict.reason, reqId: ctx.state.requestId }, 'sign-in throttled');
  if (verdict.reason === 'account') {
    ctx.set('Retry-After', String(verdict.retryAfterSeconds));
    return { status: 429, key: 'core.login.slowed', params: { count: verdict.retryAfterSeconds, seconds: verdict.retryAfterSeconds } };
  }
  return { status: 429, key: 'core.login.throttled', params: { minutes: rt.config.login.windowMinutes } };
}
