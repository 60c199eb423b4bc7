/**
 * `createApp(config)`: a Koa app with its own container, hook bus, templates and database.
 *
 * Middleware, outermost first: error boundary → security headers → request id + log →
 * static assets → network resolution → session/viewer → CSRF → body parser → locale →
 * usage charter → routes (core, then enabled plugins) → 404.
 */
import Koa from 'koa';
import { isValidatedConfig, loadConfig, type ConfigInput, type RucheConfig } from './config';
import { boot, openBase, type BootOptions, type OpenOptions } from './kernel';
import type { Runtime } from './runtime';
import { errorBoundary } from './http/error-boundary';
import { securityHeaders } from './http/security-headers';
import { requestLog } from './http/request-log';
import { staticAssets } from './http/static';
import { networkResolution } from './http/network';
import { sessionViewer } from './http/session';
import { csrf, csrfExemptions } from './http/csrf';
import { bodyParser } from './http/body';
import { localeResolution } from './http/locale';
import { charterGate } from './http/charter-gate';
import { buildRouter } from './http/router';
import { coreRoutes } from './routes';

export class RucheApp extends Koa {
  constructor(readonly ruche: Runtime) {
    super({ proxy: ruche.config.trustProxy, keys: [ruche.config.secret] });
    // Koa's own `ctx.ip` agrees with core/http/client-address.ts (the one Ruche reads): the
    // X-Forwarded-For entry appended by the outermost trusted proxy, not the leftmost.
    this.maxIpsCount = ruche.config.proxyHops;
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
  const router = buildRouter([
    ...coreRoutes.map((def) => ({ owner: 'core', def })),
    ...rt.plugins.list().flatMap((p) => (p.manifest.routes ?? []).map((def) => ({ owner: p.manifest.id, def }))),
  ]);
  app.use(errorBoundary(rt.logger));
  app.use(securityHeaders(https));
  app.use(requestLog(rt.logger));
  app.use(staticAssets(rt.views.themes, new Map(rt.plugins.list().map((p) => [p.manifest.id, p.dir]))));
  app.use(networkResolution(rt.networks, rt.config.allowedHosts));
  app.use(sessionViewer(rt.sessions, rt.users, rt.config.session.cookieName, rt.apiTokens));
  const unchecked = rt.plugins.list().flatMap((p) => (p.manifest.routes ?? []).filter((r) => r.csrf === false));
  app.use(csrf(rt.config.secret, rt.config.limits, csrfExemptions(unchecked)));
  app.use(bodyParser(rt.config.limits));
  app.use(localeResolution(rt.i18n));
  app.use(charterGate(rt.charters));
  app.use(router.routes());
  await rt.hooks.emit('app:ready', {});
  return app;
}
