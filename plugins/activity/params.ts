/** What several route modules share: capabilities, URL parameters. */
import { HttpError, normaliseTag, type RucheContext } from '../../core';

export const POST = 'activity.post';
export const ANNOUNCE = 'activity.announce';

/** The `:tag` parameter in its normal form, or a 404. */
export function tagParam(ctx: RucheContext): string {
  let raw: string;
  try {
    raw = decodeURIComponent(String(ctx.params.tag ?? ''));
  } catch {
    raw = '';
  }
  const tag = normaliseTag(raw);
  if (!tag) throw new HttpError(404, 'activity.errors.badTag');
  return tag;
}

/** An active member of this network by `:username`, or a 404. */
export async function memberByUsername(ctx: RucheContext): Promise<{ id: number; username: string; display_name: string }> {
  const member = await ctx.ruche.users.activeMember(ctx.state.network.id, String(ctx.params.username));
  if (!member) throw new HttpError(404, 'activity.errors.noMember');
  return member;
}
