/**
 * Finds plugins, loads and validates their manifests, checks core compatibility and
 * orders them by `dependsOn`. Every problem stops start-up with one coded message.
 *
 * Where plugins come from:
 *  - `<appRoot>/plugins/<id>/` and any folder in config `plugins.dirs`: source folders.
 *    The manifest module is `plugin.js` beside the sources, or, for TypeScript sources
 *    inside the app, the compiled `dist/<same path>/plugin.js`.
 *  - `node_modules/ruche-plugin-*` (in the app root and the working directory): npm
 *    packages; the manifest module is the package's `main` (or `plugin.js`).
 * Templates, i18n and assets are read from the plugin's folder itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { StartupError } from '../errors';
import { CORE_API_VERSION } from '../version';
import type { PluginManifest } from './manifest';
import { validateManifest } from './validate';
import { aliasCoreModule } from './core-alias';

export interface LoadedPlugin {
  manifest: PluginManifest;
  /** Folder holding templates/, i18n/, assets/. */
  dir: string;
  /** Module the manifest was read from. */
  entry: string;
  source: 'local' | 'npm';
}

export interface DiscoverOptions {
  appRoot: string;
  /** Extra plugin folders (each holding plugin folders). */
  dirs?: string[];
  /** Folders whose `ruche-plugin-*` packages are plugins. */
  nodeModules?: string[];
}

export interface Candidate {
  dir: string;
  entry: string;
  source: 'local' | 'npm';
}

export function discoverPlugins(options: DiscoverOptions): Candidate[] {
  const found: Candidate[] = [];
  const localRoots = [path.join(options.appRoot, 'plugins'), ...(options.dirs ?? []).map((d) => path.resolve(d))];
  for (const root of unique(localRoots)) {
    for (const name of listDirs(root)) {
      const dir = path.join(root, name);
      if (!fs.existsSync(path.join(dir, 'plugin.ts')) && !fs.existsSync(path.join(dir, 'plugin.js'))) continue;
      found.push({ dir, entry: localEntry(options.appRoot, dir), source: 'local' });
    }
  }
  for (const nm of unique(options.nodeModules ?? [path.join(options.appRoot, 'node_modules')])) {
    for (const name of listDirs(nm).filter((n) => n.startsWith('ruche-plugin-'))) {
      const dir = path.join(nm, name);
      found.push({ dir, entry: npmEntry(dir), source: 'npm' });
    }
  }
  return found;
}

function localEntry(appRoot: string, dir: string): string {
  const js = path.join(dir, 'plugin.js');
  if (fs.existsSync(js)) return js;
  const rel = path.relative(appRoot, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new StartupError('E_PLUGIN_ENTRY', `plugin folder ${dir} has plugin.ts but no compiled plugin.js; build it first`);
  }
  return path.join(appRoot, 'dist', rel, 'plugin.js');
}

function npmEntry(dir: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { main?: string };
    return path.resolve(dir, pkg.main ?? 'plugin.js');
  } catch {
    return path.join(dir, 'plugin.js');
  }
}

export function loadCandidate(c: Candidate): LoadedPlugin {
  if (!fs.existsSync(c.entry)) {
    throw new StartupError('E_PLUGIN_ENTRY', `plugin at ${c.dir}: manifest module ${c.entry} not found (run \`npm run build\`)`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = require(c.entry) as Record<string, unknown>;
  } catch (e) {
    throw new StartupError('E_PLUGIN_LOAD', `plugin at ${c.dir}: cannot load ${c.entry}: ${(e as Error).message}`);
  }
  const raw = mod.default ?? mod.plugin;
  if (!raw)
    throw new StartupError(
      'E_PLUGIN_MANIFEST',
      `plugin at ${c.dir}: ${c.entry} must export its manifest as default (export default definePlugin({...}))`,
    );
  const manifest = validateManifest(raw, c.dir);
  if (!semver.satisfies(CORE_API_VERSION, manifest.core)) {
    throw new StartupError(
      'E_PLUGIN_CORE',
      `plugin "${manifest.id}" ${manifest.version} supports core ${manifest.core}, but this core is ${CORE_API_VERSION}; upgrade or remove the plugin`,
    );
  }
  return { manifest, dir: c.dir, entry: c.entry, source: c.source };
}

/**
 * Orders plugins so each comes after its dependencies (ties by id, for stable output).
 * Refuses duplicate ids, missing dependencies and cycles, naming the plugins.
 */
export function orderPlugins(plugins: LoadedPlugin[]): LoadedPlugin[] {
  const byId = new Map<string, LoadedPlugin>();
  for (const p of plugins) {
    const prev = byId.get(p.manifest.id);
    if (prev) throw new StartupError('E_PLUGIN_DUPLICATE', `plugin id "${p.manifest.id}" is used by both ${prev.dir} and ${p.dir}`);
    byId.set(p.manifest.id, p);
  }
  for (const p of plugins) {
    for (const dep of p.manifest.dependsOn ?? []) {
      if (!byId.has(dep)) throw new StartupError('E_PLUGIN_DEPENDENCY', `plugin "${p.manifest.id}" depends on "${dep}", which is not installed`);
    }
  }
  const ordered: LoadedPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id].join(' → ');
      throw new StartupError('E_PLUGIN_CYCLE', `plugins depend on each other in a cycle: ${cycle}`);
    }
    state.set(id, 'visiting');
    for (const dep of [...(byId.get(id)!.manifest.dependsOn ?? [])].sort()) visit(dep, [...trail, id]);
    state.set(id, 'done');
    ordered.push(byId.get(id)!);
  };
  for (const id of [...byId.keys()].sort()) visit(id, []);
  return ordered;
}

/** Discovers, loads, validates and orders every plugin. */
export function loadPlugins(options: DiscoverOptions): LoadedPlugin[] {
  const candidates = discoverPlugins(options);
  aliasCoreModule(
    options.appRoot,
    candidates.flatMap((c) => [c.dir, path.dirname(c.entry)]),
  );
  return orderPlugins(candidates.map(loadCandidate));
}

function listDirs(root: string): string[] {
  try {
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

const unique = (xs: string[]): string[] => [...new Set(xs.map((x) => path.resolve(x)))];
