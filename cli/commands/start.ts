/**
 * `ruche start`: serves the network. On the very first run (no config file anywhere)
 * it writes `config/local.json` with a fresh secret and installs with defaults, which is
 * what `npm install && npm start` on a fresh clone relies on. Until an administrator
 * exists it prints a one-time setup link. SIGTERM/SIGINT stop it gracefully.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { createApp, install, isInstalled, listen, type ConfigInput, type RucheConfig, type RunningServer } from '../../core';
import { writeConfigFile } from '../../core/config';
import { configNamed, configPath, readConfig, withBase, type Cli } from '../context';
import { newSecret } from '../installer';
import { CliError, rel, safeUrl, say } from '../output';

interface StartFlags {
  port?: string;
  host?: string;
}

export function registerStart(program: Command, cli: Cli): void {
  program
    .command('start')
    .description('serve the network (installs with defaults on the very first run)')
    .option('-p, --port <port>', 'port to listen on (default: config, PORT, or 3000; 0 picks a free port)')
    .option('--host <host>', 'address to listen on (default: config, HOST, or 127.0.0.1; 0.0.0.0 for all interfaces)')
    .action(async (flags: StartFlags, cmd: Command) => {
      cli.exitCode = await start(cmd, flags);
    });
}

function overridesFrom(flags: StartFlags): ConfigInput {
  const overrides: ConfigInput = {};
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port > 65535) throw new CliError(`--port: "${flags.port}" is not a port number (0 to 65535)`);
    overrides.port = port;
  }
  if (flags.host !== undefined) {
    if (!flags.host.trim()) throw new CliError('--host: must not be empty');
    overrides.host = flags.host.trim();
  }
  return overrides;
}

async function start(cmd: Command, flags: StartFlags): Promise<number> {
  const overrides = overridesFrom(flags);
  const file = configPath(cmd);
  if (!fs.existsSync(file) && !configNamed(cmd) && !process.env.RUCHE_SECRET) {
    writeConfigFile(file, { secret: newSecret() });
    say(`First run: wrote ${rel(file)} with a new secret.`);
  }
  const config = readConfig(cmd, overrides);
  let app = await createApp(config, { migrate: true });
  if (!(await isInstalled(app.ruche))) {
    // A configured database without Ruche on it (first run, or a new PostgreSQL database).
    await app.close();
    await installWithDefaults(config);
    app = await createApp(config, { migrate: true });
  }
  let server: RunningServer;
  try {
    server = await listen(app, config.port, config.host);
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${config.port} on ${config.host} is already in use; choose another with --port or PORT`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on ${config.host}:${config.port}; use a port above 1024`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on host "${config.host}": no such address on this machine`);
    throw e;
  }

  const url = publicUrl(config, server.port);
  const rt = app.ruche;
  let token: string | undefined;
  try {
    token = (await rt.setup.needsSetup()) ? await rt.setup.issueToken() : undefined;
  } catch (e) {
    await server.stop();
    throw e;
  }
  const stopped = waitForSignal(server);
  say(`Ruche is serving ${url}`);
  if (token) {
    say('');
    say('  ============================================================');
    say('  Almost ready. Open this one-time link to name your network');
    say('  and create the first administrator account:');
    say('');
    say(`    ${url}/setup?token=${token}`);
    say('');
    say('  (a new link is printed at each start until the setup is done)');
    say('  ============================================================');
    say('');
  }
  await stopped;
  say('Ruche stopped.');
  return 0;
}

async function installWithDefaults(config: RucheConfig): Promise<void> {
  await withBase(config, async (base) => {
    const rt = await install(base);
    const plugins = rt.pluginState.enabledIds();
    say(`Installed Ruche on ${safeUrl(config.databaseUrl)}${plugins.length ? ` (plugins: ${plugins.join(', ')})` : ''}.`);
  });
}

/** The configured site URL, or the address actually listened on when none was configured. */
function publicUrl(config: RucheConfig, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const derived = `http://${host}:${config.port}`;
  return config.siteUrl !== derived ? config.siteUrl : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Resolves once the server has stopped after the first SIGTERM or SIGINT (a second one kills at once). */
function waitForSignal(server: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      say(`${signal} received: finishing requests in flight, then stopping.`);
      server.stop().then(resolve, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
