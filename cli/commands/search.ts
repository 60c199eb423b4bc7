/**
 * `ruche search reindex [--network slug]`: rebuilds the search index of every network (or of
 * one) with a progress bar. The CLI names no plugin: it asks the `search:reindex` filter, which
 * the plugin keeping an index answers where it is enabled; without an answer, a one-line error.
 */
import type { Command } from 'commander';
import { progressBar } from '../progress';
import { networkLabel, resolveNetwork, runtimeAction, type Cli } from '../context';
import { CliError, say } from '../output';

export function registerSearch(program: Command, cli: Cli): void {
  const search = program.command('search').description('the search index');
  search
    .command('reindex')
    .description('rebuild the search index of every network, or of one')
    .option('--network <slug>', 'only this network ("root" for the root network)')
    .action(
      runtimeAction(cli, async (rt, flags: { network?: string }) => {
        const network = flags.network === undefined ? null : resolveNetwork(rt, flags.network);
        const where = network ? networkLabel(rt, network) : 'every network';
        const bar = progressBar();
        const indexed = await rt.hooks.filter('search:reindex', null, {
          networkId: network?.id ?? rt.networks.root().id,
          only: network?.id ?? null,
          progress: (done, total) => bar.update({ phase: 'entities', done, total }),
        });
        bar.done();
        if (indexed === null) throw new CliError(`no search plugin is enabled in ${where}: enable one with ruche plugin enable search`);
        say(`Indexed ${indexed} ${indexed === 1 ? 'entity' : 'entities'} in ${where}.`);
      }),
    );
}
