/**
 * Which plugins are enabled in which network, and their settings, kept in `plugin_state`
 * and cached in memory. A sub-network without its own row follows the root network; a
 * plugin disabled at the root is disabled everywhere.
 *
 * Enabling runs the plugin's migrations and refuses when a dependency is disabled;
 * disabling refuses while an enabled plugin depends on it and never deletes data.
 *
 * Every change goes through the `plugins` cache (core/cache/caches.ts): each process and a
 * running server after a CLI change reload within a second. A change starts from the
 * stored rows, never from this process's copy, which may be older than another's change.
 */
import type { Knex } from 'knex';
import type { Migrator } from '../db/migrator';
import type { HookBus } from '../hooks/bus';
import type { Caches } from '../cache/caches';
import type { PluginRegistry } from './registry';
import { CORE_ID } from './manifest';
import { defaultSettings, validateSettings, type SettingError, type SettingsValues } from './settings';

/** A refused plugin action: an i18n key (`core.plugins.error.*`) with params. */
export class PluginActionError extends Error {
  constructor(
    readonly messageKey: string,
    readonly params: Record<string, unknown>,
    readonly errors: SettingError[] = [],
  ) {
    super(`${messageKey} ${JSON.stringify(params)}`);
    this.name = 'PluginActionError';
  }
}

interface Row {
  network_id: number;
  plugin_id: string;
  enabled: boolean | number;
  settings: string;
}

export class PluginState {
  private rows = new Map<string, { enabled: boolean; settings: SettingsValues }>();

  constructor(
    private readonly db: Knex,
    private readonly registry: PluginRegistry,
    private readonly migrator: Migrator,
    readonly rootNetworkId: number,
    private readonly caches: Caches,
    private readonly hooks?: HookBus,
  ) {
    caches.register('plugins', () => this.load());
  }

  /** (Re)reads every row; the `plugins` cache calls it after any process changed state. */
  async load(): Promise<void> {
    this.rows = await readRows(this.db);
  }

  isEnabled(pluginId: string, networkId: number = this.rootNetworkId): boolean {
    if (pluginId === CORE_ID) return true; // the core is always on
    if (!this.registry.has(pluginId)) return false;
    const root = this.rows.get(key(this.rootNetworkId, pluginId));
    if (!root?.enabled) return false;
    if (networkId === this.rootNetworkId) return true;
    const own = this.rows.get(key(networkId, pluginId));
    return own ? own.enabled : true;
  }

  /** Enabled in at least one network (for installation-wide hooks). */
  isEnabledAnywhere(pluginId: string): boolean {
    return this.isEnabled(pluginId, this.rootNetworkId);
  }

  enabledIds(networkId: number = this.rootNetworkId): string[] {
    return this.registry
      .list()
      .map((p) => p.manifest.id)
      .filter((id) => this.isEnabled(id, networkId));
  }

  /** Every plugin enabled somewhere, i.e. whose migrations must be applied. */
  enabledAnywhereIds(): string[] {
    return this.enabledIds(this.rootNetworkId);
  }

  settings(pluginId: string, networkId: number = this.rootNetworkId): SettingsValues {
    const schema = this.registry.get(pluginId)?.manifest.settings;
    const root = this.rows.get(key(this.rootNetworkId, pluginId))?.settings ?? {};
    const own = networkId === this.rootNetworkId ? {} : (this.rows.get(key(networkId, pluginId))?.settings ?? {});
    return { ...defaultSettings(schema), ...root, ...own };
  }

  async enable(pluginId: string, networkId: number = this.rootNetworkId): Promise<void> {
    const plugin = this.require(pluginId);
    await this.load(); // decide on the stored state
    for (const dep of plugin.manifest.dependsOn ?? []) {
      if (!this.isEnabled(dep, networkId))
        throw new PluginActionError('core.plugins.error.dependencyDisabled', { plugin: pluginId, dependency: dep });
    }
    if (networkId !== this.rootNetworkId && !this.isEnabled(pluginId, this.rootNetworkId)) {
      throw new PluginActionError('core.plugins.error.disabledAtRoot', { plugin: pluginId });
    }
    await this.migrator.latest(this.registry.owners([pluginId]));
    await this.write(networkId, pluginId, { enabled: true });
    await this.hooks?.emit('plugin:enabled', { pluginId, networkId });
  }

  async disable(pluginId: string, networkId: number = this.rootNetworkId): Promise<void> {
    this.require(pluginId);
    await this.load(); // decide on the stored state
    const blocking = this.registry
      .dependents(pluginId)
      .map((p) => p.manifest.id)
      .filter((id) => this.isEnabled(id, networkId));
    if (blocking.length) throw new PluginActionError('core.plugins.error.hasDependents', { plugin: pluginId, dependents: blocking.join(', ') });
    await this.hooks?.emit('plugin:disabled', { pluginId, networkId });
    await this.write(networkId, pluginId, { enabled: false });
  }

  /** Validates and stores settings from strings or typed values; refuses unknown keys and bad values. */
  async configure(pluginId: string, input: Record<string, unknown>, networkId: number = this.rootNetworkId): Promise<SettingsValues> {
    const plugin = this.require(pluginId);
    await this.load(); // validate against the stored settings
    const current = this.settings(pluginId, networkId);
    const { values, errors } = validateSettings(plugin.manifest.settings, input, current);
    if (errors.length) throw new PluginActionError('core.plugins.error.badSettings', { plugin: pluginId }, errors);
    // Only the settings change: `enabled` stays what is stored (a new sub-network row stores
    // `enabled: true`, which means "follow the root", see isEnabled).
    await this.write(networkId, pluginId, { settings: values });
    return values;
  }

  /** Removes a plugin's data: its migrations are reverted and its state rows deleted. */
  async uninstall(pluginId: string): Promise<string[]> {
    this.require(pluginId);
    await this.load(); // decide on the stored state
    const blocking = this.registry
      .dependents(pluginId)
      .map((p) => p.manifest.id)
      .filter((id) => this.isEnabledAnywhere(id));
    if (blocking.length) throw new PluginActionError('core.plugins.error.hasDependents', { plugin: pluginId, dependents: blocking.join(', ') });
    if (this.isEnabledAnywhere(pluginId)) await this.hooks?.emit('plugin:disabled', { pluginId, networkId: this.rootNetworkId });
    const reverted = await this.migrator.removeOwner(this.registry.owners([pluginId])[0]);
    await this.caches.write('plugins', (trx) => trx('plugin_state').where({ plugin_id: pluginId }).delete());
    return reverted;
  }

  private require(pluginId: string) {
    const plugin = this.registry.get(pluginId);
    if (!plugin) throw new PluginActionError('core.plugins.error.unknown', { plugin: pluginId });
    return plugin;
  }

  /** Changes one row: what `change` leaves out is kept as stored (read in the same transaction). */
  private async write(networkId: number, pluginId: string, change: { enabled?: boolean; settings?: SettingsValues }): Promise<void> {
    await this.caches.write('plugins', async (trx) => {
      const stored = (await trx('plugin_state').where({ network_id: networkId, plugin_id: pluginId }).first('enabled', 'settings')) as
        Pick<Row, 'enabled' | 'settings'> | undefined;
      const enabled = change.enabled ?? (stored ? !!stored.enabled : networkId !== this.rootNetworkId);
      const settings = change.settings ?? (stored ? parseSettings(stored.settings) : {});
      await trx('plugin_state')
        .insert({ network_id: networkId, plugin_id: pluginId, enabled, settings: JSON.stringify(settings), updated_at: Date.now() })
        .onConflict(['network_id', 'plugin_id'])
        .merge(['enabled', 'settings', 'updated_at']);
    });
  }
}

async function readRows(db: Knex): Promise<Map<string, { enabled: boolean; settings: SettingsValues }>> {
  const rows: Row[] = await db('plugin_state').select('network_id', 'plugin_id', 'enabled', 'settings');
  return new Map(rows.map((r) => [key(r.network_id, r.plugin_id), { enabled: !!r.enabled, settings: parseSettings(r.settings) }]));
}

const key = (networkId: number, pluginId: string): string => `${networkId}:${pluginId}`;

function parseSettings(text: string): SettingsValues {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as SettingsValues) : {};
  } catch {
    return {};
  }
}
