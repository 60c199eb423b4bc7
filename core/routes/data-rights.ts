/**
 * A member's data rights (core/members/): "Download my data" (an archive built by a job,
 * downloadable by that member alone, signed in, for 48 hours) and "Delete my account" (a request
 * with a 14-day grace period that signing in cancels); an admin deleting a member's account
 * the same way, written to the audit log.
 */
import { HttpError } from '../errors';
import { field } from '../http/body';
import type { RouteDef } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { signOut } from '../http/session';
import { adminPage, link, t, titledPage } from '../http/request-helpers';
import { auditAction } from '../audit/audit-request';
import { serveStored } from '../storage/serve';
import { ERASURE_MODES, isErasureMode, type ErasureMode } from '../members/contract';
import { currentExport, downloadableExport, requestExport } from '../members/export';
import { pendingDeletion, requestDeletion } from '../members/deletion';

const viewer = (ctx: RucheContext) => ctx.state.viewer!;

/** A date as the page's language writes it, in the member's zone (UTC without one). */
const longDate = (ctx: RucheContext, at: number): string =>
  new Intl.DateTimeFormat(ctx.state.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: viewer(ctx).timeZone ?? 'UTC' }).format(at);

/** The choice of what becomes of the content, `selected` checked, in the words of `prefix` (the member's own, or an admin's). */
const modeChoices = (ctx: RucheContext, selected: string, prefix: 'core.deletion' | 'core.deleteMember') => ({
  label: t(ctx, `${prefix}.modeLabel`),
  options: ERASURE_MODES.map((mode) => ({
    value: mode,
    label: t(ctx, `${prefix}.mode.${mode}`),
    hint: t(ctx, `${prefix}.mode.${mode}Hint`),
    selected: mode === selected,
  })),
});

async function dataPage(ctx: RucheContext) {
  const current = await currentExport(ctx.ruche, viewer(ctx).id);
  return titledPage(ctx, 'core/account/data', 'core.dataExport.title', {
    current: current && {
      ready: current.status === 'ready',
      href: link(ctx, 'core.account.data.download', { id: current.id }),
      size:
        current.size === null
          ? null
          : new Intl.NumberFormat(ctx.state.locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(
              Math.max(1, current.size / 1024),
            ),
      expires: current.expiresAt === null ? null : longDate(ctx, current.expiresAt),
    },
  });
}

function deletePage(ctx: RucheContext, extra: { mode?: string; errors?: Record<string, string> } = {}, status?: number) {
  return {
    ...titledPage(ctx, 'core/account/delete', 'core.deletion.title', {
      modes: modeChoices(ctx, extra.mode ?? 'anonymise', 'core.deletion'),
      errors: extra.errors ?? {},
    }),
    status,
  };
}

/** The admin's page: who, what becomes of their content; `values` what was typed. */
function adminDeletePage(
  ctx: RucheContext,
  values: { username?: string; mode?: string; confirm?: boolean } = {},
  errors: Record<string, string> = {},
  status?: number,
) {
  return adminPage(
    ctx,
    'core/admin-delete-member',
    t(ctx, 'core.deleteMember.title'),
    'core.deleteMember',
    { values, errors, modes: modeChoices(ctx, values.mode ?? 'anonymise', 'core.deleteMember') },
    status,
  );
}

/**
 * The member named `username` an admin of this network may delete: not themselves, not a
 * root administrator; a member of this network and, below the root, of no network but this one
 * (an account is the installation's: a sub-network's admin decides only for its own members).
 */
async function deletableMember(ctx: RucheContext, username: string): Promise<{ id: number; label: string } | string> {
  const rt = ctx.ruche;
  const user = username ? await rt.users.byUsername(username) : undefined;
  if (!user || user.status === 'former') return 'core.deleteMember.unknown';
  const networks = (await rt.db('memberships').where({ user_id: user.id }).pluck('network_id')).map(Number);
  const here = ctx.state.network.id;
  if (!networks.includes(here)) return 'core.deleteMember.unknown';
  if (user.id === viewer(ctx).id) return 'core.deleteMember.yourself';
  if ((await rt.db('users').where({ id: user.id }).first('is_root_admin'))?.is_root_admin) return 'core.deleteMember.rootAdmin';
  if (!rt.scopes.hasRootRights(viewer(ctx)) && networks.some((id) => id !== here)) return 'core.deleteMember.otherNetworks';
  return { id: user.id, label: `${user.display_name} (@${user.username})` };
}

export const dataRightsRoutes: RouteDef[] = [
  { name: 'core.account.data', outsiders: true, method: 'GET', path: '/account/data', capability: 'core.participate', handler: dataPage },
  {
    name: 'core.account.data.request',
    outsiders: true,
    method: 'POST',
    path: '/account/data',
    capability: 'core.participate',
    async handler(ctx) {
      const made = await requestExport(ctx.ruche, viewer(ctx).id, ctx.state.network.id);
      const key = made.status === 'ready' ? 'core.dataExport.alreadyReady' : 'core.dataExport.requested';
      return { redirect: link(ctx, 'core.account.data'), flash: { type: 'info', key, params: { email: viewer(ctx).email } } };
    },
  },
  {
    name: 'core.account.data.download',
    outsiders: true,
    method: 'GET',
    path: '/account/data/:id',
    capability: 'core.participate',
    async handler(ctx) {
      // Only the member whose archive it is, signed in: anyone else is told it does not exist.
      const found = await downloadableExport(ctx.ruche, Number(ctx.params.id), viewer(ctx).id);
      if (!found) throw new HttpError(404);
      if (found.expired) throw new HttpError(410, 'core.dataExport.expired');
      ctx.set('Cache-Control', 'private, no-store');
      await serveStored(ctx as never, ctx.ruche.storage, found.key, { attachment: true, filename: `${viewer(ctx).username}-data.zip` });
    },
  },
  {
    name: 'core.account.delete',
    outsiders: true,
    method: 'GET',
    path: '/account/delete',
    capability: 'core.participate',
    handler: (ctx) => deletePage(ctx),
  },
  {
    name: 'core.account.delete.request',
    outsiders: true,
    method: 'POST',
    path: '/account/delete',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      const mode = field(ctx, 'mode');
      const errors: Record<string, string> = {};
      if (!isErasureMode(mode)) errors.mode = t(ctx, 'core.deletion.chooseMode');
      if (!(await rt.users.passwordMatches(viewer(ctx).id, field(ctx, 'password')))) errors.password = t(ctx, 'core.account.wrongPassword');
      if (viewer(ctx).isRootAdmin && (await rt.users.countRootAdmins()) <= 1) errors.mode = t(ctx, 'core.deletion.lastRootAdmin');
      if (Object.keys(errors).length) return deletePage(ctx, { mode, errors }, 422);
      const done = await requestDeletion(rt, {
        userId: viewer(ctx).id,
        mode: mode as ErasureMode,
        networkId: ctx.state.network.id,
        requestedBy: viewer(ctx).id,
      });
      const date = longDate(ctx, done.dueAt);
      await signOut(ctx);
      return { redirect: `${ctx.state.basePath}/`, flash: { type: 'info', key: 'core.deletion.requested', params: { date } } };
    },
  },
  {
    name: 'core.deleteMember',
    method: 'GET',
    path: '/admin/delete-member',
    capability: 'core.admin',
    // From a member's page in the console: `?username=` fills the field.
    handler: (ctx) => adminDeletePage(ctx, { username: typeof ctx.query.username === 'string' ? ctx.query.username.slice(0, 64) : '' }),
  },
  {
    name: 'core.deleteMember.request',
    method: 'POST',
    path: '/admin/delete-member',
    capability: 'core.admin',
    async handler(ctx) {
      // What was typed comes back as typed; `@alice` names alice.
      const values = { username: field(ctx, 'username').trim(), mode: field(ctx, 'mode'), confirm: field(ctx, 'confirm') === 'yes' };
      const username = values.username.replace(/^@/, '');
      const errors: Record<string, string> = {};
      const member = await deletableMember(ctx, username);
      if (typeof member === 'string') errors.username = t(ctx, member, { username });
      if (!isErasureMode(values.mode)) errors.mode = t(ctx, 'core.deletion.chooseMode');
      if (!values.confirm) errors.confirm = t(ctx, 'core.deleteMember.confirmRequired');
      if (typeof member === 'string' || Object.keys(errors).length) return adminDeletePage(ctx, values, errors, 422);
      const mode = values.mode as ErasureMode;
      const already = await pendingDeletion(ctx.ruche.db, member.id);
      // The same request again (a double submit) answers as the first: same date, one audit entry.
      const done =
        already?.mode === mode
          ? already
          : await requestDeletion(ctx.ruche, { userId: member.id, mode, networkId: ctx.state.network.id, requestedBy: viewer(ctx).id });
      if (done !== already)
        await auditAction(ctx, {
          action: 'core.account.deletionRequested',
          objectType: 'user',
          objectId: member.id,
          after: { mode, dueAt: done.dueAt },
        });
      return {
        redirect: link(ctx, 'core.deleteMember'),
        flash: { type: 'success', key: 'core.deleteMember.requested', params: { name: member.label, date: longDate(ctx, done.dueAt) } },
      };
    },
  },
];
