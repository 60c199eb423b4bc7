/** Sign in, sign out and the language switch. (Registration and recovery build on these.) */
import { HttpError } from '../errors';
import { field } from '../http/body';
import { setCookie } from '../http/cookies';
import { LOCALE_COOKIE } from '../http/locale';
import { signIn, signOut } from '../http/session';
import { isLocale } from '../i18n/i18n';
import type { RouteDef } from '../plugins/manifest';
import { safeNext } from '../http/params';
import { clientAddress } from '../http/client-address';
import { signInThrottled } from '../http/sign-in-throttle';
import type { RucheContext } from '../http/context';
import type { SignInProvider } from '../hooks/map';

/** The identity providers the SSO plugins offer on this network's sign-in page, in order. */
async function signInProviders(ctx: RucheContext, next: string): Promise<SignInProvider[]> {
  const rt = ctx.ruche;
  const context = { ctx, networkId: ctx.state.network.id, viewer: ctx.state.viewer, locale: ctx.state.locale, next };
  const providers = await rt.hooks.filter('login:providers', [], context);
  return [...providers].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
}

export const authRoutes: RouteDef[] = [
  {
    name: 'core.login',
    outsiders: true,
    method: 'GET',
    path: '/login',
    public: true,
    async handler(ctx) {
      if (ctx.state.viewer) return { redirect: safeNext(ctx) };
      const next = safeNext(ctx);
      return {
        view: 'core/login',
        title: ctx.ruche.i18n.t(ctx.state.locale, 'core.login.title'),
        data: { values: { login: '' }, next, providers: await signInProviders(ctx, next), ssoOnly: !!ctx.state.network.ssoOnly },
      };
    },
  },
  {
    name: 'core.login.submit',
    outsiders: true,
    method: 'POST',
    path: '/login',
    public: true,
    async handler(ctx) {
      const rt = ctx.ruche;
      const login = field(ctx, 'login').trim();
      const password = field(ctx, 'password');
      const next = safeNext(ctx);
      const view = (status: number, key: string, params: Record<string, unknown> = {}) => ({
        view: 'core/login',
        status,
        title: rt.i18n.t(ctx.state.locale, 'core.login.title'),
        data: { values: { login }, next, error: rt.i18n.t(ctx.state.locale, key, params), providers, ssoOnly: !!ctx.state.network.ssoOnly },
      });
      const providers = await signInProviders(ctx, next);
      if (!login || !password) return view(422, 'core.login.missing');
      const user = await rt.users.findByLogin(login);
      // One account, whether named by username or email; unknown names count on their own.
      const account = user ? `user:${user.id}` : `login:${login.toLowerCase()}`;
      const ip = clientAddress(ctx);
      const throttled = await signInThrottled(ctx, account);
      if (throttled) return view(throttled.status, throttled.key, throttled.params);
      // Always spend the time of a hash check, so timing does not reveal which accounts exist.
      const ok = await rt.users.checkPassword(password, user?.password_hash);
      await rt.throttle.record(account, ip, !!user && ok ? 'success' : 'failure');
      if (!user || !ok) return view(422, 'core.login.failed');
      // "SSO only": the password is the break-glass of root administrators alone.
      if (ctx.state.network.ssoOnly && !user.is_root_admin) {
        rt.logger.warn(
          { userId: Number(user.id), network: ctx.state.network.slug, reqId: ctx.state.requestId },
          'password sign-in refused: SSO only',
        );
        return view(403, 'core.login.ssoOnly');
      }
      if (user.status === 'suspended' && !(await rt.suspensions.liftIfOver(Number(user.id)))) return view(403, 'core.login.suspended');
      if (user.status === 'pending') {
        if (user.approval_requested_at) return view(403, 'core.login.awaitingApproval');
        await rt.registration.sendVerification(Number(user.id), ctx.state.network, user.locale ?? ctx.state.locale);
        return view(403, 'core.login.unverified', { email: user.email });
      }
      const deletionCancelled = await signIn(ctx, Number(user.id));
      await rt.hooks.emit('user:signedIn', { userId: Number(user.id), networkId: ctx.state.network.id });
      return deletionCancelled ? { redirect: next, flash: { type: 'success', key: 'core.deletion.cancelled' } } : { redirect: next };
    },
  },
  {
    name: 'core.logout',
    outsiders: true,
    method: 'POST',
    path: '/logout',
    public: true,
    async handler(ctx) {
      // A session opened through a provider may end there too (OIDC RP-initiated logout): the
      // provider's address, asked before the session ends; it sends the browser back here.
      const sessionId = ctx.state.sessionId;
      const away = sessionId ? await ctx.ruche.hooks.filter('logout:redirect', null, { ctx, sessionId }) : null;
      await signOut(ctx);
      if (!away) return { redirect: `${ctx.state.basePath}/`, flash: { type: 'info', key: 'core.logout.done' } };
      // A page going on at once (the Refresh header), not a redirect: browsers hold a form's
      // redirect to another site to the CSP's form-action 'self'.
      ctx.set('Refresh', `0; url=${away}`);
      return { view: 'core/signing-out', title: ctx.ruche.i18n.t(ctx.state.locale, 'core.logout.provider.title'), data: { away } };
    },
  },
  {
    name: 'core.locale',
    outsiders: true,
    method: 'POST',
    path: '/locale',
    public: true,
    async handler(ctx) {
      const locale = field(ctx, 'locale');
      if (!isLocale(locale)) throw new HttpError(400, 'core.language.unknown');
      const rt = ctx.ruche;
      if (ctx.state.viewer) await rt.users.setLocale(ctx.state.viewer.id, locale);
      setCookie(ctx as never, LOCALE_COOKIE, locale, { maxAge: 365 * 86_400_000 });
      return { redirect: safeNext(ctx) };
    },
  },
];
