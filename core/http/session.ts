/** Reads the session cookie and loads the viewer; a suspended member's sessions end. */
import type Koa from 'koa';
import type { Sessions } from '../auth/sessions';
import type { Users } from '../auth/users';

export function sessionViewer(sessions: Sessions, users: Users, cookieName: string, secure: boolean): Koa.Middleware {
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
        ctx.cookies.set(cookieName, null, { httpOnly: true, sameSite: 'lax', secure });
      }
    }
    await next();
  };
}

/** Starts a session for a member and sets its cookie (a new id each sign-in: no fixation). */
export async function signIn(ctx: Koa.Context, sessions: Sessions, userId: number, cookieName: string, secure: boolean): Promise<void> {
  if (ctx.state.sessionId) await sessions.destroy(ctx.state.sessionId);
  const token = await sessions.create(userId, { ip: ctx.ip, userAgent: ctx.get('user-agent') });
  ctx.cookies.set(cookieName, token, { httpOnly: true, sameSite: 'lax', secure, overwrite: true });
}

export async function signOut(ctx: Koa.Context, sessions: Sessions, cookieName: string, secure: boolean): Promise<void> {
  if (ctx.state.sessionId) await sessions.destroy(ctx.state.sessionId);
  ctx.state.viewer = null;
  ctx.state.sessionId = null;
  ctx.cookies.set(cookieName, null, { httpOnly: true, sameSite: 'lax', secure });
}
