/** The member's own account: language and personal API tokens. */
import { HttpError } from '../errors';
import { field } from '../http/body';
import { setFlash } from '../http/flash';
import { LOCALES, isLocale } from '../i18n/i18n';
import type { RouteDef } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { TOKEN_NAME_MAX } from '../auth/api-tokens';

const viewer = (ctx: RucheContext) => ctx.state.viewer!;

async function tokensPage(ctx: RucheContext, extra: Record<string, unknown> = {}, status = 200) {
  const rt = ctx.ruche;
  return {
    view: 'core/account/tokens',
    status,
    title: rt.i18n.t(ctx.state.locale, 'core.account.tokens.title'),
    data: { tokens: await rt.apiTokens.list(viewer(ctx).id), values: { name: '' }, ...extra },
  };
}

export const accountRoutes: RouteDef[] = [
  {
    name: 'core.account',
    method: 'GET',
    path: '/account',
    capability: 'core.participate',
    handler(ctx) {
      const rt = ctx.ruche;
      const current = viewer(ctx).locale ?? ctx.state.locale;
      return {
        view: 'core/account/index',
        title: rt.i18n.t(ctx.state.locale, 'core.account.title'),
        data: { account: viewer(ctx), languages: LOCALES.map((code) => ({ code, label: rt.i18n.t(code, 'core.language.name'), selected: code === current })) },
      };
    },
  },
  {
    name: 'core.account.language',
    method: 'POST',
    path: '/account/language',
    capability: 'core.participate',
    async handler(ctx) {
      const locale = field(ctx, 'locale');
      if (!isLocale(locale)) throw new HttpError(400, 'core.language.unknown');
      await ctx.ruche.users.setLocale(viewer(ctx).id, locale);
      setFlash(ctx, { type: 'success', key: 'core.account.languageSaved' });
      return { redirect: ctx.ruche.routes.build('core.account', {}, ctx.state.basePath) };
    },
  },
  {
    name: 'core.account.tokens',
    method: 'GET',
    path: '/account/tokens',
    capability: 'core.participate',
    handler: (ctx) => tokensPage(ctx),
  },
  {
    name: 'core.account.tokens.create',
    method: 'POST',
    path: '/account/tokens',
    capability: 'core.participate',
    async handler(ctx) {
      const rt = ctx.ruche;
      const name = field(ctx, 'name').trim();
      const error = !name ? 'core.account.tokens.nameRequired' : name.length > TOKEN_NAME_MAX ? 'core.account.tokens.nameTooLong' : undefined;
      if (error) return tokensPage(ctx, { values: { name }, errors: { name: rt.i18n.t(ctx.state.locale, error, { max: TOKEN_NAME_MAX }) } }, 422);
      const created = await rt.apiTokens.create(viewer(ctx).id, name);
      ctx.set('Cache-Control', 'no-store');
      return tokensPage(ctx, { created: { name, token: created.token } }, 201);
    },
  },
  {
    name: 'core.account.tokens.revoke',
    method: 'POST',
    path: '/account/tokens/:id/revoke',
    capability: 'core.participate',
    async handler(ctx) {
      const id = Number(ctx.params.id);
      if (!Number.isInteger(id) || !(await ctx.ruche.apiTokens.revoke(viewer(ctx).id, id))) throw new HttpError(404);
      setFlash(ctx, { type: 'success', key: 'core.account.tokens.revoked' });
      return { redirect: ctx.ruche.routes.build('core.account.tokens', {}, ctx.state.basePath) };
    },
  },
];
