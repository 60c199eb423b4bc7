/**
 * Finds who is asking: the session cookie (a suspended member's sessions end), or for API
 * clients without cookies a personal access token (`Authorization: Bearer`).
 */
import type Koa from 'koa';
import type { Sessions } from '../auth/sessions';
import type { Users } from '../auth/users';
import type { RucheContext } from './context';
import { setCookie } from './cookies';
import { HttpError } from '../errors';
import type { ApiTokens } from '../auth/api-tokens';
import { clientAddress } from './client-address';
import { cancelDeletion } from '../members/deletion';
import { sha256 } from '../auth/tokens';

export function sessionViewer(sessions: Sessions, users: Users, cookieName: string, apiTokens: ApiTokens): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.viewer = null;
    ctx.state.sessionId = null;
    ctx.state.apiToken = null;
    const token = ctx.cookies.get(cookieName);
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    if (bearer && !token) {
      // API clients: a personal access token instead of a session cookie.
      const resolved = await apiTokens.resolve(bearer);
      const viewer = resolved ? await users.viewer(resolved.userId) : undefined;
      if (!viewer || viewer.status !== 'active') throw new HttpError(401, 'core.api.badToken', {}, 'invalid_token');
      ctx.state.viewer = viewer;
      ctx.state.apiToken = resolved!;
    } else if (token) {
      const session = await sessions.resolve(token);
      const viewer = session?.viewer;
      if (session && viewer && viewer.status !== 'suspended') {
        ctx.state.viewer = viewer;
        ctx.state.sessionId = session.id;
      } else {
        if (session) await sessions.destroyAllFor(session.userId);
        setCookie(ctx, cookieName, null);
      }
    }
    await next();
  };
}

/**
 * Starts a session for a member and sets its cookie (a new id each sign-in: no fixation);
 * `ctx.state.sessionId` names it from then on (a provider's plugin keeps what it needs to end
 * its own session with it, e.g. OIDC's ID token).
 * Signing in cancels the member's pending account deletion (core/members/deletion.ts): answers
 * true when it did, for the page to say so.
 */
export async function signIn(ctx: RucheContext, userId: number): Promise<boolean> {
  const rt = ctx.ruche;
  if (ctx.state.sessionId) await rt.sessions.destroy(ctx.state.sessionId);
  const token = await rt.sessions.create(userId, { ip: clientAddress(ctx), userAgent: ctx.get('user-agent') });
  setCookie(ctx as unknown as Koa.Context, rt.config.session.cookieName, token);
  ctx.state.sessionId = sha256(token);
  return cancelDeletion(rt, userId);
}

export async function signOut(ctx: RucheContext): Promise<void> {
  const rt = ctx.ruche;
  if (ctx.state.sessionId) await rt.sessions.destroy(ctx.state.sessionId);
  ctx.state.viewer = null;
  ctx.state.sessionId = null;
  setCookie(ctx as unknown as Koa.Context, rt.config.session.cookieName, null);
}
