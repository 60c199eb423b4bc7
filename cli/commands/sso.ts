/**
 * `ruche sso test <provider> [--network <slug>]`: checks an identity provider's configuration
 * from the command line, through the SSO plugin answering to that name (hook `sso:check`):
 * discovery, signing keys, client credentials. Exits 1 when a step fails.
 */
import { Argument, type Command } from 'commander';
import { networkLabel, resolveNetwork, withRuntime, type Cli } from '../context';
import { CliError, say } from '../output';

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
        if (!report) {
          const names = await rt.hooks.filter('sso:providers', [], { networkId: network.id });
          throw new CliError(
            `no provider "${provider}" in ${networkLabel(rt, network)} (${names.length ? `enabled: ${names.join(', ')}` : 'enable one first, e.g. ruche plugin enable sso-oidc'})`,
          );
        }
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
}
