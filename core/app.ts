/**
 * `createApp(config)`: a Koa app with its own container, hook bus, templates and database.
 *
 * Middleware, outermost first: compression (core/http/compression.ts) → error boundary → security headers → request id + log →
 * static assets → the request gates (core/http/gates.ts: allowed host and network →
 * session/viewer → CSRF → body parser → locale → usage charter) → routes (core, then
 * enabled plugins, each behind its target gate) → 404. WebSocket upgrades run the very same
 * gates (`app.gates`, core/realtime/sockets.ts).
 */
import Koa from 'koa';
import { isValidatedConfig, loadConfig, type ConfigInput, type RucheConfig } from './config';
import { boot, openBase, type BootOptions, type OpenOptions } from './kernel';
import type { Runtime } from './runtime';
import { compression } from './http/compression';
import { errorBoundary } from './http/error-boundary';
import { securityHeaders } from './http/security-headers';
import { requestLog } from './http/request-log';
import { staticAssets } from './http/static';
import { requestGates } from './http/gates';
import { buildRouter } from './http/router';

export class RucheApp extends Koa {
  /** The gates every request and every WebSocket upgrade passes, in order (core/http/gates.ts). */
  readonly gates: Koa.Middleware[];

  constructor(readonly ruche: Runtime) {
    super({ proxy: ruche.config.trustProxy, keys: [ruche.config.secret] });
    // Koa's own `ctx.ip` agrees with core/http/client-address.ts (the one Ruche reads): the
    // X-Forwarded-For entry appended by the outermost trusted proxy, not the leftmost.
    this.maxIpsCount = ruche.config.proxyHops;
    this.gates = requestGates(ruche);
    this.context.ruche = ruche;
    this.silent = true; // errors are logged by the error boundary, with the request id
  }

  /** Closes the database; the app must not serve afterwards. */
  async close(): Promise<void> {
    await this.ruche.close();
  }
}

export type CreateAppOptions = OpenOptions & BootOptions;

/** Builds an app from a validated config, or from raw values (validated here). */
export async function createApp(config: RucheConfig | ConfigInput, options: CreateAppOptions = {}): Promise<RucheApp> {
  const cfg = isValidatedConfig(config) ? config : loadConfig({ overrides: config as ConfigInput, cwd: options.cwd, env: {}, file: undefined });
  const base = await openBase(cfg, options);
  let rt: Runtime;
  try {
    rt = await boot(base, options);
  } catch (e) {
    await base.close();
    throw e;
  }
  const app = new RucheApp(rt);
  const https = rt.config.siteUrl.startsWith('https:');
  const router = buildRouter(rt.routes.served());
  const compressing = compression(rt.config.compression);
  if (compressing) app.use(compressing);
  app.use(errorBoundary(rt.logger));
  app.use(securityHeaders(https));
  app.use(requestLog(rt.logger));
  app.use(staticAssets(rt.views.themes, new Map(rt.plugins.list().map((p) => [p.manifest.id, p.dir]))));
  for (const gate of app.gates) app.use(gate);
  app.use(router);
  await rt.hooks.emit('app:ready', {});
  return app;
}
