/**
 * A plugin's handle on the app: what it needs that is keyed by its own id — its settings,
 * whether it is enabled, a logger naming it, and its background jobs (kinds `<id>.<what>`).
 * `rt.plugin('blogs')`, or `@inject(Tokens.PluginHandles) handles` then `handles.for('blogs')`.
 */
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { Jobs, ScheduleOptions } from '../jobs/runner';
import type { PluginState } from './state';
import type { SettingsValues } from './settings';
import type { PluginRegistry } from './registry';

export class PluginHandle {
  /** Log lines carry `plugin: <id>`. */
  readonly logger: Logger;

  constructor(
    readonly id: string,
    private readonly state: PluginState,
    private readonly jobs: Jobs,
    logger: Logger,
  ) {
    this.logger = logger.child({ plugin: id });
  }

  /** Its settings in a network (defaults, then the root's, then the network's own). */
  settings(networkId?: number): SettingsValues {
    return this.state.settings(this.id, networkId);
  }

  isEnabled(networkId?: number): boolean {
    return this.state.isEnabled(this.id, networkId);
  }

  /** Schedules one of its jobs: `what` is the kind without the `<id>.` prefix. */
  schedule(what: string, payload: Record<string, unknown>, options: ScheduleOptions = {}, trx?: Knex): Promise<void> {
    return this.jobs.schedule(`${this.id}.${what}`, payload, options, trx);
  }
}

/** The handles of one app, one per plugin (and the core), made on first use. */
export class PluginHandles {
  private readonly handles = new Map<string, PluginHandle>();

  constructor(
    private readonly registry: PluginRegistry,
    private readonly state: PluginState,
    private readonly jobs: Jobs,
    private readonly logger: Logger,
  ) {}

  for(id: string): PluginHandle {
    let handle = this.handles.get(id);
    if (!handle) {
      if (!this.registry.manifests().some((p) => p.manifest.id === id)) throw new Error(`no plugin "${id}" in this app`);
      handle = new PluginHandle(id, this.state, this.jobs, this.logger);
      this.handles.set(id, handle);
    }
    return handle;
  }
}
