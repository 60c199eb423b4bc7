/**
 * A member's profile as one viewer may see it — what the profile page and the JSON API both
 * show, decided once: the member must be visible in the request's network (a partner company's
 * people are not there: the same 404 as an unknown name), suspended members only to admins,
 * and each value at its field's level through the core's access model.
 */
import { activeViewer, notFound, requireReader, type RucheContext, type Viewer } from '../../core';
import { BUILTIN_VISIBILITY, profileValueShape } from './api';
import type { FieldRow, ProfileRow } from './fields';
import { ProfilesService } from './service';

export interface VisibleProfile {
  id: number;
  username: string;
  displayName: string;
  photoKey: string | null;
  createdAt: number;
  active: boolean;
  /** A service account (core/members/bots.ts): a “Bot” badge beside the name. */
  isBot: boolean;
  isOwner: boolean;
  /** The built-in fields, or null when the viewer may not see them. */
  builtin: ProfileRow | null;
  /** The extra fields with values the viewer may see, in their order. */
  extra: { field: FieldRow; values: string[] }[];
}

/** Admins of the request's network, or root rights (the core's rule). */
export function isNetworkAdmin(ctx: RucheContext, viewer: Viewer | null): boolean {
  const v = viewer && viewer.status === 'active' ? viewer : null;
  return !!v && (v.roles[ctx.state.network.id] === 'admin' || ctx.ruche.scopes.hasRootRights(v));
}

/** The profile of `:username` for the request's viewer, or a 404. */
export async function visibleProfile(ctx: RucheContext): Promise<VisibleProfile> {
  requireReader(ctx);
  const viewer = activeViewer(ctx);
  const user = await ctx.ruche.users.byUsername(String(ctx.params?.username ?? '').toLowerCase());
  if (!user) throw notFound();
  const id = Number(user.id);
  if (!(await ctx.ruche.access.canSeeMemberIn(viewer, id, ctx.state.network))) throw notFound();
  if (user.status !== 'active' && !isNetworkAdmin(ctx, viewer)) throw notFound();
  const svc = ctx.ruche.container.resolve(ProfilesService);
  // A profile value is a person's row (no network of its own): the core's access model decides.
  const levelCache = new Map<string, Promise<boolean>>(); // one answer per level for this owner and viewer
  const sees = (level: string): Promise<boolean> => {
    if (!levelCache.has(level)) levelCache.set(level, ctx.ruche.access.canSee(viewer, { owner_id: id, access: level }, profileValueShape()));
    return levelCache.get(level)!;
  };
  const values = await svc.values(id);
  const extra: VisibleProfile['extra'] = [];
  for (const field of await svc.fields()) {
    const vals = values.get(field.id);
    if (vals?.length && (await sees(field.visibility))) extra.push({ field, values: vals });
  }
  return {
    id,
    username: user.username,
    displayName: user.display_name,
    photoKey: user.photo_key ?? null,
    createdAt: Number(user.created_at),
    active: user.status === 'active',
    isBot: user.is_bot,
    isOwner: viewer?.id === id,
    builtin: (await sees(BUILTIN_VISIBILITY)) ? await svc.profile(id) : null,
    extra,
  };
}
