/**
 * `ruche start --workers N`: N processes serving one port with node:cluster.
 *
 * The primary installs and migrates (as a single `ruche start` does), then forks the
 * workers, which re-run the same command line and each build an app and listen; the
 * primary accepts connections and hands them out in turn. It also relays the workers'
 * pub/sub messages on SQLite (core/realtime/cluster-pubsub.ts); on PostgreSQL they use
 * LISTEN/NOTIFY. On SQLite only the first worker runs background jobs (fewer writers
 * waiting on each other); on PostgreSQL every worker polls and each job is still claimed
 * once. A worker that dies is restarted after a back-off (1 s, doubling to 30 s, back to
 * 1 s once a worker has lived a minute) and logged. SIGTERM/SIGINT stop every worker
 * gracefully (each finishes its requests in flight), then the primary.
 */
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { listen, type RucheConfig, type RunningServer } from '../../core';
import { createApp } from '../../core';
import { relayPubSub } from '../../core/realtime';
import type { Logger } from '../../core/logger';

/** Messages between the primary and its workers (besides pub/sub). */
type Control = { ruche: 'listening'; port: number } | { ruche: 'failed'; message: string } | { ruche: 'stop' };

const isControl = (m: unknown): m is Control => !!m && typeof m === 'object' && ['listening', 'failed', 'stop'].includes((m as Control).ruche);

/** How many workers the config asks for (`auto`: one per core). */
export function workerCount(config: Pick<RucheConfig, 'workers'>): number {
  return config.workers === 'auto' ? Math.max(1, os.availableParallelism()) : config.workers;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A worker that lived this long resets the back-off. */
const HEALTHY_MS = 60_000;

export interface Workers {
  port: number;
  pids(): number[];
  /** Stops every worker gracefully; resolves when all have exited. */
  stop(): Promise<void>;
}

/**
 * Forks `count` workers and resolves once all listen; rejects with the first worker's
 * start-up problem (every worker is then stopped).
 */
export function startWorkers(config: RucheConfig, count: number, logger: Logger, describe: (e: unknown) => string): Promise<Workers> {
  const sqlite = config.databaseUrl.startsWith('sqlite:');
  const slots = new Map<number, { worker: Worker; since: number; delay: number }>();
  let stopping = false;
  /** Set once every worker listens: before that, a worker that stops fails the start instead. */
  let serving = false;
  let port = 0;

  const fork = (slot: number, delay: number): Worker => {
    // Only the first slot runs jobs on SQLite; a variable can only turn them off, never on.
    const env: Record<string, string> = { RUCHE_WORKER_SLOT: String(slot + 1), ...(sqlite && slot > 0 ? { RUCHE_JOBS__ENABLED: 'false' } : {}) };
    const worker = cluster.fork(env);
    relayPubSub(cluster, worker);
    slots.set(slot, { worker, since: Date.now(), delay });
    worker.on('exit', (code, signal) => {
      if (stopping || !serving || slots.get(slot)?.worker !== worker) return;
      const s = slots.get(slot)!;
      const next = Date.now() - s.since >= HEALTHY_MS ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, s.delay * 2);
      logger.error(
        { worker: slot + 1, pid: worker.process.pid, code, signal },
        `worker ${slot + 1} (pid ${worker.process.pid}) exited with ${signal ?? `code ${code}`}; restarting it in ${s.delay / 1000} s`,
      );
      setTimeout(() => {
        if (stopping) return;
        const again = fork(slot, next);
        again.on('message', (m: unknown) => {
          if (stopping) return;
          if (isControl(m) && m.ruche === 'listening')
            logger.info({ worker: slot + 1, pid: again.process.pid }, `worker ${slot + 1} restarted (pid ${again.process.pid})`);
          if (isControl(m) && m.ruche === 'failed') logger.error({ worker: slot + 1 }, `worker ${slot + 1} could not restart: ${m.message}`);
        });
      }, s.delay).unref();
    });
    return worker;
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    const live = [...slots.values()].map((s) => s.worker).filter((w) => !w.isDead());
    const exited = live.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))));
    for (const w of live) {
      if (w.isConnected()) w.send({ ruche: 'stop' } satisfies Control, undefined, () => undefined);
      else w.process.kill('SIGTERM');
    }
    // A worker that does not finish in time (requests still in flight after the timeout, or stuck) is killed.
    const killer = setTimeout(() => live.forEach((w) => !w.isDead() && w.process.kill('SIGKILL')), config.shutdownTimeoutMs + 5_000);
    killer.unref();
    await Promise.all(exited);
    clearTimeout(killer);
  };

  return new Promise<Workers>((resolve, reject) => {
    let listening = 0;
    let failed = false;
    const fail = (message: string): void => {
      if (failed) return;
      failed = true;
      void stop().then(() => reject(new Error(message)));
    };
    for (let slot = 0; slot < count; slot++) {
      const worker = fork(slot, FIRST_DELAY_MS);
      const onStartExit = (code: number | null, signal: string | null): void =>
        fail(`worker ${slot + 1} stopped before serving (${signal ?? `exit code ${code}`})`);
      worker.once('exit', onStartExit);
      worker.on('message', function onStart(m: unknown) {
        if (!isControl(m)) return;
        if (m.ruche === 'failed') {
          worker.off('exit', onStartExit);
          fail(m.message);
        } else if (m.ruche === 'listening') {
          worker.off('message', onStart);
          worker.off('exit', onStartExit);
          port = m.port;
          if (++listening === count && !failed) {
            serving = true;
            resolve({ port, pids: () => [...slots.values()].map((s) => s.worker.process.pid!).sort((a, b) => a - b), stop });
          }
        }
      });
    }
  }).catch((e: unknown) => {
    throw new Error(describe(e));
  });
}

/**
 * In a worker: builds the app, listens (on the primary's shared handle), tells the primary,
 * and serves until the primary says stop (or SIGTERM/SIGINT reaches this process too).
 * Start-up problems are sent to the primary, which reports them once.
 */
export async function serveAsWorker(config: RucheConfig, describe: (e: unknown) => string): Promise<number> {
  // Listened for from the start: a stop may come while the app is still being built.
  const stopAsked = new Promise<void>((resolve) => {
    const onStop = (): void => {
      process.off('message', onMessage);
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
      resolve();
    };
    const onMessage = (m: unknown): void => {
      if (isControl(m) && m.ruche === 'stop') onStop();
    };
    process.on('message', onMessage);
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
  });
  let server: RunningServer;
  try {
    const app = await createApp(config);
    try {
      server = await listen(app, config.port, config.host);
    } catch (e) {
      await app.close();
      throw e;
    }
  } catch (e) {
    await send({ ruche: 'failed', message: describe(e) });
    if (process.connected) process.disconnect();
    return 1;
  }
  await send({ ruche: 'listening', port: server.port });
  await stopAsked;
  await server.stop();
  if (process.connected) process.disconnect(); // the channel would keep this process alive
  return 0;
}

function send(message: Control): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}
