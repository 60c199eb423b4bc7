/** Names shared by the admin plugin's files. */
import type { RouteResult, RucheContext } from '../../core';

/** Renders an admin page in the admin layout (routes.ts `page`), handed to the route builders of the other files. */
export type AdminPage = (
  ctx: RucheContext,
  view: string,
  title: string,
  section: string,
  data: Record<string, unknown>,
  status?: number,
) => RouteResult;
export const ADMIN_PLUGIN_ID = 'admin';
/** The capability every admin page requires (default: network admins only). */
export const ADMIN_ACCESS = 'admin.access';
/** Languages a network can default to (the core's catalogs). */
export const NETWORK_LOCALES = ['en', 'fr'] as const;
export const SITE_NAME_MAX = 100;
