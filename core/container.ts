/**
 * Injection tokens. Services are registered in each app's own child container and
 * injected by token (`@inject(Tokens.Db)`), never through emitted type metadata.
 */
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { Runtime } from './runtime';

export const Tokens = {
  Config: Symbol.for('ruche.Config'),
  Logger: Symbol.for('ruche.Logger'),
  Db: Symbol.for('ruche.Db'),
  Hooks: Symbol.for('ruche.Hooks'),
  Plugins: Symbol.for('ruche.Plugins'),
  PluginState: Symbol.for('ruche.PluginState'),
  Permissions: Symbol.for('ruche.Permissions'),
  Networks: Symbol.for('ruche.Networks'),
  Users: Symbol.for('ruche.Users'),
  Sessions: Symbol.for('ruche.Sessions'),
  I18n: Symbol.for('ruche.I18n'),
  Views: Symbol.for('ruche.Views'),
  Routes: Symbol.for('ruche.Routes'),
  Access: Symbol.for('ruche.Access'),
  Scopes: Symbol.for('ruche.Scopes'),
  Storage: Symbol.for('ruche.Storage'),
  /** The whole runtime, for services that use many of its parts (entities, activity, jobs...). */
  Runtime: Symbol.for('ruche.Runtime'),
} as const;

/** A fresh child container holding this app's services under their tokens. */
export function createAppContainer(rt: Omit<Runtime, 'container' | 'registration'>): DependencyContainer {
  const c = rootContainer.createChildContainer();
  const values: [symbol, unknown][] = [
    [Tokens.Config, rt.config],
    [Tokens.Logger, rt.logger],
    [Tokens.Db, rt.db],
    [Tokens.Hooks, rt.hooks],
    [Tokens.Plugins, rt.plugins],
    [Tokens.PluginState, rt.pluginState],
    [Tokens.Permissions, rt.permissions],
    [Tokens.Networks, rt.networks],
    [Tokens.Users, rt.users],
    [Tokens.Sessions, rt.sessions],
    [Tokens.I18n, rt.i18n],
    [Tokens.Views, rt.views],
    [Tokens.Routes, rt.routes],
    [Tokens.Access, rt.access],
    [Tokens.Scopes, rt.scopes],
    [Tokens.Storage, rt.storage],
  ];
  for (const [token, value] of values) c.registerInstance(token, value);
  return c;
}
