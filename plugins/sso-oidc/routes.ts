/** The two steps of an OIDC sign-in: off to the provider, and back from it. */
import type Koa from 'koa';
import { completeExternalSignIn, setCookie, signInFailure, startExternalSignIn, type RouteDef, type RucheContext } from '../../core';
import { CALLBACK_PATH, LOGIN_TTL_MS, START_PATH, STATE_COOKIE } from './constants';
import { OidcSignIn } from './service';

const service = (ctx: RucheContext): OidcSignIn => ctx.ruche.container.resolve(OidcSignIn);
const stateCookie = (ctx: RucheContext, value: string | null) =>
  setCookie(ctx as unknown as Koa.Context, STATE_COOKIE, value, value ? { maxAge: LOGIN_TTL_MS } : {});

export const oidcRoutes: RouteDef[] = [
  {
    name: 'sso-oidc.start',
    method: 'GET',
    path: START_PATH,
    public: true,
    outsiders: true,
    handler: (ctx) =>
      startExternalSignIn(
        ctx,
        'sso-oidc',
        (network, next) => service(ctx).start(network, next),
        (started) => stateCookie(ctx, started.state),
      ),
  },
  {
    name: 'sso-oidc.callback',
    method: 'GET',
    path: CALLBACK_PATH,
    public: true,
    outsiders: true,
    async handler(ctx) {
      const browserState = ctx.cookies.get(STATE_COOKIE);
      stateCookie(ctx, null);
      const finished = await service(ctx).finish(ctx.state.network, ctx.search, browserState);
      if ('failure' in finished) return signInFailure(ctx, finished.failure, { plugin: 'sso-oidc', ...finished.details });
      const before = ctx.state.sessionId;
      const result = await completeExternalSignIn(ctx, finished.identity, finished.next);
      // Signed in: the ID token is kept to sign out at the provider too (RP-initiated logout).
      const opened = ctx.state.sessionId;
      if (opened && opened !== before && finished.idToken) await service(ctx).remember(opened, ctx.state.network, finished.idToken);
      return result;
    },
  },
];
