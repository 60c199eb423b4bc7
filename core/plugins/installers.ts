/**
 * What the core does with each manifest field: ONE table, field → installer, run by `boot()`
 * over every manifest, the core's first (core/plugin.ts), then the plugins in dependency
 * order. Each installer runs for all manifests before the next one starts (every capability
 * is known before any route is checked against it; services come last, when everything they
 * may resolve is wired).
 *
 * The table is typed against `PluginManifest`: a new manifest field does not compile until it
 * has its entry here — an installer, or the sentence saying who reads it and when.
 */
import path from 'node:path';
import { StartupError } from '../errors';
import type { Runtime } from '../runtime';
import type { LoadedPlugin } from './loader';
import type { PluginManifest } from './manifest';

type Field = keyof PluginManifest;
type Installer<K extends Field> = (value: NonNullable<PluginManifest[K]>, plugin: LoadedPlugin, rt: Runtime) => void;
/** An installer, or where the field is read instead (nothing to wire at boot). */
type Entry<K extends Field> = Installer<K> | { readBy: string };

/** A manifest problem found while wiring: one coded start-up line naming the plugin. */
function refuse(plugin: LoadedPlugin, message: string): never {
  throw new StartupError('E_PLUGIN_MANIFEST', `plugin "${plugin.manifest.id}": ${message}`);
}

/** Runs one declaration of a manifest: a `problem` found beforehand, or the declaration's error, refuses the plugin. */
function declare(plugin: LoadedPlugin, declaration: () => void, problem?: string): void {
  if (problem) refuse(plugin, problem);
  try {
    declaration();
  } catch (e) {
    refuse(plugin, (e as Error).message);
  }
}

/** The problem with a name a plugin declares (a job kind, a webhook event) that does not start with its id and a dot. */
function unprefixed(plugin: LoadedPlugin, what: string, name: string): string | undefined {
  const id = plugin.manifest.id;
  return name.startsWith(`${id}.`) ? undefined : `${what} "${name}" must start with "${id}."`;
}

const INSTALLERS: { [K in Field]-?: Entry<K> } = {
  id: { readBy: 'the loader (validation, ordering) and everything keyed by plugin' },
  version: { readBy: 'the admin pages and `ruche plugin list`' },
  name: { readBy: 'the admin pages and `ruche plugin list`' },
  description: { readBy: 'the admin pages and `ruche plugin list`' },
  core: { readBy: 'the loader, which refuses an incompatible plugin' },
  dependsOn: { readBy: 'the loader (order, missing dependencies, cycles) and PluginState (enable/disable)' },
  integrations: { readBy: 'the loader (validation); the plugins named are reached through their hooks, which run where they are enabled' },
  defaultEnabled: { readBy: '`ruche install` and PluginState' },
  migrations: { readBy: 'the migrator, before boot (`registry.owners`, the core first)' },
  settings: { readBy: 'PluginState (`settings`, `configure`) and the admin pages' },
  settingsRights: { readBy: '`scopes.ofPluginSettings`, by the admin pages' },
  entities: { readBy: '`registry.entityType` (the access model and panels)' },
  pieces: { readBy: '`registry.pieceKind` (core/content/pieces.ts: the moderation of comments, replies, messages)' },
  searchAttached: { readBy: 'a search index (the bundled `search` plugin reads it when indexing an entity)' },
  menus: { readBy: '`buildMenu`, per request, for the plugins enabled in the network' },
  templatesDir: { readBy: 'the `templates` installer' },
  seed: { readBy: '`ruche seed` only (seeding/seeder.ts loads it lazily); the app never does' },
  permissions: (defs, plugin, rt) => declare(plugin, () => rt.permissions.register(plugin.manifest.id, defs)),
  routes: (defs, plugin, rt) => {
    for (const r of defs) {
      if (rt.routes.get(r.name)) refuse(plugin, `route name ${r.name} is already used`);
      if (r.capability && !rt.permissions.has(r.capability)) refuse(plugin, `route ${r.name} requires unknown capability "${r.capability}"`);
      rt.routes.add({ name: r.name, method: r.method, path: r.path, owner: plugin.manifest.id, def: r });
    }
  },
  i18n: (dir, plugin, rt) => rt.i18n.loadDir(path.join(plugin.dir, dir), `plugin "${plugin.manifest.id}"`),
  templates: (names, plugin, rt) =>
    rt.views.addTemplates({ id: plugin.manifest.id, dir: path.join(plugin.dir, plugin.manifest.templatesDir ?? 'templates'), names }),
  hooks: (list, plugin, rt) => {
    for (const h of list) {
      const opts = { ...h.options, pluginId: plugin.manifest.id };
      if (h.kind === 'event') rt.hooks.on(h.name, h.handler as never, opts);
      else rt.hooks.addFilter(h.name, h.handler as never, opts);
    }
  },
  jobs: (defs, plugin, rt) => {
    for (const j of defs) declare(plugin, () => rt.jobs.define(j, plugin.manifest.id), unprefixed(plugin, 'job kind', j.kind));
  },
  sockets: (defs, plugin, rt) => {
    for (const s of defs) {
      const unknown =
        s.capability && !rt.permissions.has(s.capability) ? `socket ${s.path} requires unknown capability "${s.capability}"` : undefined;
      declare(
        plugin,
        () => rt.sockets.add(s.path, s.handler, { plugin: plugin.manifest.id, capability: s.capability, outsiders: s.outsiders }),
        unknown,
      );
    }
  },
  webhooks: (defs, plugin, rt) => {
    for (const w of defs) declare(plugin, () => rt.webhooks.declare(w, plugin.manifest.id), unprefixed(plugin, 'webhook event', w.event));
  },
  services: (register, _plugin, rt) => register(rt.container),
};

/** Wires every manifest into the app, field by field, in the table's order. */
export function installManifests(plugins: readonly LoadedPlugin[], rt: Runtime): void {
  for (const [field, entry] of Object.entries(INSTALLERS) as [Field, Entry<Field>][]) {
    if (typeof entry !== 'function') continue;
    for (const plugin of plugins) {
      const value = plugin.manifest[field];
      if (value !== undefined) (entry as Installer<Field>)(value as never, plugin, rt);
    }
  }
}

/** The fields of the table, in order, and whether each is wired at boot (docs and tests). */
export function installerFields(): { field: Field; installed: boolean }[] {
  return (Object.entries(INSTALLERS) as [Field, Entry<Field>][]).map(([field, entry]) => ({ field, installed: typeof entry === 'function' }));
}
