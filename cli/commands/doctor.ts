/**
 * `ruche doctor`: one `OK   <check>` or `FAIL <check>: <reason>` line per check, each as
 * independent as possible so one problem does not hide the others; exit 1 on any FAIL.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { APP_ROOT, createStorage, isInstalled, loadInstancePlugins, type BaseRuntime, type RucheConfig } from '../../core';
import { connectDatabase, type Db } from '../../core/db/database';
import { Migrator } from '../../core/db/migrator';
import { coreMigrationOwner } from '../../core/plugin';
import { PluginRegistry } from '../../core/plugins/registry';
import { discoverThemes } from '../../core/views/themes';
import { configPath, readConfig, type Cli } from '../context';
import { oneLine, rel, safeUrl, say } from '../output';
import { enabledPluginOwners } from './migrate';
import { probeStorage } from './storage-probe';

class Report {
  failed = 0;
  ok(check: string): void {
    say(`OK   ${check}`);
  }
  fail(check: string, reason: unknown): void {
    this.failed++;
    const text =
      reason instanceof Error
        ? 'toLine' in reason && typeof reason.toLine === 'function'
          ? (reason.toLine() as string)
          : reason.message
        : String(reason);
    say(`FAIL ${check}: ${oneLine(text)}`);
  }
  /** Runs one check; returns its value, or undefined when it failed. */
  async run<T>(check: string, fn: () => Promise<T> | T, okText?: (v: T) => string): Promise<T | undefined> {
    try {
      const v = await fn();
      this.ok(okText ? okText(v) : check);
      return v;
    } catch (e) {
      this.fail(check, e);
      return undefined;
    }
  }
}

export function registerDoctor(program: Command, cli: Cli): void {
  program
    .command('doctor')
    .description('check the configuration, data folder, file store, database, migrations, plugins and themes')
    .action(async (_flags: unknown, cmd: Command) => {
      cli.exitCode = await doctor(cmd);
    });
}

async function doctor(cmd: Command): Promise<number> {
  const report = new Report();
  const file = configPath(cmd);
  const config = await report.run(
    'config valid',
    () => readConfig(cmd),
    (c) => `config valid (${c.configFile ? rel(c.configFile) : `no file at ${rel(file)}: defaults and environment`}; serves ${c.host}:${c.port})`,
  );
  if (!config) return 1;

  const dataDir = await report.run(
    'data dir writable',
    () => checkWritable(config.dataDir),
    () => `data dir writable (${rel(config.dataDir)})`,
  );
  // The local store lives in the data folder: probing it would create the folder doctor just found missing.
  if (dataDir || config.storage.driver !== 'local') await checkStorage(report, config);
  await report.run(
    'secret length',
    () => {
      if (config.secret.length < 32) throw new Error(`${config.secret.length} characters; use 32 or more`);
      return config.secret.length;
    },
    (n) => `secret length (${n} characters)`,
  );
  await report.run(
    'proxy settings',
    () => {
      if (config.siteUrl.startsWith('https:') && !config.trustProxy) {
        throw new Error(
          `siteUrl is ${config.siteUrl} but trustProxy is false: behind a TLS proxy, set trustProxy to true (RUCHE_TRUST_PROXY=true) so cookies are marked Secure`,
        );
      }
    },
    () => `proxy settings (${config.siteUrl}${config.trustProxy ? ', behind a trusted proxy' : ''})`,
  );
  const plugins = await report.run(
    'plugins load',
    () => loadPluginsAsStartDoes(config),
    (r) =>
      `plugins load (${r.list().length}: ${
        r
          .list()
          .map((p) => p.manifest.id)
          .join(', ') || 'none'
      })`,
  );
  await report.run(
    'default theme present',
    () => {
      const themes = discoverThemes([path.join(APP_ROOT, 'themes'), ...config.themes.dirs]);
      if (!themes.has('default')) throw new Error(`no "default" theme in ${path.join(APP_ROOT, 'themes')}`);
      return themes.size;
    },
    (n) => `default theme present (${n} theme${n === 1 ? '' : 's'} installed)`,
  );
  await checkDatabase(report, config, plugins);
  return report.failed ? 1 : 0;
}

/** The plugins exactly as `start` finds and loads them (same folders, same checks). */
async function loadPluginsAsStartDoes(config: RucheConfig): Promise<PluginRegistry> {
  return loadInstancePlugins(config);
}

/** Writes and removes a probe file; a missing folder is reported, never created (doctor changes nothing). */
function checkWritable(dir: string): true {
  if (!fs.existsSync(dir))
    throw new Error(`${rel(dir)} does not exist; the first \`ruche start\` (or \`ruche install\`) creates it, or set dataDir to the folder in use`);
  const probe = path.join(dir, `.ruche-doctor-${process.pid}`);
  fs.writeFileSync(probe, 'ok');
  fs.rmSync(probe);
  return true;
}

/** Writes, reads back, lists and deletes a probe file in the configured store. */
async function checkStorage(report: Report, config: RucheConfig): Promise<void> {
  let where: string = config.storage.driver;
  await report.run(
    'file store',
    async () => {
      const storage = createStorage(config);
      where = `${storage.driver}: ${config.storage.driver === 'local' ? rel(storage.location) : storage.location}`;
      try {
        await probeStorage(storage);
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
      } finally {
        storage.close?.();
      }
    },
    () => `file store (${where}: wrote, read, listed and deleted a probe file)`,
  );
}

async function checkDatabase(report: Report, config: RucheConfig, plugins: PluginRegistry | undefined): Promise<void> {
  const where = safeUrl(config.databaseUrl);
  const sqliteFile = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl.slice('sqlite:'.length) : undefined;
  if (sqliteFile && sqliteFile !== ':memory:' && !fs.existsSync(sqliteFile)) {
    report.fail('database reachable', `${sqliteFile} does not exist; run \`ruche install\``);
    return;
  }
  let db: Db | undefined;
  try {
    db = await report.run(
      'database reachable',
      () => connectDatabase(config.databaseUrl),
      () => `database reachable (${where})`,
    );
    if (!db) return;
    const migrator = new Migrator(db, coreMigrationOwner);
    const base = { config, db, migrator, plugins: plugins ?? new PluginRegistry([]) } as unknown as BaseRuntime;
    const installed = await report.run('Ruche installed', async () => {
      if (!(await isInstalled(base))) throw new Error('the database holds no Ruche installation; run `ruche install` (or `ruche start`)');
      return true;
    });
    if (!installed) return;
    await report.run('no pending migrations', async () => {
      if (!plugins) throw new Error('cannot check plugin migrations while plugins fail to load');
      const pending = await migrator.pending(await enabledPluginOwners(base));
      if (pending.length) throw new Error(`${pending.map((p) => `${p.owner}: ${p.names.join(', ')}`).join('; ')}; run \`ruche migrate\``);
    });
  } finally {
    await db?.destroy();
  }
}
