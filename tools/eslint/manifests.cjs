'use strict';
/**
 * Reads the plugins' manifests for the plugin-boundary rule: each plugin's id and `dependsOn`,
 * parsed from the source of `plugin.ts` (or the compiled `plugin.js` of a plugin in a config
 * `plugins.dirs` folder) without running it, so a new plugin is followed as soon as its folder
 * exists and linting never needs a build.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const MANIFEST_FILES = ['plugin.ts', 'plugin.js'];

/**
 * The folders plugins are found in: `<root>/plugins` and every `plugins.dirs` entry of the
 * install's config file (`RUCHE_CONFIG` or `config/local.json`), resolved from the root.
 * @param {string} root
 * @returns {string[]}
 */
function pluginRoots(root) {
  const roots = [path.join(root, 'plugins')];
  const configFile = path.resolve(root, process.env.RUCHE_CONFIG || path.join('config', 'local.json'));
  try {
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    const dirs = config && config.plugins && Array.isArray(config.plugins.dirs) ? config.plugins.dirs : [];
    for (const dir of dirs) if (typeof dir === 'string') roots.push(path.resolve(root, dir));
  } catch {
    // No config file (a fresh clone) or an unreadable one: the bundled plugins only.
  }
  return roots;
}

/** The callee's own name: `definePlugin`, `core.definePlugin`, or compiled `(0, core_1.definePlugin)`. */
function calleeName(expr) {
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.CommaToken) return calleeName(expr.right);
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

/** The object literal given to `definePlugin(...)` in a manifest's source, if any. */
function manifestObject(source) {
  let found;
  const visit = (node) => {
    if (found) return;
    if (ts.isCallExpression(node) && calleeName(node.expression) === 'definePlugin') {
      const arg = node.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) {
        found = arg;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function propertyNamed(object, name) {
  return object.properties.find((p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

const isText = (node) => ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);

/**
 * One plugin's manifest as the rule needs it. `dependsOn` is null when it is not written as an
 * array of string literals (the rule then says so rather than guessing).
 * @returns {{ id: string, folder: string, dir: string, manifest: string, dependsOn: string[] | null }}
 */
function readManifest(dir, manifest) {
  const folder = path.basename(dir);
  const text = fs.readFileSync(manifest, 'utf8');
  const kind = manifest.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(manifest, text, ts.ScriptTarget.ES2022, true, kind);
  const object = manifestObject(source);
  if (!object) return { id: folder, folder, dir, manifest, dependsOn: null };
  const idProp = propertyNamed(object, 'id');
  const id = idProp && isText(idProp.initializer) ? idProp.initializer.text : folder;
  const depsProp = propertyNamed(object, 'dependsOn');
  let dependsOn = [];
  if (depsProp) {
    const init = depsProp.initializer;
    dependsOn = ts.isArrayLiteralExpression(init) && init.elements.every(isText) ? init.elements.map((e) => e.text) : null;
  }
  return { id, folder, dir, manifest, dependsOn };
}

/** Every plugin folder (one holding plugin.ts or plugin.js) under the given roots, with its manifest file. */
function discover(roots) {
  const found = [];
  for (const pluginRoot of roots) {
    let entries;
    try {
      entries = fs.readdirSync(pluginRoot, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(pluginRoot, entry.name);
      const manifest = MANIFEST_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
      if (manifest) found.push({ pluginRoot, dir, manifest, mtime: fs.statSync(manifest).mtimeMs });
    }
  }
  return found;
}

const cache = new Map();

/**
 * The plugins of the tree at `root`: `byDir` (plugin folder → plugin) and `byId`, each plugin
 * with its transitive `closure` of dependencies. Re-read when a manifest appears, disappears
 * or changes (checked by modification time, so editors see changes at once).
 * @param {string} root
 */
function pluginsOf(root) {
  const roots = pluginRoots(root);
  const found = discover(roots);
  const signature = JSON.stringify([roots, found.map((f) => [f.manifest, f.mtime])]);
  const cached = cache.get(root);
  if (cached && cached.signature === signature) return cached.plugins;
  const byDir = new Map();
  const byId = new Map();
  for (const f of found) {
    const plugin = { ...readManifest(f.dir, f.manifest), pluginRoot: f.pluginRoot };
    byDir.set(f.dir, plugin);
    if (!byId.has(plugin.id)) byId.set(plugin.id, plugin);
  }
  for (const plugin of byDir.values()) plugin.closure = closureOf(plugin, byId);
  const plugins = { roots, byDir, byId };
  cache.set(root, { signature, plugins });
  return plugins;
}

/** The ids a plugin depends on, directly or through its dependencies (unknown ids kept as written). */
function closureOf(plugin, byId) {
  const seen = new Set();
  const queue = [...(plugin.dependsOn ?? [])];
  while (queue.length) {
    const id = queue.shift();
    if (seen.has(id) || id === plugin.id) continue;
    seen.add(id);
    const dep = byId.get(id);
    if (dep && dep.dependsOn) queue.push(...dep.dependsOn);
  }
  return seen;
}

module.exports = { pluginsOf, pluginRoots, readManifest };
