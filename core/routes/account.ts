/**
 * The member's own account: language, password, email address, sessions and API tokens.
 * Changing the password and signing out everywhere revoke every API token of the member.
 */
import { HttpError } from '../errors';
import { field } from '../http/body';
import { LOCALES, isLocale } from '../i18n/i18n';
import type { RouteDef } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { formNonce, isTokenScope, TOKEN_NAME_MAX, TOKEN_SCOPES, type TokenScope } from '../auth/api-tokens';
import { isValidEmail, normaliseEmail } from '../auth/users';
import { signIn, signOut } from '../http/session';
import { link, t } from '../http/request-helpers';
import { networkUrl } from '../network-url';
import { deviceName } from '../auth/user-agent';
import { isTimeZone, timeZones } from '../time-zones';

/** "Firefox on Windows", "Safari", "A browser on Android", or null for a session without a User-Agent. */
export function deviceLabel(ctx: RucheContext, userAgent: string | null): string | null {
  const { browser, system } = deviceName(userAgent);
  if (browser && system) return t(ctx, 'core.account.sessions.browserOn', { browser, system });
  if (system) return t(ctx, 'core.account.sessions.otherBrowserOn', { system });
  return browser;
}

const viewer = (ctx: RucheContext) => ctx.state.viewer!;

const currentPasswordOk = (ctx: RucheContext, password: string): Promise<boolean> => ctx.ruche.users.passwordMatches(viewer(ctx).id, password);

async function accountPage(ctx: RucheContext, extra: Record<string, unknown> = {}, status = 200) {
  const rt = ctx.ruche;
  const current = viewer(ctx).locale ?? ctx.state.locale;
  // Settings kept by plugins (blocked members...), in their order.
  const links = await rt.hooks.filter('account:links', [], { ctx, networkId: ctx.state.network.id, viewer: viewer(ctx), locale: ctx.state.locale });
  return {
    view: 'core/account/index',
    status,
    title: t(ctx, 'core.account.title'),
    data: {
      account: viewer(ctx),
      languages: LOCALES.map((code) => ({ code, label: rt.i18n.t(code, 'core.language.name'), selected: code === current })),
      links: [...links].sort((a, b) => (a.order ?? 50) - (b.order ?? 50)),
      timeZones: zoneChoices(typeof extra.timeZoneValue === 'string' ? extra.timeZoneValue : (viewer(ctx).timeZone ?? '')),
      // The address comes from the organisation's directory: changed there, not here.
      emailLocked: (await rt.externalAccounts.lockedFields(viewer(ctx).id)).has('email'),
      ...extra,
    },
  };
}

/** Every zone, the member's (or the one they just sent) selected. */
const zoneChoices = (selected: string) => timeZones().map((zone) => ({ zone, selected: zone === selected }));

async function tokensPage(ctx: RucheContext, extra: { values?: { name: string; scope: string } } & Record<string, unknown> = {}, status = 200) {
  const rt = ctx.ruche;
  // Read only unless the member chooses more: the least a script needs.
  const chosen = extra.values?.scope ?? 'read';
  return {
    view: 'core/account/tokens',
    status,
    title: rt.i18n.t(ctx.state.locale, 'core.account.tokens.title'),
    data: {
      tokens: (await rt.apiTokens.list(viewer(ctx).id)).map((tk) => ({
        ...tk,
        scopeName: t(ctx, `core.account.tokens.scopeNames.${tk.scope}`),
        revokeAction: link(ctx, 'core.account.tokens.revoke', { id: tk.id }),
      })),
      values: { name: '', scope: 'read' },
      formNonce: formNonce(),
      scopes: TOKEN_SCOPES.map((value) => ({ value, label: t(ctx, `core.account.tokens.scopes.${value}`), checked: value === chosen })),
      ...extra,
    },
  };
}

export const accountRoutes: RouteDef[] = [
  {
    name: 'core.account',
    outsiders: true,
    method: 'GET',
    path: '/account',
    capability: 'core.participate',
    handler: (ctx) => accountPage(ctx),
  },
  {
    name: 'core.account.password',
    outsiders: true,
    method: 'POST',
    path: '/account/password',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      const v = viewer(ctx);
      const password = field(ctx, 'newPassword');
      const errors: Record<string, string> = {};
      if (!(await currentPasswordOk(ctx, field(ctx, 'currentPassword')))) errors.currentPassword = t(ctx, 'core.account.wrongPassword');
      else if (password !== field(ctx, 'newPasswordConfirm')) errors.newPasswordConfirm = t(ctx, 'core.setup.error.passwordMismatch');
      else {
        const problem = await rt.users.setPassword(v.id, password, ctx.state.sessionId ?? undefined);
        if (problem) errors.newPassword = t(ctx, problem);
      }
      if (Object.keys(errors).length) return accountPage(ctx, { passwordErrors: errors }, 422);
      await signIn(ctx, v.id); // a new session id after a credential change
      return { redirect: link(ctx, 'core.account'), flash: 'core.account.passwordChanged' };
    },
  },
  {
    name: 'core.account.email',
    outsiders: true,
    method: 'POST',
    path: '/account/email',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      if ((await rt.externalAccounts.lockedFields(viewer(ctx).id)).has('email')) throw new HttpError(403, 'core.sso.locked');
      const email = normaliseEmail(field(ctx, 'email'));
      const errors: Record<string, string> = {};
      if (!(await currentPasswordOk(ctx, field(ctx, 'emailPassword')))) errors.emailPassword = t(ctx, 'core.account.wrongPassword');
      else if (!isValidEmail(email)) errors.email = t(ctx, 'core.user.error.emailFormat');
      else if (await rt.users.emailTaken(email)) errors.email = t(ctx, 'core.user.error.emailTaken');
      if (Object.keys(errors).length) return accountPage(ctx, { emailErrors: errors, emailValue: field(ctx, 'email') }, 422);
      const token = await rt.links.issue('change-email', viewer(ctx).id, { email });
      const home = networkUrl(rt.config.siteUrl, ctx.state.network);
      await rt.mailer.send({
        to: email,
        locale: ctx.state.locale,
        template: 'core/change-email',
        siteName: ctx.state.network.name,
        siteUrl: home,
        theme: ctx.state.network.theme,
        data: { name: viewer(ctx).displayName, link: `${home}/account/email/confirm?token=${token}` },
      });
      return { redirect: link(ctx, 'core.account'), flash: { type: 'info', key: 'core.account.emailSent', params: { email } } };
    },
  },
  {
    name: 'core.account.email.confirm',
    outsiders: true,
    method: 'GET',
    path: '/account/email/confirm',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      const check = await rt.links.check('change-email', ctx.query.token);
      if (!check.ok || check.link.userId !== viewer(ctx).id)
        throw new HttpError(check.ok ? 404 : check.reason === 'invalid' ? 400 : 410, `core.account.emailLink.${check.ok ? 'invalid' : check.reason}`);
      const email = String(check.link.data.email);
      if (
        await rt
          .db('users')
          .where({ email_lower: email })
          .whereNot({ id: viewer(ctx).id })
          .first('id')
      )
        throw new HttpError(409, 'core.user.error.emailTaken');
      await rt.links.consume('change-email', ctx.query.token);
      await rt
        .db('users')
        .where({ id: viewer(ctx).id })
        .update({ email, email_lower: email, email_verified_at: Date.now(), updated_at: Date.now() });
      return { redirect: link(ctx, 'core.account'), flash: { key: 'core.account.emailChanged', params: { email } } };
    },
  },
  {
    name: 'core.account.sessions',
    outsiders: true,
    method: 'GET',
    path: '/account/sessions',
    capability: 'core.participate',
    async handler(ctx) {
      const sessions = await ctx.ruche.sessions.list(viewer(ctx).id);
      return {
        view: 'core/account/sessions',
        title: t(ctx, 'core.account.sessions.title'),
        data: { sessions: sessions.map((s) => ({ ...s, device: deviceLabel(ctx, s.userAgent), current: s.id === ctx.state.sessionId })) },
      };
    },
  },
  {
    name: 'core.account.sessions.end',
    outsiders: true,
    method: 'POST',
    path: '/account/sessions/:id/end',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      if (!(await rt.sessions.destroyOwn(viewer(ctx).id, ctx.params.id))) throw new HttpError(404);
      if (ctx.params.id === ctx.state.sessionId) return { redirect: `${ctx.state.basePath}/login` };
      return { redirect: link(ctx, 'core.account.sessions'), flash: 'core.account.sessions.ended' };
    },
  },
  {
    name: 'core.account.sessions.everywhere',
    outsiders: true,
    method: 'POST',
    path: '/account/sessions/everywhere',
    capability: 'core.participate',
    async handler(ctx) {
      await ctx.ruche.users.signOutEverywhere(viewer(ctx).id);
      await signOut(ctx);
      return { redirect: `${ctx.state.basePath}/login`, flash: 'core.account.sessions.everywhereDone' };
    },
  },
  {
    name: 'core.account.language',
    outsiders: true,
    method: 'POST',
    path: '/account/language',
    capability: 'core.participate',
    async handler(ctx) {
      const locale = field(ctx, 'locale');
      if (!isLocale(locale)) throw new HttpError(400, 'core.language.unknown');
      await ctx.ruche.users.setLocale(viewer(ctx).id, locale);
      return { redirect: link(ctx, 'core.account'), flash: 'core.account.languageSaved' };
    },
  },
  {
    name: 'core.account.timeZone',
    outsiders: true,
    method: 'POST',
    path: '/account/time-zone',
    capability: 'core.participate',
    async handler(ctx) {
      const zone = field(ctx, 'timeZone').trim();
      if (zone && !isTimeZone(zone))
        return accountPage(ctx, { timeZoneValue: zone, timeZoneError: t(ctx, 'core.account.timeZoneUnknown', { zone }) }, 422);
      await ctx.ruche.users.setTimeZone(viewer(ctx).id, zone || null);
      return { redirect: link(ctx, 'core.account'), flash: { type: 'success', key: 'core.account.timeZoneSaved', params: { zone: zone || 'UTC' } } };
    },
  },
  {
    name: 'core.account.tokens',
    outsiders: true,
    method: 'GET',
    path: '/account/tokens',
    capability: 'core.participate',
    handler: (ctx) => tokensPage(ctx),
  },
  {
    name: 'core.account.tokens.create',
    outsiders: true,
    method: 'POST',
    path: '/account/tokens',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      const name = field(ctx, 'name').trim();
      const scope = field(ctx, 'scope');
      const error = !name ? 'core.account.tokens.nameRequired' : name.length > TOKEN_NAME_MAX ? 'core.account.tokens.nameTooLong' : undefined;
      const errors = {
        ...(error ? { name: t(ctx, error, { max: TOKEN_NAME_MAX }) } : {}),
        ...(isTokenScope(scope) ? {} : { scope: t(ctx, 'core.account.tokens.scopeUnknown') }),
      };
      if (Object.keys(errors).length) return tokensPage(ctx, { values: { name, scope }, errors }, 422);
      // A double submit of the form answers the same page, without showing the secret again.
      const created = await rt.apiTokens.createOnce(viewer(ctx).id, name, scope as TokenScope, field(ctx, 'formNonce'));
      ctx.set('Cache-Control', 'no-store');
      return tokensPage(ctx, { created }, 201);
    },
  },
  {
    name: 'core.account.tokens.revoke',
    outsiders: true,
    method: 'POST',
    path: '/account/tokens/:id/revoke',
    capability: 'core.participate',
    async handler(ctx) {
      const id = Number(ctx.params.id);
      if (!Number.isInteger(id) || !(await ctx.ruche.apiTokens.revoke(viewer(ctx).id, id))) throw new HttpError(404);
      return { redirect: link(ctx, 'core.account.tokens'), flash: 'core.account.tokens.revoked' };
    },
  },
];
