/**
 * The guard of a closed list of words (`as const`): whether a value from a form, a query, a
 * setting or a row is one of them, typed as such.
 *
 *   export const LOCALES = ['en', 'fr'] as const;
 *   export const isLocale = oneOf(LOCALES);
 */
export const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);
