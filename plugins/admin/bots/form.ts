/**
 * The bot form of the admin area (plugins/admin/bots/routes.ts): what the request sent, what
 * this network's admin may choose (its sub-networks they administer, its groups), and the
 * choices as the template lists them.
 */
import { BOT_SCOPES, bodyOf, field, isBotScope, t, valuesOf, type BotChoices, type BotInput, type BotRow, type RucheContext } from '../../../core';
import { ADMIN_ACCESS } from '../constants';

/** The ids a checkbox list sent (one value or several); anything else left out. */
function idsField(ctx: RucheContext, name: string): number[] {
  return valuesOf(bodyOf(ctx)[name])
    .map((v) => (typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : NaN))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
}

/** The form as sent (a scope not offered stays as sent, for validation to refuse). */
export function botInput(ctx: RucheContext): BotInput {
  const scope = field(ctx, 'scope');
  return {
    displayName: field(ctx, 'displayName'),
    username: field(ctx, 'username'),
    description: field(ctx, 'description').replace(/\r\n/g, '\n'),
    scope: (isBotScope(scope) ? scope : scope || 'network') as BotInput['scope'],
    networkIds: idsField(ctx, 'networkIds'),
    groupIds: idsField(ctx, 'groupIds'),
  };
}

/** The form of an existing bot. */
export const inputOf = (bot: BotRow): BotInput => ({
  displayName: bot.displayName,
  username: bot.username,
  description: bot.description,
  scope: bot.scope,
  networkIds: bot.networkIds.filter((id) => id !== bot.networkId),
  groupIds: bot.groupIds,
});

export const emptyInput = (): BotInput => ({ displayName: '', username: '', description: '', scope: 'network', networkIds: [], groupIds: [] });

interface Named {
  id: number;
  name: string;
}

/** What the viewer may give a bot of this network: the sub-networks they administer, the network's groups. */
export async function scopeChoices(ctx: RucheContext): Promise<{ networks: Named[]; groups: Named[]; ids: BotChoices }> {
  const rt = ctx.ruche;
  const { network, viewer } = ctx.state;
  const networks = rt.networks
    .all()
    .filter((n) => n.parentId === network.id && rt.permissions.can(viewer, ADMIN_ACCESS, n.id))
    .map((n) => ({ id: n.id, name: n.name }));
  const groups: Named[] = [];
  for (const c of await rt.containers.ofNetwork(network.id)) {
    const standing = await rt.containers.policy(viewer!, c.id, network.id);
    groups.push({ id: c.id, name: standing.name ?? `#${c.id}` });
  }
  groups.sort((a, b) => a.name.localeCompare(b.name));
  return { networks, groups, ids: { networkIds: networks.map((n) => n.id), groupIds: groups.map((g) => g.id) } };
}

/** The form's data for the template: values, the scope options and the lists with what is checked. */
export async function formData(ctx: RucheContext, input: BotInput) {
  const choices = await scopeChoices(ctx);
  return {
    values: input,
    scopes: BOT_SCOPES.filter((s) => s !== 'subnetworks' || choices.networks.length)
      .filter((s) => s !== 'groups' || choices.groups.length)
      .map((value) => ({
        value,
        label: t(ctx, `admin.bots.scope.${value}`),
        hint: t(ctx, `admin.bots.scope.${value}Hint`),
        checked: value === input.scope,
      })),
    networks: choices.networks.map((n) => ({ ...n, checked: input.networkIds.includes(n.id) })),
    groups: choices.groups.map((g) => ({ ...g, checked: input.groupIds.includes(g.id) })),
    choices: choices.ids,
  };
}

/** Names of what a bot's scope reaches, for its list row and its audit entries. */
export function scopeSummary(bot: Pick<BotRow, 'scope' | 'networkIds' | 'groupIds'>): Record<string, unknown> {
  return { scope: bot.scope, networkIds: bot.networkIds, groupIds: bot.groupIds };
}
