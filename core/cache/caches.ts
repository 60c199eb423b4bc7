/**
 * What each process keeps in memory of what rarely changes (networks and hosts, plugin
 * state and settings, grants), and how every process learns that a copy went stale.
 *
 * One API for every writer: `caches.write(name, (trx) => ...)` runs the change in a
 * transaction that also bumps the cache's row in `cache_versions`; once committed, this
 * process reloads its copy and publishes `<name>:<version>` on the pub/sub channel
 * `ruche_caches` (the cluster's channel between workers, LISTEN/NOTIFY on PostgreSQL).
 * A serving process (`watch()`) reloads on each publication, and also polls
 * `cache_versions` every 500 ms: that is how a change made by the CLI (a separate process
 * with no cluster channel) or a notification lost during a reconnect is noticed.
 *
 * A future cache is one `register(name, reload)` and writers calling `write(name, …)`.
 */
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { PubSub } from '../realtime/pubsub';

export const CACHES_CHANNEL = 'ruche_caches';
/** How often a serving process reads `cache_versions`. */
export const CACHE_POLL_MS = 500;

interface Entry {
  reload: () => Promise<void>;
  /** The version this process's copy is known to be at least as new as. */
  version: number;
  loading?: Promise<void>;
  /** A reload was asked for while one was running: run once more after it. */
  again: boolean;
}

export class Caches {
  private readonly entries = new Map<string, Entry>();
  private pubsub?: PubSub;
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = false;
  /** Reloads finished in this process: what was read from the caches may differ once it moves. */
  private reloads = 0;

  constructor(
    private readonly db: Knex,
    private readonly logger?: Logger,
  ) {}

  /** Declares a cache and how to reread it. */
  register(name: string, reload: () => Promise<void>): void {
    if (this.entries.has(name)) throw new Error(`cache "${name}" is registered twice`);
    if (!/^[a-z][a-z0-9_-]{0,39}$/.test(name)) throw new Error(`invalid cache name "${name}"`);
    this.entries.set(name, { reload, version: 0, again: false });
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * A number that moves whenever any cache here has been reread (networks, plugins' settings,
   * grants), for a key of what was computed from them (a kept card, plugins/activity/feed.ts);
   * null while a reload runs (what is read then may be either side of the change).
   */
  stamp(): number | null {
    for (const entry of this.entries.values()) if (entry.loading) return null;
    return this.reloads;
  }

  /** Records the current versions; call before the first loads, so no change in between is missed. */
  async init(): Promise<void> {
    // Before `ruche migrate` created the table, start-up goes on to say migrations are pending.
    const versions = await this.versions().catch(() => new Map<string, number>());
    for (const [name, version] of versions) {
      const entry = this.entries.get(name);
      if (entry) entry.version = Math.max(entry.version, version);
    }
  }

  /** Where this process publishes (and, once watching, listens). */
  attach(pubsub: PubSub): void {
    this.pubsub = pubsub;
  }

  /**
   * Runs `change` in a transaction that bumps `name`'s version; once committed, reloads the
   * copy here and tells every other process. The change must use `trx`, never the cache.
   */
  async write<T>(name: string, change: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const entry = this.require(name);
    let version = 0;
    const result = await this.db.transaction(async (trx) => {
      const value = await change(trx);
      version = await this.bump(trx, name);
      return value;
    });
    await this.refresh(name, entry, version);
    await this.publish(name, version);
    return result;
  }

  /** For a change that could not share the transaction (e.g. a migration run): bump, reload, tell. */
  async changed(name: string): Promise<void> {
    await this.write(name, async () => undefined);
  }

  /** Starts listening to publications and polling `cache_versions` (serving processes). */
  async watch(pollMs = CACHE_POLL_MS): Promise<void> {
    if (this.timer || this.stopped) return;
    if (this.pubsub) {
      this.unsubscribe = await this.pubsub.subscribe(CACHES_CHANNEL, (payload) => {
        const [name, v] = payload.split(':');
        const entry = this.entries.get(name);
        if (entry && Number(v) > entry.version) void this.refresh(name, entry, Number(v));
      });
    }
    const tick = (): void => {
      this.polling = this.poll()
        .catch((err: unknown) => this.logger?.warn({ err }, 'cache versions poll failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, pollMs);
        });
    };
    this.timer = setTimeout(tick, pollMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
    await this.polling;
    await Promise.all([...this.entries.values()].map((e) => e.loading?.catch(() => undefined)));
  }

  /** Reads `cache_versions` once and reloads what another process changed. */
  async poll(): Promise<void> {
    for (const [name, version] of await this.versions()) {
      const entry = this.entries.get(name);
      if (entry && version > entry.version) await this.refresh(name, entry, version);
    }
  }

  private async versions(): Promise<Map<string, number>> {
    const rows: { name: string; version: number | string }[] = await this.db('cache_versions').select('name', 'version');
    return new Map(rows.map((r) => [r.name, Number(r.version)]));
  }

  private async bump(trx: Knex.Transaction, name: string): Promise<number> {
    await trx('cache_versions')
      .insert({ name, version: 1 })
      .onConflict('name')
      .merge({ version: trx.raw('?? + 1', ['cache_versions.version']) });
    const row = (await trx('cache_versions').where({ name }).first('version')) as { version: number | string };
    return Number(row.version);
  }

  /**
   * Rereads the copy; a request made while a reload runs (which may have read the rows before
   * the change committed) runs one more. `version` is recorded first: the reload reads data
   * at least that new.
   */
  private refresh(name: string, entry: Entry, version: number): Promise<void> {
    entry.version = Math.max(entry.version, version);
    if (entry.loading) {
      entry.again = true;
      return entry.loading;
    }
    const run = async (): Promise<void> => {
      do {
        entry.again = false;
        try {
          await entry.reload();
          this.reloads++;
        } catch (err) {
          this.logger?.error({ err, cache: name }, 'cache reload failed');
          entry.version = 0; // the next poll tries again
        }
      } while (entry.again && !this.stopped);
    };
    entry.loading = run().finally(() => (entry.loading = undefined));
    return entry.loading;
  }

  private async publish(name: string, version: number): Promise<void> {
    try {
      await this.pubsub?.publish(CACHES_CHANNEL, `${name}:${version}`);
    } catch (err) {
      // The other processes' poll notices the version within CACHE_POLL_MS anyway.
      this.logger?.warn({ err, cache: name }, 'cache change not published');
    }
  }

  private require(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`unknown cache "${name}"`);
    return entry;
  }
}
