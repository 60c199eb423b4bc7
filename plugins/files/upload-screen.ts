/**
 * `upload:beforeRead`: an upload to the member's files, a group library or an album is refused
 * from its declared length when it cannot fit the quota left, before a byte is received (the
 * form names its target in its address for this). The exact check on the sizes received
 * (routes.ts) still follows. The declared length counts the form's own bytes too (boundaries,
 * fields), so up to `FORM_SLACK` of it is not held against the quota.
 */
import { idOf, type RucheContext, type UploadRefusal } from '../../core';
import { albums, visibleAlbum } from './album-access';
import { service } from './params';
import { quotaProblem } from './upload';

const FORM_SLACK = 64 * 1024;

/**
 * The container an upload goes to, from its address: a group, an album's, or null (the
 * member's own files, `?mine=1`); undefined when the address names none (an API client, an
 * older form): such an upload is judged on the sizes received only.
 */
async function containerOf(ctx: RucheContext): Promise<number | null | undefined> {
  const albumId = idOf(ctx.query.album);
  if (albumId) {
    try {
      return (await visibleAlbum(ctx, albumId, albums(ctx))).container_id;
    } catch {
      return undefined; // not this hook's refusal to give: the route answers it
    }
  }
  const containerId = idOf(ctx.query.container);
  if (containerId) return containerId;
  return ctx.query.mine === '1' ? null : undefined; // no target in the address: judged once received
}

export async function refuseOverQuota(value: UploadRefusal | null, c: { ctx: RucheContext; declared: number }): Promise<UploadRefusal | null> {
  const { ctx, declared } = c;
  const viewer = ctx.state.viewer;
  if (value || ctx.method !== 'POST' || ctx.path !== '/files' || !viewer) return value;
  const containerId = await containerOf(ctx);
  if (containerId === undefined) return null;
  const over = await quotaProblem(service(ctx), viewer.id, ctx.state.network.id, { containerId }, Math.max(0, declared - FORM_SLACK));
  return over ? { status: 413, key: over.key, params: over.params } : null;
}
