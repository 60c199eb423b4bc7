/**
 * The create/edit form (one multipart form with the cover). A refused form is shown again
 * with the member's input, a localised message per field and a 400.
 */
import { HttpError, auditAction, field, link, t, uploadedFiles, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { groupHeader } from './api';
import { coverUrl, MAX_COVER_BYTES, saveCover } from './cover';
import { CREATE, USE, managedGroup, service } from './params';
import { CATEGORIES, MAX_DESCRIPTION, MAX_NAME, VISIBILITIES, type CleanGroup, type GroupInput, type GroupRow, type Problems } from './service';

function readInput(ctx: RucheContext): GroupInput & { removeCover: boolean } {
  return {
    name: field(ctx, 'name'),
    description: field(ctx, 'description'),
    category: field(ctx, 'category'),
    visibility: field(ctx, 'visibility'),
    removeCover: field(ctx, 'remove_cover') === '1',
  };
}

/** The form as sent: its input, the validated group (undefined when refused), the problems and the stored cover's key. */
async function readForm(ctx: RucheContext): Promise<{
  input: GroupInput & { removeCover: boolean };
  clean?: CleanGroup;
  problems: Problems;
  cover: { key?: string };
}> {
  const input = readInput(ctx);
  const { clean, problems } = service(ctx).validate(input);
  const cover = clean
    ? await saveCover(
        ctx.ruche.storage,
        uploadedFiles(ctx).find((f) => f.field === 'cover'),
      )
    : {};
  if (cover.error) problems.cover = cover.error;
  return { input, clean: cover.error ? undefined : clean, problems, cover };
}

/** A group's own values, as the edit form starts with them. */
const inputOf = (g: GroupRow): GroupInput => ({ name: g.name, description: g.description, category: g.category, visibility: g.visibility });

interface ManageInput {
  transfer?: { value: string; error: string };
  confirm?: { value: string; error: string };
}

async function formPage(
  ctx: RucheContext,
  input: GroupInput & { removeCover?: boolean },
  problems: Problems = {},
  g?: GroupRow,
  manageInput: ManageInput = {},
): Promise<RouteResult> {
  const errors = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(ctx, p.key, p.params)]));
  const title = g ? t(ctx, 'groups.form.editTitle', { name: g.name }) : t(ctx, 'groups.form.newTitle');
  const manage = g
    ? {
        header: await groupHeader(ctx, (await managedGroup(ctx)).info, 'edit'),
        archived: g.archived_at !== null,
        archiveAction: link(ctx, g.archived_at ? 'groups.unarchive' : 'groups.archive', { id: g.id }),
        deleteAction: link(ctx, 'groups.delete', { id: g.id }),
        canTransfer: service(ctx).canTransfer(ctx.state.viewer, g),
        transferAction: link(ctx, 'groups.transfer', { id: g.id }),
        transferValue: manageInput.transfer?.value ?? '',
        transferError: manageInput.transfer?.error ?? null,
        confirmValue: manageInput.confirm?.value ?? '',
        confirmError: manageInput.confirm?.error ?? null,
      }
    : null;
  return {
    view: 'groups/edit',
    title,
    status: Object.keys(problems).length || manageInput.transfer || manageInput.confirm ? 400 : undefined,
    data: {
      pageTitle: title,
      groupName: g?.name ?? '',
      action: g ? link(ctx, 'groups.update', { id: g.id }) : link(ctx, 'groups.create'),
      cancelHref: g ? link(ctx, 'groups.view', { id: g.id }) : link(ctx, 'groups.directory'),
      values: input,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      categories: CATEGORIES.map((c) => ({ value: c, label: t(ctx, `groups.category.${c}`), selected: c === input.category })),
      visibilities: VISIBILITIES.map((v) => ({
        value: v,
        id: `visibility-${v}`,
        label: t(ctx, `groups.visibility.${v}.label`),
        hint: t(ctx, `groups.visibility.${v}.hint`),
        checked: v === input.visibility,
      })),
      cover: g ? coverUrl(ctx, g.id, g.cover_key, 480) : null,
      maxCoverMb: MAX_COVER_BYTES / 1024 / 1024,
      maxName: MAX_NAME,
      maxDescription: MAX_DESCRIPTION,
      isEdit: !!g,
      manage,
      widening: g && g.visibility !== 'open' ? t(ctx, 'groups.form.wideningNote') : null,
    },
  };
}

export const formRoutes: RouteDef[] = [
  {
    name: 'groups.new',
    method: 'GET',
    path: '/groups/new',
    capability: CREATE,
    async handler(ctx) {
      return formPage(ctx, { name: '', description: '', category: 'social', visibility: 'open' });
    },
  },
  {
    name: 'groups.create',
    method: 'POST',
    path: '/groups',
    capability: CREATE,
    async handler(ctx) {
      const { input, clean, problems, cover } = await readForm(ctx);
      if (!clean) return formPage(ctx, input, problems);
      const id = await service(ctx).create(ctx.state.viewer!, ctx.state.network.id, clean, cover.key ?? null);
      return { redirect: link(ctx, 'groups.view', { id }), flash: 'groups.flash.created' };
    },
  },
  {
    name: 'groups.edit',
    method: 'GET',
    path: '/groups/:id/edit',
    capability: USE,
    async handler(ctx) {
      const { g } = await managedGroup(ctx);
      return formPage(ctx, inputOf(g), {}, g);
    },
  },
  {
    name: 'groups.update',
    method: 'POST',
    path: '/groups/:id/edit',
    capability: USE,
    async handler(ctx) {
      const { g } = await managedGroup(ctx);
      const { input, clean, problems, cover } = await readForm(ctx);
      if (!clean) return formPage(ctx, input, problems, g);
      await service(ctx).update(g, clean, cover.key ? { key: cover.key } : input.removeCover ? { key: null } : null);
      return { redirect: link(ctx, 'groups.view', { id: g.id }), flash: 'groups.flash.saved' };
    },
  },
  {
    name: 'groups.transfer',
    method: 'POST',
    path: '/groups/:id/transfer',
    capability: USE,
    async handler(ctx) {
      const { g } = await managedGroup(ctx);
      const value = field(ctx, 'user');
      const again = (key: string, params?: Record<string, unknown>) =>
        formPage(ctx, inputOf(g), {}, g, {
          transfer: { value, error: t(ctx, key, params) },
        });
      const user = await ctx.ruche.users.byUsername(value.trim().replace(/^@/, ''));
      if (!user) return again('groups.errors.unknownMember');
      try {
        await service(ctx).transfer(ctx.state.viewer!, g, Number(user.id));
      } catch (e) {
        if (e instanceof HttpError && e.status === 409) return again(e.messageKey, e.params);
        throw e;
      }
      await auditAction(ctx, {
        action: 'groups.transfer',
        networkId: Number(g.network_id),
        objectType: 'group',
        objectId: g.id,
        before: { owner: g.owner_id },
        after: { owner: Number(user.id), ownerName: user.display_name },
      });
      return { redirect: link(ctx, 'groups.members', { id: g.id }), flash: { key: 'groups.flash.transferred', params: { name: user.display_name } } };
    },
  },
  {
    name: 'groups.delete',
    method: 'POST',
    path: '/groups/:id/delete',
    capability: USE,
    async handler(ctx) {
      const { g } = await managedGroup(ctx);
      if (!service(ctx).canTransfer(ctx.state.viewer, g)) throw new HttpError(403, 'groups.errors.deleteOwnerOnly');
      const value = field(ctx, 'confirm');
      if (value.trim() !== g.name) {
        return formPage(ctx, { name: g.name, description: g.description, category: g.category, visibility: g.visibility }, {}, g, {
          confirm: { value, error: t(ctx, 'groups.errors.confirmDelete') },
        });
      }
      await service(ctx).remove(ctx.state.viewer!, g);
      await auditAction(ctx, {
        action: 'groups.delete',
        networkId: Number(g.network_id),
        objectType: 'group',
        objectId: g.id,
        before: { name: g.name, visibility: g.visibility },
      });
      return { redirect: link(ctx, 'groups.mine'), flash: { key: 'groups.flash.deleted', params: { name: g.name } } };
    },
  },
];
