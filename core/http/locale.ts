/** Picks the request's language: the member's choice, a guest's cookie, Accept-Language, the network default. */
import type Koa from 'koa';
import { isLocale, type I18n } from '../i18n/i18n';

export const LOCALE_COOKIE = 'ruche_locale';

export function localeResolution(i18n: I18n): Koa.Middleware {
  return async (ctx, next) => {
    const cookie = ctx.cookies.get(LOCALE_COOKIE);
    const candidates = [ctx.state.viewer?.locale, cookie, i18n.fromAcceptLanguage(ctx.get('accept-language')), ctx.state.network?.locale];
    ctx.state.locale = candidates.find(isLocale) ?? 'en';
    await next();
  };
}
