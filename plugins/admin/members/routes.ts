/**
 * The members console (admin area): the network's members, searched, filtered and paged;
 * one member's page with their role, suspension, password-reset link and sessions. Every
 * route takes `admin.access` in the request's network and acts only on its members (any
 * other id answers 404). A role is the network's; the account itself (suspension, reset
 * link, sessions) reaches every network it belongs to, so acting on it takes the rights of
 * core `scopes.ofAccount`. Every action is written to the audit log.
 */
import {
  HttpError,
  ROLES,
  auditAction,
  deviceLabel,
  field,
  hrefWith,
  idParam,
  link,
  notFound,
  queryParam,
  t,
  zoneOr,
  type Role,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../../core';
import type {} from '../../profiles/hooks';
import { ADMIN_ACCESS, type AdminPage } from '../constants';
import { MemberActions } from './actions';
import { ACTIVITY_FILTERS, dayStart, MEMBER_STATUSES, MembersDirectory, parseFilters, type MemberDetail, type MemberFilterValues } from './directory';

const directory = (ctx: RucheContext) => new MembersDirectory(ctx.ruche.db);
const actions = (ctx: RucheContext) => new MemberActions(ctx.ruche);
const zone = (ctx: RucheContext): string => zoneOr(ctx.state.viewer?.timeZone);

const option = (ctx: RucheContext, prefix: string, values: readonly string[], selected: string) =>
  values.map((value) => ({ value, label: t(ctx, `${prefix}.${value}`), selected: value === selected }));

/** The member named by `:id` if they belong to the request's network, or a 404. */
async function memberParam(ctx: RucheContext): Promise<MemberDetail> {
  const member = await directory(ctx).member(ctx.state.network.id, idParam(ctx));
  if (!member) throw notFound();
  return member;
}

/** May the viewer act on the member's account itself (not only their role here)? */
function mayActOnAccount(ctx: RucheContext, member: MemberDetail): boolean {
  const { scopes } = ctx.ruche;
  return scopes.mayAct(ctx.state.viewer, ADMIN_ACCESS, scopes.ofAccount(member));
}

function requireAccountRights(ctx: RucheContext, member: MemberDetail): void {
  if (!mayActOnAccount(ctx, member)) throw new HttpError(403, 'admin.member.account.rootOnly');
}

interface MemberForms {
  role?: string;
  reason?: string;
  until?: string;
  errors?: Record<string, string>;
}

export function memberRoutes(page: AdminPage): RouteDef[] {
  async function listPage(ctx: RucheContext): Promise<RouteResult> {
    const values: MemberFilterValues = {
      q: queryParam(ctx, 'q'),
      role: queryParam(ctx, 'role'),
      status: queryParam(ctx, 'status'),
      joinedFrom: queryParam(ctx, 'joinedFrom'),
      joinedTo: queryParam(ctx, 'joinedTo'),
      active: queryParam(ctx, 'active'),
      field: queryParam(ctx, 'field'),
      value: queryParam(ctx, 'value').trim().slice(0, 200),
      after: queryParam(ctx, 'after'),
    };
    const { filters, errors } = parseFilters(values, zone(ctx));
    const { network, viewer, locale } = ctx.state;
    const fields = await ctx.ruche.hooks.filter('profiles:audienceFields', [], { networkId: network.id, viewer, locale });
    if (values.field && values.value) {
      const ids = await ctx.ruche.hooks.filter('profiles:membersWith', null, {
        networkId: network.id,
        viewer,
        field: values.field,
        value: values.value,
      });
      if (ids === null) errors.field = 'admin.members.error.field';
      else filters.userIds = ids;
    }
    const hasErrors = Object.keys(errors).length > 0;
    const result = hasErrors ? { rows: [] } : await directory(ctx).page(ctx.state.network.id, filters);
    const filtered = !!(values.q || values.role || values.status || values.joinedFrom || values.joinedTo || values.active || values.value);
    return page(
      ctx,
      'members',
      t(ctx, 'admin.members.title'),
      'admin.members',
      {
        values,
        errors: Object.fromEntries(Object.entries(errors).map(([k, key]) => [k, t(ctx, key)])),
        hasErrors,
        filtered,
        roles: option(ctx, 'admin.members.role', ROLES, values.role),
        statuses: option(ctx, 'admin.members.status', MEMBER_STATUSES, values.status),
        activity: option(ctx, 'admin.members.active', ACTIVITY_FILTERS, values.active),
        profileFields: fields.map((f) => ({ value: f.key, label: f.label, selected: f.key === values.field })),
        rows: result.rows.map((r) => ({
          ...r,
          href: link(ctx, 'admin.member', { id: r.id }),
          roleLabel: t(ctx, `admin.members.role.${r.role}`),
          statusLabel: t(ctx, `admin.members.status.${r.status}`),
        })),
        next: result.next ? hrefWith(ctx, { after: result.next }) : undefined,
        first: values.after ? hrefWith(ctx, { after: null }) : undefined,
      },
      hasErrors ? 422 : 200,
    );
  }

  async function memberPage(ctx: RucheContext, member: MemberDetail, forms: MemberForms = {}, status?: number): Promise<RouteResult> {
    const rt = ctx.ruche;
    const account = mayActOnAccount(ctx, member);
    const sessions = account ? await rt.sessions.list(member.id) : [];
    const others = member.networkIds.filter((id) => id !== ctx.state.network.id).map((id) => rt.networks.get(id)?.name ?? `#${id}`);
    const title = t(ctx, 'admin.member.title', { name: member.displayName });
    return page(
      ctx,
      'member',
      title,
      'admin.members',
      {
        member: {
          ...member,
          roleLabel: t(ctx, `admin.members.role.${member.role}`),
          statusLabel: t(ctx, `admin.members.status.${member.status}`),
          suspended: member.status === 'suspended',
        },
        self: member.id === ctx.state.viewer?.id,
        others: others.join(', '),
        account,
        roles: option(ctx, 'admin.members.role', ROLES, forms.role ?? member.role),
        values: { reason: forms.reason ?? '', until: forms.until ?? '' },
        errors: forms.errors ?? {},
        sessions: sessions.map((s) => ({ ...s, device: deviceLabel(ctx, s.userAgent) })),
        back: link(ctx, 'admin.members'),
      },
      status,
    );
  }

  const memberAction = (name: string, path: string, act: (ctx: RucheContext, member: MemberDetail) => Promise<RouteResult>): RouteDef => ({
    name,
    method: 'POST',
    path,
    capability: ADMIN_ACCESS,
    handler: async (ctx) => act(ctx, await memberParam(ctx)),
  });
  const toMember = (ctx: RucheContext, member: MemberDetail, flash: string | { key: string; params?: Record<string, unknown> }): RouteResult => ({
    redirect: link(ctx, 'admin.member', { id: member.id }),
    flash,
  });

  return [
    { name: 'admin.members', method: 'GET', path: '/admin/members', capability: ADMIN_ACCESS, handler: listPage },
    {
      name: 'admin.member',
      method: 'GET',
      path: '/admin/members/:id',
      capability: ADMIN_ACCESS,
      handler: async (ctx) => memberPage(ctx, await memberParam(ctx)),
    },
    memberAction('admin.member.role', '/admin/members/:id/role', async (ctx, member) => {
      const role = field(ctx, 'role');
      if (!(ROLES as readonly string[]).includes(role)) {
        return memberPage(ctx, member, { role, errors: { role: t(ctx, 'admin.member.role.error.unknown') } }, 422);
      }
      const outcome = await actions(ctx).setRole(ctx.state.network.id, member, role as Role, ctx.state.viewer!.id);
      if ('refused' in outcome) return memberPage(ctx, member, { role, errors: { role: t(ctx, 'admin.member.role.error.self') } }, 403);
      if ('change' in outcome) await auditAction(ctx, { action: 'core.user.role', objectType: 'user', objectId: member.id, ...outcome.change });
      return toMember(ctx, member, { key: 'admin.member.role.saved', params: { role: t(ctx, `admin.members.role.${role}`) } });
    }),
    memberAction('admin.member.suspend', '/admin/members/:id/suspend', async (ctx, member) => {
      requireAccountRights(ctx, member);
      const forms = { reason: field(ctx, 'reason'), until: field(ctx, 'until').trim() };
      const until = forms.until ? dayStart(forms.until, zone(ctx)) : null;
      if (until === undefined) return memberPage(ctx, member, { ...forms, errors: { until: t(ctx, 'admin.members.error.date') } }, 422);
      const outcome = await actions(ctx).suspend(member, forms.reason, until, ctx.state.viewer!.id);
      if ('errors' in outcome) {
        const errors = Object.fromEntries(Object.entries(outcome.errors).map(([k, e]) => [k, t(ctx, e.key, e.params)]));
        return memberPage(ctx, member, { ...forms, errors }, 422);
      }
      await auditAction(ctx, { action: 'core.user.suspend', networkId: null, objectType: 'user', objectId: member.id, ...outcome.change });
      return toMember(ctx, member, 'admin.member.suspend.done');
    }),
    memberAction('admin.member.reactivate', '/admin/members/:id/reactivate', async (ctx, member) => {
      requireAccountRights(ctx, member);
      const change = await actions(ctx).reactivate(member);
      if (change) await auditAction(ctx, { action: 'core.user.unsuspend', networkId: null, objectType: 'user', objectId: member.id, ...change });
      return toMember(ctx, member, change ? 'admin.member.reactivate.done' : 'admin.member.reactivate.already');
    }),
    memberAction('admin.member.reset', '/admin/members/:id/reset', async (ctx, member) => {
      requireAccountRights(ctx, member);
      if (!(await actions(ctx).sendResetLink(ctx.state.network, member, ctx.state.locale))) {
        return memberPage(ctx, member, { errors: { reset: t(ctx, 'admin.member.reset.suspended') } }, 409);
      }
      await auditAction(ctx, { action: 'admin.member.resetLink', networkId: null, objectType: 'user', objectId: member.id });
      return toMember(ctx, member, { key: 'admin.member.reset.sent', params: { email: member.email } });
    }),
    memberAction('admin.member.sessions.end', '/admin/members/:id/sessions/end', async (ctx, member) => {
      requireAccountRights(ctx, member);
      const which = field(ctx, 'session');
      if (which !== 'all' && !/^[0-9a-f]{64}$/.test(which)) throw new HttpError(400);
      const ended = await actions(ctx).endSessions(member, which);
      if (ended) {
        await auditAction(ctx, {
          action: which === 'all' ? 'admin.member.sessionsEnd' : 'admin.member.sessionEnd',
          networkId: null,
          objectType: 'user',
          objectId: member.id,
          after: { sessions: ended },
        });
      }
      return toMember(ctx, member, { key: 'admin.member.sessions.ended', params: { count: ended } });
    }),
  ];
}
