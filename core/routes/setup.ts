/** The first-run page: create the first admin and name the site, reached by the console link. */
import { HttpError } from '../errors';
import { field } from '../http/body';
import { signIn } from '../http/session';
import { LOCALES } from '../i18n/i18n';
import type { RouteDef } from '../plugins/manifest';
import type { RucheContext } from '../http/context';
import { translateErrors } from './forms';

async function requireSetup(ctx: RucheContext, token: unknown): Promise<void> {
  if (!(await ctx.ruche.setup.needsSetup())) throw new HttpError(404);
  if (!(await ctx.ruche.setup.checkToken(token))) throw new HttpError(403, 'core.setup.error.badLink');
}

function formData(ctx: RucheContext, token: string, values: Record<string, string>, errors: Record<string, string> = {}) {
  return {
    token,
    values,
    errors,
    hasErrors: Object.keys(errors).length > 0,
    locales: LOCALES.map((code) => ({
      code,
      label: ctx.ruche.i18n.t(code, 'core.language.name'),
      selected: code === (values.locale || ctx.state.locale),
    })),
  };
}

export const setupRoutes: RouteDef[] = [
  {
    name: 'core.setup',
    outsiders: true,
    method: 'GET',
    path: '/setup',
    public: true,
    async handler(ctx) {
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
      await requireSetup(ctx, token);
      return {
        view: 'core/setup',
        title: ctx.ruche.i18n.t(ctx.state.locale, 'core.setup.title'),
        data: formData(ctx, token, { siteName: ctx.state.network.name, locale: ctx.state.locale }),
      };
    },
  },
  {
    name: 'core.setup.submit',
    outsiders: true,
    method: 'POST',
    path: '/setup',
    public: true,
    async handler(ctx) {
      const token = field(ctx, 'token');
      await requireSetup(ctx, token);
      const values = Object.fromEntries(['siteName', 'locale', 'username', 'email', 'displayName'].map((k) => [k, field(ctx, k)]));
      const result = await ctx.ruche.setup.complete({
        siteName: values.siteName,
        locale: values.locale,
        username: values.username,
        email: values.email,
        displayName: values.displayName,
        password: field(ctx, 'password'),
        passwordConfirm: field(ctx, 'passwordConfirm'),
      });
      if ('errors' in result) {
        return {
          view: 'core/setup',
          status: 422,
          title: ctx.ruche.i18n.t(ctx.state.locale, 'core.setup.title'),
          data: formData(ctx, token, values, translateErrors(ctx, result.errors)),
        };
      }
      await signIn(ctx, result.userId);
      ctx.state.locale = values.locale;
      return { redirect: `${ctx.state.basePath}/`, flash: { key: 'core.setup.done', params: { site: values.siteName.trim() } } };
    },
  },
];
