/**
 * Avatars, served by the core (a person's photo key is core data, core/content/people.ts):
 * `/avatars/:userId/<hash>-<size>.jpg` (stored, immutable) or `/avatars/:userId/initials.svg`.
 * Both answer only for a person the viewer may see through this network (the same 404 as an
 * unknown id otherwise): a partner company's network shows nobody else's name or photo.
 */
import { HttpError } from '../errors';
import { serveStored } from '../storage';
import { activeViewer, requireReader } from '../http/params';
import { avatarKey, initialsSvg } from '../content/people';
import type { RouteDef, RouteResult } from '../plugins/manifest';
import type { RucheContext } from '../http/context';

const PHOTO_FILE = /^([a-f0-9]{20})-(64|160|400)\.jpg$/;

async function serveAvatar(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const viewer = activeViewer(ctx);
  const raw = String(ctx.params?.userId ?? '');
  const file = String(ctx.params?.file ?? '');
  const photo = PHOTO_FILE.exec(file);
  if (!/^\d{1,9}$/.test(raw) || (file !== 'initials.svg' && !photo)) throw new HttpError(404);
  const userId = Number(raw);
  const user = await ctx.ruche.users.byId(userId);
  if (user?.status === 'former' && file === 'initials.svg') {
    // A former member's content stays (core/members/): a neutral "?" in place of their face.
    ctx.type = 'image/svg+xml';
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    ctx.body = initialsSvg(userId, '');
    return;
  }
  const admin = ctx.ruche.scopes.hasRootRights(viewer) || ctx.ruche.permissions.can(viewer, 'core.admin', ctx.state.network.id);
  if (!user || (user.status !== 'active' && !admin) || !(await ctx.ruche.access.canSeeMemberIn(viewer, userId, ctx.state.network)))
    throw new HttpError(404);
  if (photo) {
    await serveStored(ctx, ctx.ruche.storage, avatarKey(userId, photo[1], Number(photo[2])), { immutable: true });
    return;
  }
  ctx.type = 'image/svg+xml';
  ctx.set('Cache-Control', 'private, max-age=2592000');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  ctx.body = initialsSvg(userId, String(user.display_name));
  return;
}

export const avatarRoutes: RouteDef[] = [{ name: 'core.avatar', method: 'GET', path: '/avatars/:userId/:file', public: true, handler: serveAvatar }];
