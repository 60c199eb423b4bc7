/** Everything one app instance holds; no module-level singletons, so apps run side by side. */
import type { DependencyContainer } from 'tsyringe';
import type { RucheConfig } from './config';
import type { Db, Dialect } from './db/database';
import type { Migrator } from './db/migrator';
import type { HookBus } from './hooks/bus';
import type { Logger } from './logger';
import type { PluginRegistry } from './plugins/registry';
import type { PluginState } from './plugins/state';
import type { Permissions } from './auth/permissions';
import type { Networks } from './networks';
import type { Users } from './auth/users';
import type { Sessions } from './auth/sessions';
import type { Suspensions } from './auth/suspensions';
import type { NetworkBans } from './members/bans';
import type { Bots } from './members/bots';
import type { I18n } from './i18n/i18n';
import type { ViewEngine } from './views/engine';
import type { RouteTable } from './http/route-table';
import type { AssetResolver } from './views/assets';
import type { SetupService } from './setup/setup-service';
import type { Access } from './access/access';
import type { Scopes } from './access/scope';
import type { LoginThrottle } from './auth/throttle';
import type { ApiRateLimit } from './http/api/rate-limit';
import type { ApiTokens } from './auth/api-tokens';
import type { Mailer } from './mail/mailer';
import type { AuthLinks } from './auth/links';
import type { Registration } from './auth/registration';
import type { ExternalAccounts } from './auth/external-accounts';
import type { Charters } from './auth/charter';
import type { Storage } from './storage';
import type { Avatars } from './content/avatars';
import type { Entities } from './content/entities';
import type { Mentions } from './content/mentions';
import type { Containers } from './content/containers';
import type { ActivityLog } from './content/activity-log';
import type { AuditLog } from './audit/audit-log';
import type { BackgroundWork } from './background';
import type { Jobs } from './jobs/runner';
import type { Webhooks } from './webhooks/webhooks';
import type { PubSub, SocketRoutes } from './realtime';
import type { Caches } from './cache/caches';
import type { Markdown } from './views/markdown';
import type { PluginHandle, PluginHandles } from './plugins/handle';

/** The parts that need no installed schema: enough for `migrate`, `doctor`, `install`. */
export interface BaseRuntime {
  config: RucheConfig;
  appRoot: string;
  logger: Logger;
  db: Db;
  dialect: Dialect;
  plugins: PluginRegistry;
  migrator: Migrator;
  close(): Promise<void>;
}

export interface Runtime extends BaseRuntime {
  container: DependencyContainer;
  hooks: HookBus;
  pluginState: PluginState;
  permissions: Permissions;
  networks: Networks;
  users: Users;
  sessions: Sessions;
  /** Suspending an account with a reason and an end, reactivating it (core/auth/suspensions.ts). */
  suspensions: Suspensions;
  /** Banning a member from one network: removed, and kept from joining again (core/members/bans.ts). */
  bans: NetworkBans;
  /** Service accounts: bot members managed by a network's admins, acting through API tokens (core/members/bots.ts). */
  bots: Bots;
  i18n: I18n;
  views: ViewEngine;
  routes: RouteTable;
  assets: AssetResolver;
  setup: SetupService;
  /** The one access decision point: canSee and visibleTo. */
  access: Access;
  /** Who may act on what: `scopes.mayAct(viewer, capability, scopeOf(object))` (core/access/scope.ts). */
  scopes: Scopes;
  throttle: LoginThrottle;
  apiTokens: ApiTokens;
  /** Requests per minute of each API caller (core/http/api/rate-limit.ts). */
  apiRateLimit: ApiRateLimit;
  mailer: Mailer;
  links: AuthLinks;
  registration: Registration;
  /** Sign-in through identity providers: linking by verified address, just-in-time accounts (core/auth/external-accounts.ts). */
  externalAccounts: ExternalAccounts;
  charters: Charters;
  /** Uploaded files (local folder by default). */
  storage: Storage;
  /** Members' avatar photos: an upload checked, resized and stored, made (or no longer) their photo (core/content/avatars.ts). */
  avatars: Avatars;
  /** Content rows the access model reads, and their tags. */
  entities: Entities;
  /** `@mentions` of every kind of content: stored, notified once, linked (core/content/mentions.ts). */
  mentions: Mentions;
  /** Containers (groups...): posting policy, roles, and membership subqueries. */
  containers: Containers;
  /** The river: recorded acts, read through the access clause. */
  activity: ActivityLog;
  /** Who did what to which object, before and after: every admin and moderator action (core/audit). */
  audit: AuditLog;
  /** Persisted background jobs (scheduled publishing, digests, retries). */
  jobs: Jobs;
  /** In-process work started after a request or a commit (indexing...): closing waits for it; tests wait with `settled()`. */
  background: BackgroundWork;
  /** Webhooks: subscriptions of a network's URLs to declared events, signed deliveries retried by jobs (core/webhooks). */
  webhooks: Webhooks;
  /** Publish/subscribe between processes (in-process, or PostgreSQL LISTEN/NOTIFY). */
  pubsub: PubSub;
  /** WebSocket paths served on the app's HTTP server (authenticated by the session cookie). */
  sockets: SocketRoutes;
  /**
   * The in-memory caches of what rarely changes (networks, plugins, grants) and their
   * invalidation in every process: writers call `caches.write(name, (trx) => …)`.
   */
  caches: Caches;
  /** Member-written Markdown, rendered and sanitised, with this app's cache of recent results. */
  markdown: Markdown;
  /** Per-plugin handles (settings, child logger, jobs by the plugin's own id). */
  pluginHandles: PluginHandles;
  /** The handle of one plugin (or `core`): `rt.plugin('blogs').settings(networkId)`. */
  plugin(id: string): PluginHandle;
}
