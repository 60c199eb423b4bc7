/** The usage charter: read and accept it; admins publish new versions. */
import { field } from '../http/body';
import type { RouteDef } from '../plugins/manifest';
import { safeNext } from '../http/params';
import { adminPage, t } from '../http/request-helpers';
import { auditAction } from '../audit/audit-request';

const CHARTER_MAX = 50_000;

export const charterRoutes: RouteDef[] = [
  {
    name: 'core.charter',
    method: 'GET',
    path: '/charter',
    capability: 'core.participate',
    async handler(ctx) {
      const network = ctx.state.network;
      const acceptedAt = network.charterVersion ? await ctx.ruche.charters.acceptedAt(ctx.state.viewer!.id, network) : null;
      return {
        view: 'core/charter',
        title: t(ctx, 'core.charter.title'),
        data: {
          charter: network.charter,
          version: network.charterVersion,
          acceptedAt,
          next: safeNext(ctx),
          canEdit: ctx.ruche.permissions.can(ctx.state.viewer, 'core.admin', network.id),
        },
      };
    },
  },
  {
    name: 'core.charter.accept',
    method: 'POST',
    path: '/charter/accept',
    capability: 'core.participate',
    async handler(ctx) {
      const network = ctx.state.network;
      // The version the member read: a charter changed meanwhile must be read again.
      if (Number(field(ctx, 'version')) !== network.charterVersion) {
        return {
          redirect: `${ctx.state.basePath}/charter?next=${encodeURIComponent(safeNext(ctx))}`,
          flash: { type: 'info', key: 'core.charter.changed' },
        };
      }
      await ctx.ruche.charters.accept(ctx.state.viewer!.id, network);
      return { redirect: safeNext(ctx) };
    },
  },
  {
    name: 'core.charter.edit',
    method: 'GET',
    path: '/charter/edit',
    capability: 'core.admin',
    handler: (ctx) =>
      adminPage(ctx, 'core/charter-edit', t(ctx, 'core.charter.editTitle'), 'core.charter.edit', {
        values: { charter: ctx.state.network.charter ?? '' },
      }),
  },
  {
    name: 'core.charter.save',
    method: 'POST',
    path: '/charter/edit',
    capability: 'core.admin',
    async handler(ctx) {
      // The root's charter is the installation's (root rights); a sub-network's is its own.
      ctx.ruche.scopes.requireAct(ctx.state.viewer, 'core.admin', ctx.ruche.scopes.ofNetworkSettings(ctx.state.network.id));
      const text = field(ctx, 'charter');
      if (text.length > CHARTER_MAX) {
        return adminPage(
          ctx,
          'core/charter-edit',
          t(ctx, 'core.charter.editTitle'),
          'core.charter.edit',
          { values: { charter: text }, errors: { charter: t(ctx, 'core.settings.tooLong', { max: CHARTER_MAX }) } },
          422,
        );
      }
      const previous = ctx.state.network.charterVersion;
      const version = await ctx.ruche.networks.setCharter(ctx.state.network.id, text);
      if (version !== previous)
        await auditAction(ctx, {
          action: version ? 'core.charter.publish' : 'core.charter.remove',
          objectType: 'charter',
          objectId: ctx.state.network.id,
          before: { version: previous },
          after: { version },
        });
      ctx.state.network = ctx.ruche.networks.get(ctx.state.network.id)!;
      return {
        redirect: `${ctx.state.basePath}/charter`,
        flash: { key: version ? 'core.charter.published' : 'core.charter.removed', params: { version } },
      };
    },
  },
];
