/**
 * Who may change a network's settings from the admin pages (plugins and their settings,
 * appearance, registration, permissions): `admin.access` in the network's own scope. The
 * root network's settings are the installation's — every sub-network follows them — so
 * changing them takes root rights, even for someone granted `admin.access` at the root
 * (who still sees the pages). See core/access/scope.ts.
 */
import type { RucheContext } from '../../core';
import { ADMIN_ACCESS } from './constants';

export function requireSettingsRights(ctx: RucheContext): void {
  const { scopes } = ctx.ruche;
  scopes.requireAct(ctx.state.viewer, ADMIN_ACCESS, scopes.ofNetworkSettings(ctx.state.network.id));
}
