/**
 * `ruche migrate`: applies pending migrations of the core and of every plugin enabled in
 * at least one network, as one recorded run; `--rollback` undoes the last run.
 */
import type { Command } from 'commander';
import type { BaseRuntime } from '../../core';
import type { MigrationOwner, OwnerReport } from '../../core/db/migrator';
import { Caches } from '../../core/cache/caches';
import { Networks } from '../../core/networks';
import { PluginState } from '../../core/plugins/state';
import { readConfig, withBase, type Cli } from '../context';
import { say } from '../output';

export function registerMigrate(program: Command, cli: Cli): void {
  program
    .command('migrate')
    .description('apply pending migrations of the core and of the enabled plugins')
    .option('--rollback', 'undo the last migrate run instead')
    .action(async (flags: { rollback?: boolean }, cmd: Command) => {
      await withBase(readConfig(cmd), async (base) => {
        if (flags.rollback) {
          const reverted = await base.migrator.rollbackLastRun(base.plugins.owners(base.plugins.list().map((p) => p.manifest.id)));
          print(
            reverted.filter((r) => r.names.length),
            'Reverted',
            'Nothing to roll back.',
          );
        } else {
          print(await migrateAll(base), 'Applied', 'Nothing to migrate.');
        }
      });
      cli.exitCode = 0;
    });
}

/** Migration owners of the plugins enabled somewhere, read from `plugin_state` (empty on a bare database). */
export async function enabledPluginOwners(base: BaseRuntime): Promise<MigrationOwner[]> {
  if (!(await base.migrator.isInstalled())) return [];
  const caches = new Caches(base.db); // read only here: nothing is changed, so nothing to tell
  const networks = new Networks(base.db, caches);
  await networks.load();
  const state = new PluginState(base.db, base.plugins, base.migrator, networks.root().id, caches);
  await state.load();
  return base.plugins.owners(state.enabledAnywhereIds());
}

/** Core first; plugins in the same run when the core schema already exists (so one rollback undoes it all). */
async function migrateAll(base: BaseRuntime): Promise<OwnerReport[]> {
  const hadSchema = await base.migrator.isInstalled();
  const reports = await base.migrator.latest(await enabledPluginOwners(base));
  if (!hadSchema) reports.push(...(await base.migrator.latest(await enabledPluginOwners(base))));
  return reports;
}

function print(reports: OwnerReport[], verb: string, nothing: string): void {
  if (!reports.length) {
    say(nothing);
    return;
  }
  for (const r of reports) {
    say(`${verb} ${r.owner}: ${r.names.length} migration${r.names.length === 1 ? '' : 's'}`);
    for (const name of r.names) say(`  ${name}`);
  }
}
