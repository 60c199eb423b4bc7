/**
 * `ruche backup [--output file]` and `ruche restore <file> [--force]`: one archive holding a
 * logical export of the database, the uploaded files and the configuration without its
 * secrets (core/backup). A backup of SQLite restores into PostgreSQL and the other way round.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createStorage, type BaseRuntime } from '../../core';
import { archivePath, BackupRefused, createBackup, knownOwners, restoreBackup, type BackupSource } from '../../core/backup';
import { readConfig, withBase, type Cli } from '../context';
import { CliError, rel, say } from '../output';
import { progressBar } from '../progress';
import { enabledPluginOwners } from './migrate';

export function registerBackup(program: Command, cli: Cli): void {
  program
    .command('backup')
    .description('write one archive with the database, the uploaded files and the configuration (without secrets); safe while the site runs')
    .option('-o, --output <file>', 'the archive to write, or a folder to write it in (default: <dataDir>/backups/)')
    .action(async (flags: { output?: string }, cmd: Command) => {
      const config = readConfig(cmd);
      await withBase(config, async (base) => {
        if (!(await base.migrator.isInstalled())) throw new CliError('there is nothing to back up: the database has no Ruche installation');
        const output = archivePath(flags.output ?? config.backup.dir + path.sep, 'ruche');
        const bar = progressBar();
        const { file, manifest, bytes } = await withSource(base, (source) => createBackup(source, output, bar.update)).finally(bar.done);
        const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
        say(`Backup written to ${rel(file)} (${megabytes(bytes)}): ${manifest.tables.length} tables, ${rows} rows, ${manifest.files.count} files.`);
      });
      cli.exitCode = 0;
    });

  program
    .command('restore')
    .description('restore an archive of `ruche backup` into an empty installation (SQLite or PostgreSQL), then apply pending migrations')
    .argument('<file>', 'the archive written by `ruche backup`')
    .option('--force', 'replace an installation that is not empty (a backup of it is written first)')
    .action(async (file: string, flags: { force?: boolean }, cmd: Command) => {
      const archive = path.resolve(file);
      if (!fs.existsSync(archive)) throw new CliError(`cannot restore ${file}: there is no such file`);
      if (!fs.statSync(archive).isFile()) throw new CliError(`cannot restore ${file}: it is a folder, not a backup archive`);
      const config = readConfig(cmd);
      await withBase(config, async (base) => {
        const bar = progressBar();
        const result = await withSource(base, (source) =>
          restoreBackup({ ...source, workDir: config.dataDir }, archive, {
            force: flags.force,
            keepCopy: async () => (await createBackup(source, archivePath(config.backup.dir + path.sep, 'before-restore'))).file,
            onProgress: bar.update,
          }),
        )
          .catch((e: unknown) => {
            throw e instanceof BackupRefused ? new CliError(`cannot restore ${file}: ${e.message}`) : e;
          })
          .finally(bar.done);
        if (result.keptCopy) say(`The installation it replaced was saved to ${rel(result.keptCopy)}.`);
        const applied = await base.migrator.latest(await enabledPluginOwners(base));
        const m = result.manifest;
        const rows = m.tables.reduce((n, t) => n + t.rows, 0);
        say(`Restored ${rel(archive)} (Ruche ${m.ruche}, ${m.createdAt}): ${m.tables.length} tables, ${rows} rows, ${m.files.count} files.`);
        const count = applied.reduce((n, r) => n + r.names.length, 0);
        if (count) say(`Applied ${count} newer migration${count === 1 ? '' : 's'} (${applied.map((r) => r.owner).join(', ')}).`);
      });
      cli.exitCode = 0;
    });
}

/** What a backup reads and a restore writes: the database, the file store and every migration owner. */
async function withSource<T>(base: BaseRuntime, fn: (source: BackupSource) => Promise<T>): Promise<T> {
  const storage = createStorage(base.config);
  try {
    return await fn({ db: base.db, config: base.config, appRoot: base.appRoot, storage, owners: knownOwners(base.plugins) });
  } finally {
    storage.close?.();
  }
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
