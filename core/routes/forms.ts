/** Translated field errors for form handlers (safe redirects: safeNext in core/http/params.ts). */
import type { FieldErrors } from '../auth/users';
import type { RucheContext } from '../http/context';

/** Field errors translated for the request's language, ready for templates. */
export function translateErrors(ctx: RucheContext, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, ctx.ruche.i18n.t(ctx.state.locale, e.key, e.params)]));
}
