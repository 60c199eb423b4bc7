/**
 * `ruche sso test <provider> [--network <slug>]`: checks an identity provider's configuration
 * from the command line, through the SSO plugin answering to that name (hook `sso:check`):
 * discovery, signing keys, client credentials. Exits 1 when a step fails.
 *
 * `ruche sso sync <provider> [--dry-run] [--network <slug>]`: reads the provider's directory
 * and creates, updates and suspends members (hook `sso:sync`); `--dry-run` prints what it
 * would do and changes nothing. Exits 1 when the sync could not run.
 */
import { Argument, type Command } from 'commander';
import type { NetworkInfo, Runtime } from '../../core';
import { networkLabel, resolveNetwork, withRuntime, type Cli } from '../context';
import { CliError, say } from '../output';

/** The refusal when no enabled plugin answers to `provider` in `network`. */
async function noProvider(rt: Runtime, network: NetworkInfo, provider: string): Promise<CliError> {
  const names = await rt.hooks.filter('sso:providers', [], { networkId: network.id });
  return new CliError(
    `no provider "${provider}" in ${networkLabel(rt, network)} (${names.length ? `enabled: ${names.join(', ')}` : 'enable one first, e.g. ruche plugin enable sso-oidc'})`,
  );
}

export function registerSso(program: Command, cli: Cli): void {
  const sso = program.command('sso').description('sign-in through identity providers (SSO)');
  sso
    .command('test')
    .description("check a provider's configuration: discovery, signing keys, client credentials")
    .addArgument(new Argument('<provider>', 'the provider, e.g. oidc'))
    .option('--network <slug>', 'the network whose configuration to check (default: root)')
    .action(async (provider: string, flags: { network?: string }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const network = resolveNetwork(rt, flags.network);
        const report = await rt.hooks.filter('sso:check', null, { provider, networkId: network.id, siteUrl: rt.config.siteUrl });
        if (!report) throw await noProvider(rt, network, provider);
        for (const step of report.steps) say(`${step.ok ? 'ok  ' : 'FAIL'}  ${step.label}${step.detail ? `: ${step.detail}` : ''}`);
        const failed = report.steps.filter((s) => !s.ok).length;
        say(
          failed
            ? `${failed} check(s) failed for ${report.provider} in ${networkLabel(rt, network)}.`
            : `${report.provider} in ${networkLabel(rt, network)} is ready.`,
        );
        cli.exitCode = failed ? 1 : 0;
      });
    });
  sso
    .command('sync')
    .description('read a directory and create, update and suspend members (LDAP); --dry-run shows what it would do')
    .addArgument(new Argument('<provider>', 'the provider, e.g. ldap'))
    .option('--dry-run', 'print what the sync would do, change nothing')
    .option('--network <slug>', 'the network whose directory to sync (default: root)')
    .action(async (provider: string, flags: { network?: string; dryRun?: boolean }, cmd: Command) => {
      await withRuntime(cmd, async (rt) => {
        const network = resolveNetwork(rt, flags.network);
        const dryRun = !!flags.dryRun;
        const report = await rt.hooks.filter('sso:sync', null, { provider, networkId: network.id, dryRun });
        if (!report) throw await noProvider(rt, network, provider);
        if (report.error) throw new CliError(`${report.provider} sync in ${networkLabel(rt, network)} did not run: ${report.error}`);
        for (const c of report.changes) say(`${dryRun ? 'would ' : ''}${c.action.padEnd(7)}  ${c.who}${c.detail ? `: ${c.detail}` : ''}`);
        const counts = (['create', 'link', 'update', 'suspend', 'reactivate', 'refuse'] as const)
          .map((a) => `${report.changes.filter((c) => c.action === a).length} ${a}`)
          .join(', ');
        say(
          `${report.provider} in ${networkLabel(rt, network)}: ${report.read} people read; ${counts}${dryRun ? ' (dry run: nothing changed)' : ''}.`,
        );
        cli.exitCode = 0;
      });
    });
}
