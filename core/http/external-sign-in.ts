/**
 * The HTTP side of signing in through an identity provider, shared by the SSO plugins: finish
 * a sign-in the provider vouched for (the account from core/auth/external-accounts.ts, a new
 * session, the `user:signedIn` event) and answer a refusal with a clear, localised page whose
 * details (the provider's error, the token check that failed) go to the log only.
 */
import { onFilter, type HookRegistration, type RouteResult } from '../plugins/manifest';
import type { SsoCheckReport } from '../hooks/map';
import type { Runtime } from '../runtime';
import type { NetworkInfo, RucheContext } from './context';
import { SIGN_IN_FAILURES, type ExternalIdentity, type SignInFailure } from '../auth/external-accounts';
import { safeNext } from './params';
import { signIn } from './session';

/** An identity provider as its SSO plugin declares it: its button on the sign-in page and its check. */
export interface SsoProvider {
  /** The plugin's id, also the button's. */
  pluginId: string;
  /** The name `ruche sso test|sync <name>` knows the provider by. */
  name: string;
  /** The path (in the network) where a sign-in starts; the button adds `?next=`. */
  startPath: string;
  /** The button's place among the sign-in page's providers. */
  order: number;
  /** The button's label in this network; null where the provider is not set up (no button). */
  label(rt: Runtime, networkId: number): string | null;
  /** What `ruche sso test <name>` reports for this network. */
  check(rt: Runtime, network: NetworkInfo, siteUrl: string): Promise<SsoCheckReport>;
}

/**
 * The hooks that put a provider on the sign-in page (`login:providers`) and before the CLI
 * (`sso:providers`, `sso:check`): an SSO plugin lists them in its manifest's `hooks`.
 */
export function ssoProviderHooks(p: SsoProvider): HookRegistration[] {
  return [
    onFilter('login:providers', (providers, { ctx, networkId, next }, rt) => {
      const label = p.label(rt, networkId);
      if (label === null) return providers;
      const href = `${ctx.state.basePath}${p.startPath}?next=${encodeURIComponent(next)}`;
      return [...providers, { id: p.pluginId, label, href, order: p.order }];
    }),
    onFilter('sso:providers', (names) => [...names, p.name]),
    onFilter('sso:check', (report, { provider, networkId, siteUrl }, rt) => {
      const network = rt.networks.get(networkId);
      if (report || provider !== p.name || !network) return report;
      return p.check(rt, network, siteUrl);
    }),
  ];
}

/** A provider's refusal, with what the log gets (never shown to the person). */
export interface ExternalSignInRefusal {
  failure: SignInFailure;
  details: Record<string, unknown>;
}

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

/**
 * The first step of a sign-in through a provider the browser is sent to (OIDC, SAML): a viewer
 * already signed in goes straight to the safe `next`; otherwise `start(network, next)` gives the
 * provider's address, where the browser goes (302) once `started` has kept what it must bring
 * back (a state cookie), or a refusal, answered with the localised failure page (`plugin` in the log).
 */
export async function startExternalSignIn<Started extends { url: string }>(
  ctx: RucheContext,
  plugin: string,
  start: (network: NetworkInfo, next: string) => Promise<Started | ExternalSignInRefusal>,
  started?: (begun: Started) => void,
): Promise<RouteResult> {
  const next = safeNext(ctx);
  if (ctx.state.viewer) return { redirect: next };
  const begun = await start(ctx.state.network, next);
  if ('failure' in begun) return signInFailure(ctx, begun.failure, { plugin, ...begun.details });
  started?.(begun);
  return { redirect: begun.url, status: 302 };
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
