/**
 * The hook bus: events (fire in priority order; a throwing handler is logged with its
 * plugin id and the rest go on) and filters (pipe a value through handlers in priority
 * order; a throwing filter fails the request). Lower priority numbers run first;
 * equal priorities run in registration order (plugins in dependency order).
 */
import type { Logger } from '../logger';
import { CORE_ID } from '../plugins/manifest';
import type { Runtime } from '../runtime';
import type { EventName, FilterContext, FilterName, FilterValue, HookEvents } from './map';

/** An event handler gets the payload and the app it runs in (its database, services, settings). */
export type EventHandler<K extends EventName> = (payload: HookEvents[K], rt: Runtime) => void | Promise<void>;
/** A filter handler gets the value, the hook's context and, like events, the app it runs in. */
export type FilterHandler<K extends FilterName> = (
  value: FilterValue<K>,
  context: FilterContext<K>,
  rt: Runtime,
) => FilterValue<K> | Promise<FilterValue<K>>;

export interface HookOptions {
  /** Lower runs first. Default 10. */
  priority?: number;
}

interface Entry {
  pluginId: string;
  priority: number;
  seq: number;
  fn: (...args: never[]) => unknown;
}

/** Decides whether a plugin's handlers run for a network (undefined: installation-wide). */
export type ActiveCheck = (pluginId: string, networkId: number | undefined) => boolean;

/** Thrown when a filter handler fails; the error boundary renders a 500 that names no internals. */
export class HookFilterError extends Error {
  constructor(
    readonly hook: string,
    readonly pluginId: string,
    override readonly cause: unknown,
  ) {
    super(`filter ${hook} failed in plugin ${pluginId}`);
    this.name = 'HookFilterError';
  }
}

export class HookBus {
  private readonly events = new Map<string, Entry[]>();
  private readonly filters = new Map<string, Entry[]>();
  private seq = 0;
  private runtime?: Runtime;

  constructor(
    private readonly logger: Logger,
    private readonly isActive: ActiveCheck = () => true,
  ) {}

  /** Sets the app that event and filter handlers receive (boot calls it once the runtime is built). */
  attach(runtime: Runtime): void {
    this.runtime = runtime;
  }

  on<K extends EventName>(name: K, handler: EventHandler<K>, options: HookOptions & { pluginId?: string } = {}): void {
    this.add(this.events, name, handler as Entry['fn'], options);
  }

  addFilter<K extends FilterName>(name: K, handler: FilterHandler<K>, options: HookOptions & { pluginId?: string } = {}): void {
    this.add(this.filters, name, handler as Entry['fn'], options);
  }

  async emit<K extends EventName>(name: K, payload: HookEvents[K]): Promise<void> {
    const networkId = networkOf(payload);
    for (const entry of this.events.get(name) ?? []) {
      if (!this.isActive(entry.pluginId, networkId)) continue;
      try {
        await (entry.fn as EventHandler<K>)(payload, this.runtime as Runtime);
      } catch (err) {
        this.logger.error({ err, hook: name, plugin: entry.pluginId }, `event handler for ${name} failed in plugin ${entry.pluginId}`);
      }
    }
  }

  async filter<K extends FilterName>(name: K, value: FilterValue<K>, context: FilterContext<K>): Promise<FilterValue<K>> {
    const networkId = networkOf(context);
    let current = value;
    for (const entry of this.filters.get(name) ?? []) {
      if (!this.isActive(entry.pluginId, networkId)) continue;
      try {
        current = await (entry.fn as FilterHandler<K>)(current, context, this.runtime as Runtime);
      } catch (err) {
        throw new HookFilterError(name, entry.pluginId, err);
      }
    }
    return current;
  }

  /**
   * The plugins whose handlers of filter `name` run for `context` (its network), in their order:
   * what a text built from the filter's answer depends on besides the context, for a key of
   * `KeptBuilds` when the filter's contract says its answer is a function of its context.
   */
  filtering<K extends FilterName>(name: K, context: FilterContext<K>): string[] {
    const networkId = networkOf(context);
    return (this.filters.get(name) ?? []).filter((e) => this.isActive(e.pluginId, networkId)).map((e) => e.pluginId);
  }

  /** Names with at least one handler, for diagnostics. */
  registered(): { events: string[]; filters: string[] } {
    return { events: [...this.events.keys()], filters: [...this.filters.keys()] };
  }

  private add(map: Map<string, Entry[]>, name: string, fn: Entry['fn'], options: HookOptions & { pluginId?: string }): void {
    const list = map.get(name) ?? [];
    list.push({ pluginId: options.pluginId ?? CORE_ID, priority: options.priority ?? 10, seq: this.seq++, fn });
    list.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    map.set(name, list);
  }
}

function networkOf(value: unknown): number | undefined {
  if (value && typeof value === 'object' && 'networkId' in value) {
    const id = (value as { networkId?: unknown }).networkId;
    return typeof id === 'number' ? id : undefined;
  }
  return undefined;
}
