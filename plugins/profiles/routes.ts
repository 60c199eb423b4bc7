/**
 * Profile pages, the edit form with the photo, avatars, and the admin page for extra fields.
 * Handlers are thin: read the request, call ProfilesService, return a view or a redirect.
 */
import {
  avatarUrl,
  bodyOf,
  HttpError,
  adminPage,
  link,
  MAX_AVATAR_BYTES,
  notFound,
  requireMember,
  t,
  uploadedFiles,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  type Viewer,
} from '../../core';
import { PROFILE_SECTIONS_HOOK, type ProfileSection } from './hooks';
import { visibleProfile } from './visible-profile';
import { profilesApiRoutes } from './api-routes';
import { BUILTIN_VISIBILITY, VISIBILITY_LEVELS } from './api';
import {
  BUILTIN_FIELDS,
  DIRECTORY_FIELDS,
  FIELD_TYPES,
  fieldLabel,
  splitList,
  str,
  validUrl,
  type BuiltinField,
  type FieldRow,
  type Problems,
  type ProfileRow,
} from './fields';
import { ProfilesService } from './service';

export const PROFILES_VIEW = 'profiles.view';
const ADMIN_ACCESS = 'admin.access';

const service = (ctx: RucheContext): ProfilesService => ctx.ruche.container.resolve(ProfilesService);

function messages(ctx: RucheContext, problems: Problems): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(ctx, p.key, p.params)]));
}

function active(viewer: Viewer | null): Viewer | null {
  return viewer && viewer.status === 'active' ? viewer : null;
}

// --- profile page ---------------------------------------------------------------

async function profilePage(ctx: RucheContext): Promise<RouteResult> {
  const p = await visibleProfile(ctx);
  const { id } = p;
  const viewer = active(ctx.state.viewer);
  const extra = p.extra.map(({ field: f, values: vals }) => ({
    key: f.key,
    label: fieldLabel(f, ctx.state.locale),
    values: vals,
    isUrl: f.type === 'url' && vals.every(validUrl),
    isLong: f.type === 'longtext',
    visibility: t(ctx, `profiles.visibility.${f.visibility}`),
  }));
  let sections: ProfileSection[] = await ctx.ruche.hooks.filter(PROFILE_SECTIONS_HOOK, [], {
    ctx,
    networkId: ctx.state.network.id,
    viewer,
    locale: ctx.state.locale,
    profileUserId: id,
    profileUsername: p.username,
  });
  sections = [...sections].sort((a, b) => (a.order ?? 10) - (b.order ?? 10));
  return {
    view: 'profiles/profile',
    title: p.displayName,
    data: {
      person: { id, username: p.username, displayName: p.displayName, memberSince: p.createdAt, suspended: !p.active, isBot: p.isBot },
      avatar: avatarUrl(ctx, { id, photo_key: p.photoKey }, 400),
      builtin: p.builtin
        ? {
            headline: p.builtin.headline,
            department: p.builtin.department,
            location: p.builtin.location,
            languages: splitList(p.builtin.languages),
            skills: splitList(p.builtin.skills),
            aboutHtml: p.builtin.about ? ctx.ruche.markdown.render(p.builtin.about) : '',
          }
        : null,
      extra,
      sections: sections.filter((s) => s.place !== 'main'),
      mainSections: sections.filter((s) => s.place === 'main'),
      isOwner: p.isOwner,
    },
  };
}

// --- edit -------------------------------------------------------------------------

interface EditInput {
  builtin: Record<BuiltinField, string>;
  extra: Map<number, string[]>;
}

function editFieldViews(ctx: RucheContext, fields: FieldRow[], extra: Map<number, string[]>, errors: Record<string, string>) {
  return fields.map((f) => {
    const name = `f_${f.id}`;
    const vals = extra.get(f.id) ?? [];
    return {
      id: f.id,
      name,
      label: fieldLabel(f, ctx.state.locale),
      type: f.type,
      inputType: f.type === 'date' ? 'date' : f.type === 'url' ? 'url' : 'text',
      isText: f.type === 'text' || f.type === 'date' || f.type === 'url',
      isLong: f.type === 'longtext',
      isChoice: f.type === 'choice',
      isMulti: f.type === 'multichoice',
      value: vals[0] ?? '',
      options: f.choices.map((c, i) => ({ value: c, index: i, selected: vals.includes(c) })),
      required: f.required,
      visibility: t(ctx, `profiles.visibility.${f.visibility}`),
      error: errors[name],
    };
  });
}

/** The built-in fields of the member an identity provider keeps (locked for editing). */
const lockedFields = async (ctx: RucheContext, userId: number): Promise<Set<string>> => ctx.ruche.externalAccounts.lockedFields(userId);

async function editPage(ctx: RucheContext, input?: EditInput, problems: Problems = {}, status?: number, photoError?: string): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const svc = service(ctx);
  const profile = await svc.profile(viewer.id);
  const photoKey = viewer.photoKey ?? null; // read with the session
  const fields = await svc.fields();
  const builtin = input?.builtin ?? (Object.fromEntries(BUILTIN_FIELDS.map((k) => [k, profile[k] ?? ''])) as Record<BuiltinField, string>);
  const extra = input?.extra ?? (await svc.values(viewer.id));
  const errors = messages(ctx, problems);
  const locked = await lockedFields(ctx, viewer.id);
  return {
    view: 'profiles/edit',
    title: t(ctx, 'profiles.edit.title'),
    status,
    data: {
      values: builtin,
      errors,
      // Fields the organisation's directory keeps: shown read-only with where to change them.
      locked: Object.fromEntries(DIRECTORY_FIELDS.map((k) => [k, locked.has(k)])),
      lockedHint: Object.fromEntries(DIRECTORY_FIELDS.map((k) => [k, locked.has(k) ? t(ctx, 'core.sso.locked') : null])),
      formError: errors._form,
      hasErrors: Object.keys(errors).length > 0,
      fields: editFieldViews(ctx, fields, extra, errors),
      avatar: avatarUrl(ctx, { id: viewer.id, photo_key: photoKey }, 160),
      hasPhoto: !!photoKey,
      photoError,
      maxPhotoMb: MAX_AVATAR_BYTES / 1024 / 1024,
      profileUrl: link(ctx, 'profiles.view', { username: viewer.username }),
    },
  };
}

async function saveProfile(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const svc = service(ctx);
  const fields = await svc.fields();
  const { builtin, extra, problems, tampered } = svc.validateProfile(bodyOf(ctx), fields);
  const locked = await lockedFields(ctx, viewer.id);
  if (locked.size) {
    // What the directory keeps stays as it is, whatever was sent.
    const stored = await svc.profile(viewer.id);
    for (const key of DIRECTORY_FIELDS) {
      if (!locked.has(key)) continue;
      builtin[key] = stored[key] ?? '';
      delete problems[key];
    }
  }
  if (Object.keys(problems).length) {
    if (!problems._form) problems._form = { key: 'core.form.hasErrors' };
    return editPage(ctx, { builtin, extra }, problems, tampered ? 400 : 422);
  }
  await svc.saveProfile(viewer.id, builtin, extra);
  return { redirect: link(ctx, 'profiles.view', { username: viewer.username }), flash: 'profiles.edit.saved' };
}

async function uploadPhoto(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const { image, problem } = await ctx.ruche.avatars.read(
    uploadedFiles(ctx).find((f) => f.field === 'photo'),
    true,
  );
  if (!image) return editPage(ctx, undefined, {}, problem!.status, t(ctx, problem!.key, problem!.params));
  await service(ctx).setPhoto(viewer.id, image);
  return { redirect: link(ctx, 'profiles.edit'), flash: 'profiles.photo.saved' };
}

async function removePhoto(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  await service(ctx).setPhoto(viewer.id, null);
  return { redirect: link(ctx, 'profiles.edit'), flash: 'profiles.photo.removed' };
}

// --- admin: extra fields ----------------------------------------------------------
// Field definitions belong to no network: every member of every network fills them in. So
// their routes are installation-scoped (root rights, whichever network the request is for).

function fieldFormOptions(ctx: RucheContext, values: Record<string, unknown>) {
  return {
    typeOptions: FIELD_TYPES.map((v) => ({ value: v, label: t(ctx, `profiles.fields.types.${v}`), selected: values.type === v })),
    visibilityOptions: VISIBILITY_LEVELS.map((v) => ({ value: v, label: t(ctx, `profiles.visibility.${v}`), selected: values.visibility === v })),
  };
}

/** The built-in fields' labels in each language (an extra field may not repeat one). */
function builtinLabels(ctx: RucheContext): Record<'en' | 'fr', string[]> {
  const label = (lang: string) => BUILTIN_FIELDS.map((k) => ctx.ruche.i18n.t(lang, `profiles.fields.builtin.${k}`));
  return { en: label('en'), fr: label('fr') };
}

async function fieldsPage(ctx: RucheContext, input?: Record<string, unknown>, problems: Problems = {}, status?: number): Promise<RouteResult> {
  const fields = await service(ctx).fields();
  const values = input ?? {
    key: '',
    label_en: '',
    label_fr: '',
    type: 'text',
    choices: '',
    required: false,
    searchable: false,
    visibility: 'members',
  };
  const errors = messages(ctx, problems);
  return adminPage(
    ctx,
    'profiles/fields',
    t(ctx, 'profiles.fields.title'),
    'profiles.fields',
    {
      fields: fields.map((f, i) => ({
        id: f.id,
        key: f.key,
        label: fieldLabel(f, ctx.state.locale),
        type: t(ctx, `profiles.fields.types.${f.type}`),
        visibility: t(ctx, `profiles.visibility.${f.visibility}`),
        required: f.required,
        searchable: f.searchable,
        first: i === 0,
        last: i === fields.length - 1,
      })),
      builtin: BUILTIN_FIELDS.map((key) => ({ key, label: t(ctx, `profiles.fields.builtin.${key}`) })),
      builtinVisibility: t(ctx, `profiles.visibility.${BUILTIN_VISIBILITY}`),
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      ...fieldFormOptions(ctx, values),
    },
    status,
  );
}

async function fieldParam(ctx: RucheContext): Promise<FieldRow> {
  const raw = String(ctx.params?.id ?? '');
  const f = /^\d{1,9}$/.test(raw) ? await service(ctx).field(Number(raw)) : undefined;
  if (!f) throw notFound();
  return f;
}

async function fieldEditPage(
  ctx: RucheContext,
  f: FieldRow,
  input?: Record<string, unknown>,
  problems: Problems = {},
  status?: number,
): Promise<RouteResult> {
  const values = input ?? {
    key: f.key,
    label_en: f.label_en,
    label_fr: f.label_fr,
    type: f.type,
    choices: f.choices.join('\n'),
    required: f.required,
    searchable: f.searchable,
    visibility: f.visibility,
  };
  const errors = messages(ctx, problems);
  return adminPage(
    ctx,
    'profiles/field-edit',
    t(ctx, 'profiles.fields.editTitle', { label: fieldLabel(f, ctx.state.locale) }),
    'profiles.fields',
    {
      field: { id: f.id },
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      ...fieldFormOptions(ctx, values),
    },
    status,
  );
}

export const profileRoutes: RouteDef[] = [
  { name: 'profiles.view', method: 'GET', path: '/people/:username', capability: PROFILES_VIEW, handler: profilePage },
  ...profilesApiRoutes(PROFILES_VIEW),
  { name: 'profiles.edit', method: 'GET', path: '/profile/edit', capability: 'core.participate', handler: (ctx) => editPage(ctx) },
  { name: 'profiles.save', method: 'POST', path: '/profile/edit', capability: 'core.participate', handler: saveProfile },
  { name: 'profiles.photo', method: 'POST', path: '/profile/photo', capability: 'core.participate', handler: uploadPhoto },
  { name: 'profiles.photo.remove', method: 'POST', path: '/profile/photo/remove', capability: 'core.participate', handler: removePhoto },
  {
    name: 'profiles.fields',
    method: 'GET',
    path: '/admin/profile-fields',
    capability: ADMIN_ACCESS,
    scope: 'installation',
    handler: (ctx) => fieldsPage(ctx),
  },
  {
    name: 'profiles.fields.create',
    method: 'POST',
    path: '/admin/profile-fields',
    capability: ADMIN_ACCESS,
    scope: 'installation',
    async handler(ctx) {
      const { values, problems, row } = await service(ctx).validateField(bodyOf(ctx), undefined, builtinLabels(ctx));
      if (!row) return fieldsPage(ctx, values, problems, 422);
      await service(ctx).createField(row);
      const params = { label: fieldLabel({ ...row, id: 0, position: 0 }, ctx.state.locale) };
      return { redirect: link(ctx, 'profiles.fields'), flash: { key: 'profiles.fields.created', params } };
    },
  },
  {
    name: 'profiles.fields.edit',
    method: 'GET',
    path: '/admin/profile-fields/:id',
    capability: ADMIN_ACCESS,
    scope: 'installation',
    handler: async (ctx) => fieldEditPage(ctx, await fieldParam(ctx)),
  },
  {
    name: 'profiles.fields.update',
    method: 'POST',
    path: '/admin/profile-fields/:id',
    capability: ADMIN_ACCESS,
    scope: 'installation',
    async handler(ctx) {
      const f = await fieldParam(ctx);
      const { values, problems, row } = await service(ctx).validateField(bodyOf(ctx), f.id, builtinLabels(ctx));
      if (!row) return fieldEditPage(ctx, f, values, problems, 422);
      await service(ctx).updateField(f.id, row);
      const params = { label: fieldLabel({ ...row, id: f.id, position: 0 }, ctx.state.locale) };
      return { redirect: link(ctx, 'profiles.fields'), flash: { key: 'profiles.fields.updated', params } };
    },
  },
  {
    name: 'profiles.fields.move',
    method: 'POST',
    path: '/admin/profile-fields/:id/move',
    capability: ADMIN_ACCESS,
    scope: 'installation',
    async handler(ctx) {
      const f = await fieldParam(ctx);
      const direction = str(bodyOf(ctx).direction);
      if (direction !== 'up' && direction !== 'down') throw new HttpError(400);
      await service(ctx).moveField(f.id, direction);
      return { redirect: link(ctx, 'profiles.fields') };
    },
  },
  {
    name: 'profiles.fields.delete',
    method: 'POST',
    path: '/admin/profile-fields/:id/delete',
    capability: ADMIN_ACCESS,
    scope: 'installation',
    async handler(ctx) {
      const f = await fieldParam(ctx);
      await service(ctx).deleteField(f.id);
      return {
        redirect: link(ctx, 'profiles.fields'),
        flash: { key: 'profiles.fields.deleted', params: { label: fieldLabel(f, ctx.state.locale) } },
      };
    },
  },
];

export type { ProfileRow };
