/** `ruche theme list|use`: the installed themes and the one each network uses. */
import type { Command } from 'commander';
import { networkLabel, resolveNetwork, runtimeAction, type Cli } from '../context';
import { CliError, say, table } from '../output';

export function registerTheme(program: Command, cli: Cli): void {
  const theme = program.command('theme').description('list themes and choose the active one');

  theme
    .command('list')
    .description('list installed themes; * marks the one the network uses')
    .option('--network <slug>', 'mark the theme of a sub-network instead of the root network')
    .action(
      runtimeAction(cli, (rt, flags: { network?: string }) => {
        const active = resolveNetwork(rt, flags.network).theme;
        const rows = [...rt.views.themes.values()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((t) => [t.name === active ? '*' : '', t.name, t.label, t.parent ?? '-', t.description]);
        say(table(['', 'NAME', 'LABEL', 'PARENT', 'DESCRIPTION'], rows));
      }),
    );

  theme
    .command('use <name>')
    .description('make a theme the active one')
    .option('--network <slug>', 'a sub-network instead of the root network')
    .action(
      runtimeAction(cli, async (rt, name: string, flags: { network?: string }) => {
        const network = resolveNetwork(rt, flags.network);
        if (!rt.views.themes.has(name)) {
          throw new CliError(`there is no theme "${name}" (available: ${[...rt.views.themes.keys()].sort().join(', ')})`);
        }
        rt.views.compile(name); // a theme whose templates do not compile is refused here, not at the next start
        await rt.networks.update(network.id, { theme: name });
        say(`${networkLabel(rt, network).replace(/^t/, 'T')} now uses the theme "${name}"; a running server applies it within a second.`);
      }),
    );
}
