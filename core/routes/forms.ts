/** Small helpers shared by form handlers: translated field errors and safe redirects. */
import type { FieldErrors } from '../auth/users';
import type { RucheContext } from '../http/context';

/** Field errors translated for the request's language, ready for templates. */
export function translateErrors(ctx: RucheContext, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, ctx.ruche.i18n.t(ctx.state.locale, e.key, e.params)]));
}

/** A local path to go back to after sign-in; anything else becomes the network home. */
export function safeNext(ctx: RucheContext, next: unknown): string {
  const home = `${ctx.state.basePath}/`;
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return home;
  return next.length > 500 ? home : next;
}
