/** Reads the session cookie and loads the viewer; a suspended member's sessions end. */
import type Koa from 'koa';
import type { Sessions } from '../auth/sessions';
import type { Users } from '../auth/users';
import type { RucheContext } from './context';
import { setCookie } from './cookies';

export function sessionViewer(sessions: Sessions, users: Users, cookieName: string): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.viewer = null;
    ctx.state.sessionId = null;
    const token = ctx.cookies.get(cookieName);
    if (token) {
      const session = await sessions.resolve(token);
      const viewer = session && (await users.viewer(session.userId));
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

/** Starts a session for a member and sets its cookie (a new id each sign-in: no fixation). */
export async function signIn(ctx: RucheContext, userId: number): Promise<void> {
  const rt = ctx.ruche;
  if (ctx.state.sessionId) await rt.sessions.destroy(ctx.state.sessionId);
  const token = await rt.sessions.create(userId, { ip: ctx.ip, userAgent: ctx.get('user-agent') });
  setCookie(ctx as unknown as Koa.Context, rt.config.session.cookieName, token);
}

export async function signOut(ctx: RucheContext): Promise<void> {
  const rt = ctx.ruche;
  if (ctx.state.sessionId) await rt.sessions.destroy(ctx.state.sessionId);
  ctx.state.viewer = null;
  ctx.state.sessionId = null;
  setCookie(ctx as unknown as Koa.Context, rt.config.session.cookieName, null);
}
