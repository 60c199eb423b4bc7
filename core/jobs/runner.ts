/**
 * The job runner: persisted jobs (table `jobs`) that survive restarts and run once even
 * with several processes on one database. A process claims a due job with one conditional
 * UPDATE (only one claimer sees its row change), runs it, and marks it done; a failure is
 * retried with exponential backoff up to `maxAttempts`, then kept as `failed` with its
 * error. A job left `running` by a process that died is claimed again once its lease ends.
 *
 * Plugins declare their handlers in the manifest (`jobs: [{ kind, handler }]`) and
 * schedule with `rt.jobs.schedule(kind, payload, { runAt, key })`. A kind with `everyMs`
 * is recurring: the runner schedules it when it starts (one pending job for the whole
 * cluster, keyed `every:<kind>`) and again `everyMs` after each run ends, success or not.
 * A plugin's recurring kinds are scheduled and run only while the plugin is enabled somewhere
 * (its pending job waits, untouched, while it is off everywhere). A `personal` kind's payload is
 * emptied when its job finishes.
 * `ruche start` polls; tests call `ensureRecurring(now)` and `runDue({ now })` with the
 * clock they want.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { Runtime } from '../runtime';
import { CORE_ID } from '../plugins/manifest';

export interface JobContext {
  id: number;
  /** 1 on the first run. */
  attempt: number;
  /** The time the runner considers "now" (a test's clock, or Date.now()). */
  now: number;
}

export type JobHandler = (payload: Record<string, unknown>, rt: Runtime, job: JobContext) => Promise<void> | void;

export interface JobDef {
  /** `<plugin>.<what>`, e.g. `blogs.publish`. */
  kind: string;
  handler: JobHandler;
  /** Runs before giving up (default 5). */
  maxAttempts?: number;
  /** A recurring job: runs again this many ms after each run ends (first run when a runner starts). */
  everyMs?: number;
  /**
   * The payload is personal data (an erased member's words): emptied once the job is done or
   * given up, so the finished row keeps only its kind and times.
   */
  personal?: boolean;
}

/** The unique key of a recurring kind's one pending job. */
export const recurringKey = (kind: string): string => `every:${kind}`;

export interface ScheduleOptions {
  /** When to run (ms since epoch); default now. */
  runAt?: number;
  /** At most one unfinished job per key: scheduling again moves it (new payload, new time). */
  key?: string;
  maxAttempts?: number;
}

export interface JobRow {
  id: number;
  kind: string;
  payload: string;
  unique_key: string | null;
  status: 'pending' | 'running' | 'done' | 'failed';
  run_at: number;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
}

/** Delay before attempt n+1 after n failures: 30 s, 2 min, 8 min, 32 min... capped at 6 h. */
export function backoffMs(failures: number): number {
  return Math.min(30_000 * 4 ** Math.max(failures - 1, 0), 6 * 3_600_000);
}

const LEASE_MS = 5 * 60_000;

export class Jobs {
  private readonly handlers = new Map<string, JobDef>();
  /** The plugin that defined each kind (CORE_ID for the core's). */
  private readonly owners = new Map<string, string>();
  private readonly worker = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private runtime?: Runtime;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly db: Knex,
    private readonly logger: Logger,
  ) {}

  attach(runtime: Runtime): void {
    this.runtime = runtime;
  }

  define(def: JobDef, owner = CORE_ID): void {
    if (this.handlers.has(def.kind)) throw new Error(`job kind "${def.kind}" is defined twice (${owner})`);
    this.handlers.set(def.kind, def);
    this.owners.set(def.kind, owner);
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** The kinds that may run now: all but the recurring ones of a plugin enabled nowhere. */
  private activeKinds(): string[] {
    const state = this.runtime?.pluginState;
    return this.kinds().filter((kind) => {
      const owner = this.owners.get(kind) ?? CORE_ID;
      return !this.handlers.get(kind)!.everyMs || owner === CORE_ID || !state || state.isEnabledAnywhere(owner);
    });
  }

  async schedule(kind: string, payload: Record<string, unknown>, options: ScheduleOptions = {}, trx: Knex = this.db): Promise<void> {
    if (!this.handlers.has(kind)) throw new Error(`unknown job kind "${kind}"`);
    const now = Date.now();
    const row = {
      kind,
      payload: JSON.stringify(payload),
      unique_key: options.key ?? null,
      status: 'pending',
      run_at: options.runAt ?? now,
      attempts: 0,
      max_attempts: options.maxAttempts ?? this.handlers.get(kind)!.maxAttempts ?? 5,
      created_at: now,
    };
    if (!options.key) {
      await trx('jobs').insert(row);
      return;
    }
    // A pending or failed job with the key is moved (and given its attempts back); a running
    // one keeps running and the new time is still recorded.
    const again = trx.raw("case when jobs.status = 'running' then jobs.status else 'pending' end");
    const attempts = trx.raw("case when jobs.status = 'running' then jobs.attempts else 0 end");
    await trx('jobs')
      .insert(row)
      .onConflict('unique_key')
      .merge({ payload: row.payload, run_at: row.run_at, max_attempts: row.max_attempts, status: again, attempts });
  }

  /** Drops the unfinished job with this key, if any. */
  async cancel(key: string, trx: Knex = this.db): Promise<void> {
    await trx('jobs').where({ unique_key: key }).whereIn('status', ['pending', 'failed']).delete();
  }

  async find(key: string): Promise<JobRow | undefined> {
    return (await this.db('jobs').where({ unique_key: key }).first()) as JobRow | undefined;
  }

  /** Runs the jobs due at `now` that this process knows; returns how many ran. */
  async runDue(options: { now?: number; limit?: number } = {}): Promise<number> {
    const now = options.now ?? Date.now();
    const kinds = this.activeKinds();
    if (!kinds.length) return 0;
    const due = (await this.db('jobs')
      .whereIn('kind', kinds)
      .where((w) =>
        w
          .where((q) => q.where('status', 'pending').where('run_at', '<=', now))
          .orWhere((q) => q.where('status', 'running').where('locked_until', '<', now)),
      )
      .orderBy('run_at')
      .limit(options.limit ?? 50)
      .select('id')) as { id: number }[];
    let ran = 0;
    for (const { id } of due) {
      if (await this.claimAndRun(Number(id), now)) ran++;
    }
    return ran;
  }

  /**
   * Gives each recurring kind its pending job when it has none (a first start, or a kind a
   * new plugin brought); one already pending keeps its time, whichever process scheduled it.
   */
  async ensureRecurring(now = Date.now()): Promise<void> {
    for (const kind of this.activeKinds()) {
      const def = this.handlers.get(kind)!;
      if (!def.everyMs) continue;
      const job = await this.find(recurringKey(def.kind));
      if (!job || job.status === 'failed') await this.schedule(def.kind, {}, { key: recurringKey(def.kind), runAt: now });
    }
  }

  /** Polls every `intervalMs` until `stop()`. */
  start(intervalMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    let first = true;
    const tick = async (): Promise<void> => {
      try {
        if (first) await this.ensureRecurring();
        first = false;
        await this.runDue();
      } catch (err) {
        this.logger.error({ err }, 'job runner tick failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => void (this.running = tick()), intervalMs);
    };
    this.running = tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async claimAndRun(id: number, now: number): Promise<boolean> {
    const claimed = await this.db('jobs')
      .where({ id })
      .where((w) =>
        w
          .where((q) => q.where('status', 'pending').where('run_at', '<=', now))
          .orWhere((q) => q.where('status', 'running').where('locked_until', '<', now)),
      )
      .update({ status: 'running', locked_by: this.worker, locked_until: now + LEASE_MS, attempts: this.db.raw('attempts + 1') });
    if (Number(claimed) !== 1) return false;
    const job = (await this.db('jobs').where({ id }).first()) as JobRow;
    const def = this.handlers.get(job.kind)!;
    try {
      await def.handler(JSON.parse(job.payload) as Record<string, unknown>, this.runtime as Runtime, { id, attempt: Number(job.attempts), now });
      await this.db('jobs')
        .where({ id, locked_by: this.worker })
        .update({
          status: 'done',
          unique_key: null,
          locked_until: null,
          finished_at: Date.now(),
          last_error: null,
          ...(def.personal ? { payload: '{}' } : {}),
        });
      await this.again(def, now);
    } catch (err) {
      const attempts = Number(job.attempts);
      const giveUp = attempts >= Number(job.max_attempts);
      this.logger.warn(
        { err, job: job.kind, id, attempt: attempts },
        giveUp ? `job ${job.kind} failed for good` : `job ${job.kind} failed; will retry`,
      );
      await this.db('jobs')
        .where({ id, locked_by: this.worker })
        .update({
          status: giveUp ? 'failed' : 'pending',
          run_at: now + backoffMs(attempts),
          locked_until: null,
          last_error: String((err as Error)?.message ?? err).slice(0, 2000),
          ...(giveUp ? { finished_at: Date.now(), ...(def.personal ? { payload: '{}' } : {}) } : {}),
        });
      if (giveUp) await this.again(def, now);
    }
    return true;
  }

  /** A recurring kind's next run, `everyMs` after this one. */
  private async again(def: JobDef, now: number): Promise<void> {
    if (def.everyMs) await this.schedule(def.kind, {}, { key: recurringKey(def.kind), runAt: now + def.everyMs });
  }
}
