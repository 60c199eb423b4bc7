/**
 * The profiles JSON API: one member's profile, exactly what their profile page shows the
 * viewer (visible-profile.ts decides for both): built-in fields at their level, extra fields
 * each at its own, nothing of a member the viewer may not see (the 404 of an unknown name).
 */
import { apiMemberFields, avatarUrl, link, z, type RouteDef } from '../../core';
import { visibleProfile } from './visible-profile';

const profile = z.object({
  ...apiMemberFields,
  href: z.string(),
  avatar: z.string(),
  memberSince: z.number(),
  suspended: z.boolean(),
  builtin: z
    .object({ headline: z.string(), department: z.string(), location: z.string(), languages: z.string(), skills: z.string(), about: z.string() })
    .nullable(),
  fields: z.array(z.object({ key: z.string(), type: z.string(), visibility: z.string(), values: z.array(z.string()) })),
});

export function profilesApiRoutes(capability: string): RouteDef[] {
  return [
    {
      name: 'profiles.api.view',
      method: 'GET',
      path: '/api/v1/people/:username',
      capability,
      api: { summary: 'A member’s profile: what their profile page shows the viewer.', response: profile, page: 'profiles.view' },
      async handler(ctx) {
        const p = await visibleProfile(ctx);
        const b = p.builtin;
        return {
          json: {
            id: p.id,
            username: p.username,
            displayName: p.displayName,
            href: link(ctx, 'profiles.view', { username: p.username }),
            avatar: avatarUrl(ctx, { id: p.id, photo_key: p.photoKey }, 400),
            memberSince: p.createdAt,
            suspended: !p.active,
            builtin: b && {
              headline: b.headline,
              department: b.department,
              location: b.location,
              languages: b.languages,
              skills: b.skills,
              about: b.about,
            },
            fields: p.extra.map(({ field, values }) => ({ key: field.key, type: field.type, visibility: field.visibility, values })),
          },
        };
      },
    },
  ];
}
