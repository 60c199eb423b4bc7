/**
 * Who may change a network's settings from the admin pages (plugins and their settings,
 * appearance, registration, permissions): `admin.access` in the network's own scope. The
 * root network's settings are the installation's — every sub-network follows them — so
 * changing them takes root rights, even for someone granted `admin.access` at the root
 * (who still sees the pages). See core/access/scope.ts.
 */
import type { PluginManifest, RucheContext } from '../../core';
import { ADMIN_ACCESS } from './constants';

export function requireSettingsRights(ctx: RucheContext): void {
  const { scopes } = ctx.ruche;
  scopes.requireAct(ctx.state.viewer, ADMIN_ACCESS, scopes.ofNetworkSettings(ctx.state.network.id));
}

/**
 * Reading or changing one plugin's settings: as above, or installation rights in every network
 * for a plugin whose manifest says `settingsRights: 'installation'` (its settings page is not
 * even shown to others: it holds secrets).
 */
export function requirePluginSettingsRights(ctx: RucheContext, manifest: PluginManifest): void {
  const { scopes } = ctx.ruche;
  scopes.requireAct(ctx.state.viewer, ADMIN_ACCESS, scopes.ofPluginSettings(ctx.state.network.id, manifest));
}

/**
 * Whether the viewer may read a plugin's settings page here: any admin of the network may read
 * its settings (the root's included, read-only without root rights), but only those with
 * installation rights an installation plugin's.
 */
export function mayReadPluginSettings(ctx: RucheContext, manifest: PluginManifest): boolean {
  if (manifest.settingsRights !== 'installation') return true;
  const { scopes } = ctx.ruche;
  return scopes.mayAct(ctx.state.viewer, ADMIN_ACCESS, scopes.ofPluginSettings(ctx.state.network.id, manifest));
}
