/**
 * Typed injection tokens. Services are registered in each app's own child container and
 * injected by token (`@inject(Tokens.Entities) entities: Entities`), never through emitted
 * type metadata. Each token carries the type it resolves to: `resolve(container,
 * Tokens.Entities)` is an `Entities`, and registering a value of another type under it does
 * not compile (`bindRuntime` below).
 */
import 'reflect-metadata';
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { Runtime } from './runtime';
import type { PluginHandles } from './plugins/handle';

declare const resolvesTo: unique symbol;
/** An injection token that resolves to a `T`. */
export type Token<T> = symbol & { readonly [resolvesTo]?: T };
const token = <T>(name: string): Token<T> => Symbol.for(`ruche.${name}`) as Token<T>;

export const Tokens = {
  Config: token<Runtime['config']>('Config'),
  Logger: token<Runtime['logger']>('Logger'),
  Db: token<Runtime['db']>('Db'),
  Dialect: token<Runtime['dialect']>('Dialect'),
  Hooks: token<Runtime['hooks']>('Hooks'),
  Plugins: token<Runtime['plugins']>('Plugins'),
  PluginState: token<Runtime['pluginState']>('PluginState'),
  /** Per-plugin handles (`handles.for('blogs')`: its settings, child logger, jobs). */
  PluginHandles: token<PluginHandles>('PluginHandles'),
  Permissions: token<Runtime['permissions']>('Permissions'),
  Networks: token<Runtime['networks']>('Networks'),
  Users: token<Runtime['users']>('Users'),
  Sessions: token<Runtime['sessions']>('Sessions'),
  I18n: token<Runtime['i18n']>('I18n'),
  Views: token<Runtime['views']>('Views'),
  Routes: token<Runtime['routes']>('Routes'),
  Access: token<Runtime['access']>('Access'),
  Scopes: token<Runtime['scopes']>('Scopes'),
  Storage: token<Runtime['storage']>('Storage'),
  Avatars: token<Runtime['avatars']>('Avatars'),
  Mailer: token<Runtime['mailer']>('Mailer'),
  Entities: token<Runtime['entities']>('Entities'),
  Activity: token<Runtime['activity']>('Activity'),
  Containers: token<Runtime['containers']>('Containers'),
  Mentions: token<Runtime['mentions']>('Mentions'),
  Jobs: token<Runtime['jobs']>('Jobs'),
  Background: token<Runtime['background']>('Background'),
  PubSub: token<Runtime['pubsub']>('PubSub'),
  Sockets: token<Runtime['sockets']>('Sockets'),
  Caches: token<Runtime['caches']>('Caches'),
  Links: token<Runtime['links']>('Links'),
  /** The app's own container, for a service resolving another plugin's service lazily. */
  Container: token<DependencyContainer>('Container'),
  /** The whole runtime, for core code that hands it on; plugin services name what they use (`registerService`). */
  Runtime: token<Runtime>('Runtime'),
} as const;

/** The value registered under `t` in `container`, typed. */
export function resolve<T>(container: DependencyContainer, t: Token<T>): T {
  return container.resolve<T>(t);
}

/** The runtime fields that have a token of the same name, case aside (`db` → `Tokens.Db`, `pubsub` → `Tokens.PubSub`). */
export type ServiceName = { [R in keyof Runtime]: Lowercase<R> extends Lowercase<keyof typeof Tokens> ? R : never }[keyof Runtime];
const tokenByName = new Map<string, Token<unknown>>(Object.entries(Tokens).map(([k, t]) => [k.toLowerCase(), t]));
const tokenOf = (name: ServiceName): Token<unknown> => tokenByName.get(name.toLowerCase())!;

/** The named services of this app, typed: `services(c, ['db', 'hooks'])` is a `Pick<Runtime, 'db' | 'hooks'>`. */
export function services<K extends ServiceName>(container: DependencyContainer, names: readonly K[]): Pick<Runtime, K> {
  return Object.fromEntries(names.map((n) => [n, container.resolve(tokenOf(n))])) as Pick<Runtime, K>;
}

/**
 * Registers a plugin's service once per app, built from the core services it names in its
 * static `uses` list and no others: `static readonly uses = ['db', 'hooks'] as const;
 * constructor(private readonly rt: Pick<Runtime, (typeof X.uses)[number]>)`, then
 * `registerService(container, X)` in the manifest's `services()`.
 */
export function registerService<T, K extends ServiceName>(
  container: DependencyContainer,
  Service: { new (rt: Pick<Runtime, K>): T; readonly uses: readonly K[] },
): void {
  container.register(Service, { useFactory: instanceCachingFactory((c) => new Service(services(c, Service.uses))) });
}

function bind<T>(c: DependencyContainer, t: Token<T>, value: T): void {
  c.registerInstance(t, value);
}

/** A fresh child container holding this app's services under their tokens. */
export function createAppContainer(rt: Runtime): DependencyContainer {
  const c = rootContainer.createChildContainer();
  bind(c, Tokens.Config, rt.config);
  bind(c, Tokens.Logger, rt.logger);
  bind(c, Tokens.Db, rt.db);
  bind(c, Tokens.Dialect, rt.dialect);
  bind(c, Tokens.Hooks, rt.hooks);
  bind(c, Tokens.Plugins, rt.plugins);
  bind(c, Tokens.PluginState, rt.pluginState);
  bind(c, Tokens.PluginHandles, rt.pluginHandles);
  bind(c, Tokens.Permissions, rt.permissions);
  bind(c, Tokens.Networks, rt.networks);
  bind(c, Tokens.Users, rt.users);
  bind(c, Tokens.Sessions, rt.sessions);
  bind(c, Tokens.I18n, rt.i18n);
  bind(c, Tokens.Views, rt.views);
  bind(c, Tokens.Routes, rt.routes);
  bind(c, Tokens.Access, rt.access);
  bind(c, Tokens.Scopes, rt.scopes);
  bind(c, Tokens.Storage, rt.storage);
  bind(c, Tokens.Avatars, rt.avatars);
  bind(c, Tokens.Mailer, rt.mailer);
  bind(c, Tokens.Entities, rt.entities);
  bind(c, Tokens.Activity, rt.activity);
  bind(c, Tokens.Containers, rt.containers);
  bind(c, Tokens.Mentions, rt.mentions);
  bind(c, Tokens.Jobs, rt.jobs);
  bind(c, Tokens.Background, rt.background);
  bind(c, Tokens.PubSub, rt.pubsub);
  bind(c, Tokens.Sockets, rt.sockets);
  bind(c, Tokens.Caches, rt.caches);
  bind(c, Tokens.Links, rt.links);
  bind(c, Tokens.Container, c);
  bind(c, Tokens.Runtime, rt);
  return c;
}
