/**
 * `ruche start`: serves the network. On the very first run (no config file anywhere)
 * it writes `config/local.json` with a fresh secret and installs with defaults, which is
 * what `npm install && npm start` on a fresh clone relies on. Until an administrator
 * exists it prints a one-time setup link. SIGTERM/SIGINT stop it gracefully.
 * With `--workers N` (or `workers` in config) N processes serve the port (start-workers.ts).
 */
import cluster from 'node:cluster';
import type { Command } from 'commander';
import { createApp, isInstalled, listen, StartupError, type ConfigInput, type RucheApp, type RucheConfig, type RunningServer } from '../../core';
import { readConfig, type Cli } from '../context';
import { configOnFirstRun, installWithDefaults } from '../first-run';
import { CliError, say } from '../output';
import { createLogger } from '../../core/logger';
import { serveAsWorker, startWorkers, workerCount } from './start-workers';

interface StartFlags {
  port?: string;
  host?: string;
  workers?: string;
}

export function registerStart(program: Command, cli: Cli): void {
  program
    .command('start')
    .description('serve the network (installs with defaults on the very first run)')
    .option('-p, --port <port>', 'port to listen on (default: config, PORT, or 3000; 0 picks a free port)')
    .option('--host <host>', 'address to listen on (default: config, HOST, or 127.0.0.1; 0.0.0.0 for all interfaces)')
    .option('-w, --workers <n>', 'processes serving the port: a number, or "auto" for one per core (default: config, RUCHE_WORKERS, or 1)')
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
  if (flags.workers !== undefined) {
    const n = Number(flags.workers);
    if (flags.workers !== 'auto' && (!/^\d+$/.test(flags.workers) || n < 1 || n > 64))
      throw new CliError(`--workers: "${flags.workers}" is not a number of processes (1 to 64) or "auto"`);
    overrides.workers = flags.workers === 'auto' ? 'auto' : n;
  }
  return overrides;
}

async function start(cmd: Command, flags: StartFlags): Promise<number> {
  const overrides = overridesFrom(flags);
  if (cluster.isWorker) {
    const config = readConfig(cmd, overrides);
    return serveAsWorker(config, (e) => listenProblem(e, config));
  }
  const config = configOnFirstRun(cmd, overrides);
  let app = await createApp(config, { migrate: true });
  if (!(await isInstalled(app.ruche))) {
    // A configured database without Ruche on it (first run, or a new PostgreSQL database).
    await app.close();
    await installWithDefaults(config);
    app = await createApp(config, { migrate: true });
  }
  const workers = workerCount(config);
  if (workers > 1) return startCluster(app, config, workers);
  let server: RunningServer;
  try {
    server = await listen(app, config.port, config.host);
  } catch (e) {
    await app.close();
    throw new CliError(listenProblem(e, config));
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
  printSetupLink(url, token);
  await stopped;
  say('Ruche stopped.');
  return 0;
}

/** The primary of `--workers N`: the setup token is issued before the workers start, the app closed. */
async function startCluster(app: RucheApp, config: RucheConfig, count: number): Promise<number> {
  let token: string | undefined;
  try {
    token = (await app.ruche.setup.needsSetup()) ? await app.ruche.setup.issueToken() : undefined;
  } finally {
    await app.close();
  }
  const workers = await startWorkers(config, count, createLogger(config), (e) => listenProblem(e, config)).catch((e: unknown) => {
    throw new CliError((e as Error).message);
  });
  const url = publicUrl(config, workers.port);
  const stopped = waitForSignal(workers);
  say(`Ruche is serving ${url} with ${count} workers (pids ${workers.pids().join(', ')})`);
  printSetupLink(url, token);
  await stopped;
  say('Ruche stopped.');
  return 0;
}

/** What stops a server from listening, as one line (the error itself when it is something else). */
function listenProblem(e: unknown, config: RucheConfig): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `port ${config.port} on ${config.host} is already in use; choose another with --port or PORT`;
  if (code === 'EACCES') return `not allowed to listen on ${config.host}:${config.port}; use a port above 1024`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on host "${config.host}": no such address on this machine`;
  return e instanceof StartupError ? e.toLine() : ((e as Error).message ?? String(e));
}

function printSetupLink(url: string, token: string | undefined): void {
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
}

/** The configured site URL, or the address actually listened on when none was configured. */
function publicUrl(config: RucheConfig, port: number): string {
  const host = config.host === '0.0.0.0' || config.host === '::' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const derived = `http://${host}:${config.port}`;
  return config.siteUrl !== derived ? config.siteUrl : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Resolves once the server has stopped after the first SIGTERM or SIGINT (a second one kills at once). */
function waitForSignal(server: { stop(): Promise<void> }): Promise<void> {
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
