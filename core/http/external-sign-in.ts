/**
 * The HTTP side of signing in through an identity provider, shared by the SSO plugins: finish
 * a sign-in the provider vouched for (the account from core/auth/external-accounts.ts, a new
 * session, the `user:signedIn` event) and answer a refusal with a clear, localised page whose
 * details (the provider's error, the token check that failed) go to the log only.
 */
import type { RouteResult } from '../plugins/manifest';
import type { RucheContext } from './context';
import { SIGN_IN_FAILURES, type ExternalIdentity, type SignInFailure } from '../auth/external-accounts';
import { signIn } from './session';

/** The localised page telling why a sign-in through a provider failed; `details` are logged, never shown. */
export function signInFailure(ctx: RucheContext, reason: SignInFailure, details: Record<string, unknown> = {}): RouteResult {
  const rt = ctx.ruche;
  const status = SIGN_IN_FAILURES[reason];
  rt.logger.warn({ ...details, reason, network: ctx.state.network.slug, reqId: ctx.state.requestId }, 'sign-in through a provider refused');
  return {
    view: 'core/sign-in-failure',
    status,
    title: rt.i18n.t(ctx.state.locale, 'core.sso.error.title'),
    data: { message: rt.i18n.t(ctx.state.locale, `core.sso.error.${reason}`), reference: ctx.state.requestId },
  };
}

/** Signs the person the provider vouched for in (linked or created account) and sends them to `next`, or explains the refusal. */
export async function completeExternalSignIn(ctx: RucheContext, identity: ExternalIdentity, next: string): Promise<RouteResult> {
  const rt = ctx.ruche;
  const result = await rt.externalAccounts.signIn(ctx.state.network, identity);
  if (!result.ok) return signInFailure(ctx, result.reason, { provider: identity.provider, subject: identity.subject });
  const deletionCancelled = await signIn(ctx, result.userId);
  await rt.hooks.emit('user:signedIn', { userId: result.userId, networkId: ctx.state.network.id });
  rt.logger.info(
    { provider: identity.provider, userId: result.userId, created: result.created, reqId: ctx.state.requestId },
    'signed in through a provider',
  );
  return deletionCancelled ? { redirect: next, flash: { type: 'success', key: 'core.deletion.cancelled' } } : { redirect: next };
}
