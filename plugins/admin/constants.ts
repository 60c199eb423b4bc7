/** Names shared by the admin plugin's files. */
import type { adminPage } from '../../core';

/** Renders a page of the admin area (routes.ts `page`: the core's `adminPage` for a view of this plugin), handed to the route builders of the other files. */
export type AdminPage = typeof adminPage;
export const ADMIN_PLUGIN_ID = 'admin';
/** The capability every admin page requires (default: network admins only). */
export const ADMIN_ACCESS = 'admin.access';
/** Languages a network can default to (the core's catalogs). */
export const NETWORK_LOCALES = ['en', 'fr'] as const;
export const SITE_NAME_MAX = 100;
