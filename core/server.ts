/**
 * Serving an app over HTTP with a graceful shutdown: stop accepting, let in-flight
 * requests finish (idle keep-alive connections are closed at once), then close the
 * database. After `shutdownTimeoutMs` remaining connections are cut.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import type { RucheApp } from './app';
import { attachWebSockets } from './realtime';
import { optimizeDatabase } from './db/database';

/** How often a serving process refreshes the query planner's statistics. */
const OPTIMIZE_EVERY_MS = 6 * 60 * 60 * 1000;

export interface RunningServer {
  server: http.Server;
  url: string;
  port: number;
  /** Graceful stop; resolves when connections and the database are closed. */
  stop(): Promise<void>;
}

/**
 * How far V8 lets the old generation grow past what its last full collection kept
 * (`memory.heapGrowthPercent`; 0 leaves V8's own factor). V8's own lets a server whose live
 * heap is 40 MB reach 100-120 MB of old generation before collecting (issue 18: peak RSS over
 * the bench 314 MB, 228 MB at 30%). V8 reads the flag at each collection, so setting it once
 * the process runs takes effect.
 */
export function tuneHeap(growthPercent: number): void {
  v8.setFlagsFromString(`--heap-growing-percent=${growthPercent}`);
}

export async function listen(app: RucheApp, port: number, host: string): Promise<RunningServer> {
  tuneHeap(app.ruche.config.memory.heapGrowthPercent);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  const closeSockets = attachWebSockets(server, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // A serving process follows changes made by other processes and by the CLI.
  await app.ruche.caches.watch();
  const jobsConfig = app.ruche.config.jobs;
  if (jobsConfig.enabled) app.ruche.jobs.start(jobsConfig.pollMs);
  const optimizer = setInterval(() => {
    optimizeDatabase(app.ruche.db).catch((e: unknown) => app.ruche.logger.warn({ err: e }, 'database optimize failed'));
  }, OPTIMIZE_EVERY_MS);
  optimizer.unref();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(optimizer);
      const timeout = app.ruche.config.shutdownTimeoutMs;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeSockets();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), timeout);
      timer.unref();
      await closed;
      clearTimeout(timer);
      await app.close();
    })());
  return { server, url: `http://${shownHost}:${address.port}`, port: address.port, stop };
}
