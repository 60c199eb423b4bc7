/**
 * The `ruche` command. `bin/ruche.js` calls `main(process.argv)` and exits with the
 * code it resolves to. Errors are one `ruche: <message>` line on stderr.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { CORE_API_VERSION } from '../core';
import type { Cli } from './context';
import { reportError } from './output';
import { registerInstall } from './commands/install';
import { registerStart } from './commands/start';
import { registerMigrate } from './commands/migrate';
import { registerPlugin } from './commands/plugin';
import { registerTheme } from './commands/theme';
import { registerDoctor } from './commands/doctor';
import { registerUser } from './commands/user';
import { registerNetwork } from './commands/network';
import { registerSeed } from './commands/seed';
import { registerSearch } from './commands/search';
import { registerBackup } from './commands/backup';
import { registerSso } from './commands/sso';

export function buildProgram(cli: Cli): Command {
  const program = new Command('ruche')
    .description('Ruche, the community platform you host yourself')
    .version(version(), '-V, --version', 'print the version')
    .option('-c, --config <file>', 'config file (default: $RUCHE_CONFIG or config/local.json in the working directory)')
    .showSuggestionAfterError(true)
    .configureOutput({
      // Commander's own errors (unknown command or option, missing argument) as one `ruche:` line.
      outputError: (message, write) => write(`ruche: ${message.replace(/^error: /, '').trim()}\n`),
    });
  registerInstall(program, cli);
  registerStart(program, cli);
  registerMigrate(program, cli);
  registerPlugin(program, cli);
  registerTheme(program, cli);
  registerUser(program, cli);
  registerNetwork(program, cli);
  registerDoctor(program, cli);
  registerSeed(program, cli);
  registerSearch(program, cli);
  registerBackup(program, cli);
  registerSso(program, cli);
  exitOverrideAll(program);
  return program;
}

/** Commander must throw instead of calling process.exit, for every (sub)command. */
function exitOverrideAll(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) exitOverrideAll(sub);
}

function version(): string {
  try {
    // dist/cli/index.js → package.json at the app root
    return `${(require('../../package.json') as { version: string }).version} (core API ${CORE_API_VERSION})`;
  } catch {
    return CORE_API_VERSION;
  }
}

export async function main(argv: string[]): Promise<number> {
  const cli: Cli = { exitCode: 0 };
  try {
    await buildProgram(cli).parseAsync(argv);
    return cli.exitCode;
  } catch (e) {
    return reportError(e);
  }
}
