/**
 * Builds the runtime of one Ruche instance in two steps:
 *  - `openBase(config)`: logger, database, plugins (loaded, validated, ordered), migrator:
 *    enough for `migrate`, `install` and `doctor`, on a database that may be empty;
 *  - `boot(base)`: everything else (networks, plugin state, permissions, i18n, views, hooks),
 *    which needs the schema to be up to date.
 * Every problem found here stops start-up with one coded line (StartupError).
 */
import path from 'node:path';
import type { RucheConfig } from './config';
import { connectDatabase, dialectOf } from './db/database';
import { Migrator } from './db/migrator';
import { StartupError } from './errors';
import { HookBus } from './hooks/bus';
import { createLogger, type Logger } from './logger';
import { loadPlugins } from './plugins/loader';
import { PluginRegistry } from './plugins/registry';
import { PluginState } from './plugins/state';
import { Permissions } from './auth/permissions';
import { Networks } from './networks';
import { Users } from './auth/users';
import { PASSWORD_PARAMS_COST, passwordParams } from './auth/passwords';
import { Sessions } from './auth/sessions';
import { Suspensions } from './auth/suspensions';
import { NetworkBans } from './members/bans';
import { Bots } from './members/bots';
import { Avatars } from './content/avatars';
import { BackgroundWork } from './background';
import { I18n } from './i18n/i18n';
import { ViewEngine } from './views/engine';
import { Markdown } from './views/markdown';
import { PluginHandles } from './plugins/handle';
import { discoverThemes } from './views/themes';
import { AssetResolver } from './views/assets';
import { RouteTable } from './http/route-table';
import { SetupService } from './setup/setup-service';
import { Access } from './access/access';
import { Scopes } from './access/scope';
import { LoginThrottle } from './auth/throttle';
import { ApiRateLimit, rateStoreOf } from './http/api/rate-limit';
import { ApiTokens } from './auth/api-tokens';
import { Mailer } from './mail/mailer';
import { AuthLinks } from './auth/links';
import { Registration } from './auth/registration';
import { ExternalAccounts } from './auth/external-accounts';
import { Charters } from './auth/charter';
import { createStorage } from './storage';
import { createAppContainer } from './container';
import { Entities } from './content/entities';
import { Mentions } from './content/mentions';
import { Webhooks } from './webhooks/webhooks';
import { Containers } from './content/containers';
import { ActivityLog } from './content/activity-log';
import { AuditLog } from './audit/audit-log';
import { Jobs } from './jobs/runner';
import { createPubSub, SocketRoutes } from './realtime';
import { Caches } from './cache/caches';
import { FragmentCache } from './cache/fragments';
import { coreMigrationOwner, loadedCore } from './plugin';
import { installManifests } from './plugins/installers';
import type { BaseRuntime, Runtime } from './runtime';

/** The folder holding package.json, core/, plugins/, themes/ (dist/core/.. /..). */
export const APP_ROOT = path.resolve(__dirname, '..', '..');

export interface OpenOptions {
  appRoot?: string;
  /** Where `node_modules/ruche-plugin-*` are also looked for (default: the working directory). */
  cwd?: string;
  logger?: Logger;
}

/** The plugins of an install: `plugins/`, config `plugins.dirs`, and `ruche-plugin-*` packages. */
export function loadInstancePlugins(config: RucheConfig, options: { appRoot?: string; cwd?: string } = {}): PluginRegistry {
  const appRoot = options.appRoot ?? APP_ROOT;
  const cwd = options.cwd ?? process.cwd();
  return new PluginRegistry(
    loadPlugins({ appRoot, dirs: config.plugins.dirs, nodeModules: [path.join(appRoot, 'node_modules'), path.join(cwd, 'node_modules')] }),
    loadedCore(appRoot),
  );
}

export async function openBase(config: RucheConfig, options: OpenOptions = {}): Promise<BaseRuntime> {
  const appRoot = options.appRoot ?? APP_ROOT;
  const logger = options.logger ?? createLogger(config);
  const plugins = loadInstancePlugins(config, { appRoot, cwd: options.cwd });
  const db = await connectDatabase(config.databaseUrl);
  return {
    config,
    appRoot,
    logger,
    db,
    dialect: dialectOf(config.databaseUrl),
    plugins,
    migrator: new Migrator(db, coreMigrationOwner),
    close: () => db.destroy(),
  };
}

export interface BootOptions {
  /** Apply pending migrations (core and enabled plugins) instead of refusing to start. */
  migrate?: boolean;
}

export async function boot(base: BaseRuntime, options: BootOptions = {}): Promise<Runtime> {
  const { db, migrator, plugins, logger, config, appRoot } = base;
  if (options.migrate) await migrator.latest();
  if (!(await migrator.isInstalled())) {
    throw new StartupError('E_NOT_INSTALLED', 'the database has no Ruche schema yet; run `ruche install` (or `ruche migrate`)');
  }
  const themes = discoverThemes([path.join(appRoot, 'themes'), ...config.themes.dirs]);
  if (!themes.has('default')) throw new StartupError('E_THEME', 'the "default" theme is missing from themes/');
  const missingThemes = new Set<string>();
  const themeOf = (stored: string): string => {
    if (themes.has(stored)) return stored;
    if (!missingThemes.has(stored)) logger.warn(`theme "${stored}" is not installed; falling back to "default"`);
    missingThemes.add(stored);
    return 'default';
  };
  // Every in-memory copy of what rarely changes is a cache: versions are read before the
  // copies, so a change made in between is reloaded at the first poll.
  const caches = new Caches(db, logger);
  const networks = new Networks(db, caches, themeOf);
  let pluginState!: PluginState;
  const hooks = new HookBus(logger, (pluginId, networkId) => pluginState.isEnabled(pluginId, networkId ?? networks.root().id));
  await caches.init();
  await networks.load();
  const rootId = networks.root().id;
  pluginState = new PluginState(db, plugins, migrator, rootId, caches, hooks);
  await pluginState.load();
  const owners = plugins.owners(pluginState.enabledAnywhereIds());
  if (options.migrate) await migrator.latest(owners);
  const pending = await migrator.pending(owners);
  if (pending.length) {
    throw new StartupError(
      'E_MIGRATIONS_PENDING',
      `migrations are pending (${pending.map((p) => `${p.owner}: ${p.names.length}`).join(', ')}); run \`ruche migrate\``,
    );
  }

  // The services start empty; the manifests (the core's first) fill them below.
  const permissions = new Permissions(rootId, caches, db);
  const routes = new RouteTable();
  const i18n = new I18n();
  const markdown = new Markdown();
  const views = new ViewEngine(
    [],
    themes,
    i18n,
    markdown,
    new FragmentCache({ enabled: config.cache.fragments, maxBytes: config.cache.fragmentBytes }, i18n),
  );

  const assets = new AssetResolver(new Map(plugins.list().map((p) => [p.manifest.id, p.dir])));
  const pubsub = createPubSub(config, db, logger);
  const users = new Users(db, rootId, pubsub, hooks, passwordParams(config.passwords.cost));
  if (config.passwords.cost < PASSWORD_PARAMS_COST) {
    logger.warn(
      { cost: config.passwords.cost },
      `passwords.cost is below ${PASSWORD_PARAMS_COST}: new password hashes are weaker than the default (meant for test suites)`,
    );
  }
  const sessions = new Sessions(db, config.session, pubsub);
  const audit = new AuditLog(db);
  const setup = new SetupService(db, users, networks);

  const access = new Access(db, networks);
  const jobs = new Jobs(db, logger);
  const background = new BackgroundWork();
  const mailer = new Mailer(config, logger, views, i18n);
  caches.attach(pubsub);
  const throttle = new LoginThrottle(db, { ...config.login, windowMs: config.login.windowMinutes * 60_000 });
  const pluginHandles = new PluginHandles(plugins, pluginState, jobs, logger);
  const storage = createStorage(config);
  const partial: Omit<Runtime, 'container' | 'registration' | 'externalAccounts' | 'containers' | 'mentions' | 'webhooks'> = {
    ...base,
    hooks,
    pluginState,
    permissions,
    networks,
    users,
    sessions,
    i18n,
    views,
    routes,
    assets,
    setup,
    access,
    scopes: new Scopes(permissions, networks),
    throttle,
    apiTokens: new ApiTokens(db),
    apiRateLimit: new ApiRateLimit(config.api.requestsPerMinute, rateStoreOf(config), db),
    mailer,
    links: new AuthLinks(db),
    charters: new Charters(db),
    storage,
    avatars: new Avatars(db, storage, background),
    entities: new Entities(db),
    activity: new ActivityLog(db, access),
    audit,
    suspensions: new Suspensions(db, audit, pubsub),
    bans: new NetworkBans(db, pubsub),
    bots: new Bots(db),
    jobs,
    background,
    pubsub,
    sockets: new SocketRoutes(),
    markdown,
    pluginHandles,
    plugin: (id) => pluginHandles.for(id),
    caches,
    close: async () => {
      await hooks.emit('app:closing', {});
      await background.settled();
      await jobs.stop();
      await caches.stop();
      await pubsub.close();
      mailer.close();
      storage.close?.();
      await base.close();
    },
  };
  const runtime = { ...partial } as Runtime;
  runtime.registration = new Registration(runtime);
  runtime.externalAccounts = new ExternalAccounts(runtime);
  runtime.containers = new Containers(runtime);
  runtime.mentions = new Mentions(runtime);
  runtime.webhooks = new Webhooks(runtime);
  runtime.container = createAppContainer(runtime);
  hooks.attach(runtime);
  jobs.attach(runtime);
  installManifests(plugins.manifests(), runtime);
  // Themes' own strings (`theme.<name>.*`), then every theme in use compiled once.
  for (const t of themes.values()) i18n.loadDir(path.join(t.dir, 'i18n'), `theme "${t.name}"`);
  await permissions.loadGrants(db);
  for (const theme of new Set(networks.all().map((n) => n.theme))) views.compile(theme);
  return runtime;
}
