/**
 * `ruche plugin list|enable|disable|uninstall|config`: plugins per network.
 * Refusals from the core (unknown plugin, dependency disabled, bad settings) are
 * translated to one English line by withRuntime.
 */
import type { Command } from 'commander';
import { PluginActionError, type NetworkInfo, type Runtime } from '../../core';
import type { SettingDef } from '../../core/plugins/settings';
import { interactive, networkLabel, prompts, resolveNetwork, runtimeAction, text, type Cli } from '../context';
import { CliError, printList, say, table } from '../output';

interface NetworkFlag {
  network?: string;
}

/**
 * The action of `plugin enable|disable <id> [--network <slug>]`: `turn` runs for a known plugin
 * not yet in the state asked for (`on`) in that network; otherwise one line says it already is.
 */
function switchAction(cli: Cli, on: boolean, turn: (rt: Runtime, id: string, network: NetworkInfo) => Promise<void>) {
  return runtimeAction(cli, async (rt, id: string, flags: NetworkFlag) => {
    requirePlugin(rt, id);
    const network = resolveNetwork(rt, flags.network);
    if (rt.pluginState.isEnabled(id, network.id) === on) say(`"${id}" is already ${on ? 'enabled' : 'disabled'} in ${networkLabel(rt, network)}.`);
    else await turn(rt, id, network);
  });
}

export function registerPlugin(program: Command, cli: Cli): void {
  const plugin = program.command('plugin').description('list, enable, disable, configure and uninstall plugins');

  plugin
    .command('list')
    .description('list installed plugins and whether they are enabled in the root network')
    .option('--json', 'print JSON instead of a table')
    .action(runtimeAction(cli, (rt, flags: { json?: boolean }) => list(rt, !!flags.json)));

  plugin
    .command('enable <id>')
    .description("enable a plugin (runs its migrations); a sub-network's plugin must be enabled at the root first")
    .option('--network <slug>', 'a sub-network instead of the root network')
    .action(
      switchAction(cli, true, async (rt, id, network) => {
        const pending = await rt.migrator.pending(rt.plugins.owners([id]));
        await rt.pluginState.enable(id, network.id);
        say(`Enabled "${id}" in ${networkLabel(rt, network)}.`);
        for (const p of pending) if (p.owner === id) say(`  applied migrations: ${p.names.join(', ')}`);
      }),
    );

  plugin
    .command('disable <id>')
    .description('disable a plugin (its data is kept)')
    .option('--network <slug>', 'a sub-network instead of the root network')
    .action(
      switchAction(cli, false, async (rt, id, network) => {
        await rt.pluginState.disable(id, network.id);
        say(`Disabled "${id}" in ${networkLabel(rt, network)}; its data is kept.`);
      }),
    );

  plugin
    .command('uninstall <id>')
    .description("delete a plugin's data: run its down migrations and forget its state everywhere")
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      runtimeAction(cli, async (rt, id: string, flags: { yes?: boolean }) => {
        const p = requirePlugin(rt, id);
        if (!flags.yes) {
          if (!interactive()) throw new CliError(`uninstalling "${id}" deletes its data in every network; run again with --yes to confirm`);
          const { confirm } = await prompts();
          if (!(await confirm({ message: `Delete every piece of data of "${id}" in every network? This cannot be undone.`, default: false }))) {
            say('Nothing was changed.');
            return;
          }
        }
        const reverted = await rt.pluginState.uninstall(id);
        say(`Uninstalled "${id}": its data is deleted${reverted.length ? ` (reverted ${reverted.join(', ')})` : ''}.`);
        say(`Its files are still in ${p.dir}; remove them to stop Ruche from loading it.`);
      }),
    );

  plugin
    .command('config <id> [pairs...]')
    .description('show the settings of a plugin, or change them with key=value pairs')
    .option('--network <slug>', 'a sub-network instead of the root network')
    .action(
      runtimeAction(cli, async (rt, id: string, pairs: string[], flags: NetworkFlag) => {
        const input = parsePairs(pairs);
        requirePlugin(rt, id);
        const network = resolveNetwork(rt, flags.network);
        if (Object.keys(input).length) {
          await rt.pluginState.configure(id, input, network.id);
          say(`Saved the settings of "${id}" in ${networkLabel(rt, network)}:`);
        }
        showSettings(rt, id, network.id);
      }),
    );
}

function requirePlugin(rt: Runtime, id: string) {
  const p = rt.plugins.get(id);
  if (!p) throw new PluginActionError('core.plugins.error.unknown', { plugin: id });
  return p;
}

function parsePairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`malformed setting "${pair}": use key=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return out;
}

function list(rt: Runtime, json: boolean): void {
  const plugins = rt.plugins.list().map((p) => ({
    id: p.manifest.id,
    version: p.manifest.version,
    name: text(rt, p.manifest.name),
    enabled: rt.pluginState.isEnabled(p.manifest.id),
    source: p.source,
    description: text(rt, p.manifest.description),
    dependsOn: p.manifest.dependsOn ?? [],
  }));
  printList(plugins, json, 'No plugins installed.', ['ID', 'VERSION', 'ENABLED', 'SOURCE', 'DESCRIPTION'], (p) => [
    p.id,
    p.version,
    p.enabled ? 'yes' : 'no',
    p.source,
    p.description,
  ]);
}

function describeDef(def: SettingDef): string {
  switch (def.type) {
    case 'number':
      return `number${def.integer ? ', whole' : ''}${def.min !== undefined ? `, min ${def.min}` : ''}${def.max !== undefined ? `, max ${def.max}` : ''}`;
    case 'choice':
      return `one of: ${def.choices.join(', ')}`;
    case 'string':
    case 'text':
      return `${def.type}${def.maxLength !== undefined ? `, at most ${def.maxLength} characters` : ''}`;
    default:
      return 'true or false';
  }
}

function showSettings(rt: Runtime, id: string, networkId: number): void {
  const schema = rt.plugins.get(id)!.manifest.settings ?? {};
  const values = rt.pluginState.settings(id, networkId);
  const keys = Object.keys(schema);
  if (!keys.length) {
    say(`"${id}" has no settings.`);
    return;
  }
  say(
    table(
      ['KEY', 'VALUE', 'DEFAULT', 'TYPE', 'LABEL'],
      keys.map((k) => [k, JSON.stringify(values[k]), JSON.stringify(schema[k].default), describeDef(schema[k]), text(rt, schema[k].label)]),
    ),
  );
}
