/**
 * The very first run on a fresh clone (no config file anywhere, no secret in the
 * environment): `ruche start` and `ruche seed` write `config/local.json` with a new secret and
 * what they use (data folder, address, and the database and site URL when the environment
 * gave them), so later commands without the same variables find the same install; and they
 * install with defaults on a database that holds no Ruche yet.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { install, type ConfigInput, type RucheConfig } from '../core';
import { envToConfig, writeConfigFile } from '../core/config';
import { configNamed, configPath, readConfig, withBase } from './context';
import { newSecret } from './installer';
import { rel, safeUrl, say } from './output';

/** The configuration, after writing the config file when this is the first run. */
export function configOnFirstRun(cmd: Command, overrides?: ConfigInput): RucheConfig {
  const file = configPath(cmd);
  const firstRun = !fs.existsSync(file) && !configNamed(cmd) && !process.env.RUCHE_SECRET;
  if (!firstRun) return readConfig(cmd, overrides);
  writeConfigFile(file, { secret: newSecret() });
  const config = readConfig(cmd, overrides);
  writeConfigFile(file, { secret: config.secret, ...usedSettings(config) });
  say(`First run: wrote ${rel(file)} with a new secret, the data folder ${rel(config.dataDir)} and the address ${config.host}:${config.port}.`);
  return config;
}

/** The settings a first run writes down: data folder, address, and the database and site URL when the environment gave them. */
function usedSettings(config: RucheConfig): Record<string, unknown> {
  const env = envToConfig(process.env);
  return {
    dataDir: config.dataDir,
    host: config.host,
    // Port 0 asks for a free port each time: nothing to write down.
    ...(config.port ? { port: config.port } : {}),
    ...(env.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(env.siteUrl ? { siteUrl: config.siteUrl } : {}),
  };
}

/** Installs Ruche with default settings on the configured database (which holds none yet). */
export async function installWithDefaults(config: RucheConfig): Promise<void> {
  await withBase(config, async (base) => {
    const rt = await install(base);
    const plugins = rt.pluginState.enabledIds();
    say(`Installed Ruche on ${safeUrl(config.databaseUrl)}${plugins.length ? ` (plugins: ${plugins.join(', ')})` : ''}.`);
  });
}
