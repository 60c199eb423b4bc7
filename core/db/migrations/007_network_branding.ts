import { addColumns } from '../migration';

/** Per-network branding (core/branding.ts): primary and accent colours, and the hash of the stored logo. */
export const networkBranding = addColumns('007_network_branding', 'networks', {
  brand_primary: (t, c) => t.string(c, 7).nullable(),
  brand_accent: (t, c) => t.string(c, 7).nullable(),
  brand_logo: (t, c) => t.string(c, 64).nullable(),
});
