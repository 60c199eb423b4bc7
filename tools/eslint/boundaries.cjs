'use strict';
/**
 * The plugin-boundary rules (docs/plugins.md, "Boundaries"), derived from the manifests:
 *
 * - a file of plugin A imports values from plugin B only when B is in A's `dependsOn`
 *   closure, and only from B's contract (`api.ts`, `hooks.ts`);
 * - `import type` from another plugin only from its contract;
 * - nothing under core/ or cli/ imports from a plugin folder;
 * - files elsewhere (tests/, bench/, tools/) may import anything.
 *
 * `ruche/plugin-boundaries` reports violations, except the ones listed in the pending file
 * (violations known and being removed); `ruche/pending-boundaries` reports entries of that
 * list that no longer match a violation, so the list only shrinks.
 */
const fs = require('node:fs');
const path = require('node:path');
const { pluginsOf } = require('./manifests.cjs');

const CONTRACT = new Set(['api', 'hooks']);
const RESTRICTED = ['core', 'cli'];
const EXTENSIONS = /\.(d\.ts|ts|tsx|js|cjs|mjs)$/;

const MESSAGES = {
  outsideDeps:
    "plugin boundaries: plugin '{{from}}' imports '{{spec}}' from plugin '{{to}}', which is not in its dependsOn ({{closure}}). " +
    "Import types only (`import type` from {{to}}/api.ts or hooks.ts), add '{{to}}' to dependsOn in {{manifest}}, " +
    'or reach it through a hook or a declared optional integration.',
  notContract:
    "plugin boundaries: plugin '{{from}}' imports '{{spec}}', an internal file of plugin '{{to}}'. " +
    "Import only its contract ({{to}}/api.ts or {{to}}/hooks.ts): move what you need there (the '{{to}}' plugin exports it).",
  typeNotContract:
    "plugin boundaries: plugin '{{from}}' imports types from '{{spec}}', an internal file of plugin '{{to}}'. " +
    'Types of another plugin come from its contract only ({{to}}/api.ts or {{to}}/hooks.ts): move the type there.',
  coreImportsPlugin:
    "plugin boundaries: {{area}}/ must not import from a plugin ('{{spec}}' is in plugin '{{to}}'). " +
    'The core and the CLI reach plugins through their manifests only: use a hook, a manifest field or a core service.',
  unreadableManifest:
    "plugin boundaries: cannot read the dependsOn of plugin '{{from}}' in {{manifest}}: " +
    'write `dependsOn` as an array of string literals inside definePlugin({...}).',
  stalePending: "plugin boundaries: '{{file}}' no longer imports '{{spec}}' across a boundary: remove this entry from {{list}}.",
  stalePendingFile: "plugin boundaries: {{list}} lists '{{file}}', which no longer exists: remove its entries.",
};

const OPTIONS_SCHEMA = [
  {
    type: 'object',
    properties: {
      root: { type: 'string' },
      pending: { type: 'string' },
    },
    additionalProperties: false,
  },
];

const posix = (p) => p.split(path.sep).join('/');
const inside = (dir, file) => file === dir || file.startsWith(dir + path.sep);

/** The tolerated violations of `pending` (relative to root): a set of "file\0import" keys and the entries. */
const pendingCache = new Map();
function readPending(root, pending) {
  if (!pending) return { file: undefined, entries: [] };
  const file = path.resolve(root, pending);
  let mtime;
  try {
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return { file, entries: [] };
  }
  const cached = pendingCache.get(file);
  if (cached && cached.mtime === mtime) return cached.list;
  const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  const entries = Array.isArray(raw.pending) ? raw.pending.filter((e) => e && typeof e.file === 'string' && typeof e.import === 'string') : [];
  const list = { file, entries };
  pendingCache.set(file, { mtime, list });
  return list;
}

/** Whether an import declaration brings in types only (TypeScript erases it from the output). */
function typeOnlyImport(node) {
  if (node.importKind === 'type') return true;
  return node.specifiers.length > 0 && node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type');
}
function typeOnlyExport(node) {
  if (node.exportKind === 'type') return true;
  return node.type === 'ExportNamedDeclaration' && node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type');
}
const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined);

/**
 * Collects every module reference of a file (static and dynamic imports, re-exports,
 * `require`, `import x = require`, `import('x').T` in types) and, at the end of the file,
 * hands the crossing ones to `onDone(violations, where)`.
 */
function collect(context, onDone) {
  const refs = [];
  const add = (node, spec, typeOnly) => {
    if (spec !== undefined) refs.push({ node, spec, typeOnly });
  };
  return {
    ImportDeclaration: (node) => add(node, literal(node.source), typeOnlyImport(node)),
    ExportNamedDeclaration: (node) => node.source && add(node, literal(node.source), typeOnlyExport(node)),
    ExportAllDeclaration: (node) => add(node, literal(node.source), typeOnlyExport(node)),
    ImportExpression: (node) => add(node, literal(node.source), false),
    TSImportEqualsDeclaration: (node) =>
      node.moduleReference.type === 'TSExternalModuleReference' && add(node, literal(node.moduleReference.expression), node.importKind === 'type'),
    TSImportType: (node) => add(node, literal(node.source) ?? literal(node.argument && node.argument.literal), true),
    CallExpression: (node) =>
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments.length === 1 &&
      add(node, literal(node.arguments[0]), false),
    'Program:exit': (program) => onDone(analysed(context, program, refs)),
  };
}

/** Both rules lint the same tree of a file: analyse it once. */
const analyses = new WeakMap();
function analysed(context, program, refs) {
  if (!analyses.has(program)) analyses.set(program, analyse(context, refs));
  return analyses.get(program);
}

/** The boundary violations among a file's module references, each with its message id and data. */
function analyse(context, refs) {
  const options = context.options[0] || {};
  const root = path.resolve(options.root || context.cwd);
  const filename = path.resolve(context.filename);
  const plugins = pluginsOf(root);
  const where = { root, filename, relative: posix(path.relative(root, filename)) };
  const own = ownerOf(filename, plugins);
  const area = own ? undefined : RESTRICTED.find((dir) => inside(path.join(root, dir), filename));
  if (!own && !area) return { where, violations: [] };
  const violations = [];
  for (const ref of refs) {
    if (!ref.spec.startsWith('.') && !path.isAbsolute(ref.spec)) continue;
    const target = path.resolve(path.dirname(filename), ref.spec);
    const to = ownerOf(target, plugins);
    if (!to || (own && to.dir === own.dir)) continue;
    const data = { spec: ref.spec, to: to.id };
    if (area) {
      violations.push({ ...ref, messageId: 'coreImportsPlugin', data: { ...data, area } });
      continue;
    }
    const rest = posix(path.relative(to.dir, target)).replace(EXTENSIONS, '');
    const contract = CONTRACT.has(rest);
    const from = { from: own.id, manifest: posix(path.relative(root, own.manifest)) };
    if (ref.typeOnly) {
      if (!contract) violations.push({ ...ref, messageId: 'typeNotContract', data: { ...data, ...from } });
    } else if (!own.closure || own.dependsOn === null) {
      violations.push({ ...ref, messageId: 'unreadableManifest', data: { ...data, ...from } });
    } else if (!own.closure.has(to.id)) {
      const closure = own.closure.size ? [...own.closure].join(', ') : 'none';
      violations.push({ ...ref, messageId: 'outsideDeps', data: { ...data, ...from, closure } });
    } else if (!contract) {
      violations.push({ ...ref, messageId: 'notContract', data: { ...data, ...from } });
    }
  }
  return { where, violations };
}

/** The plugin whose folder holds `file` (a folder under a plugin root without a manifest counts as a plugin of that name). */
function ownerOf(file, plugins) {
  for (const pluginRoot of plugins.roots) {
    if (!inside(pluginRoot, file) || file === pluginRoot) continue;
    const dir = path.join(pluginRoot, path.relative(pluginRoot, file).split(path.sep)[0]);
    const plugin = plugins.byDir.get(dir);
    return plugin ?? { id: path.basename(dir), dir, manifest: path.join(dir, 'plugin.ts'), dependsOn: [], closure: new Set() };
  }
  return undefined;
}

/** A rule over the boundary violations of each linted file and the list of tolerated ones. */
function boundaryRule(type, description, check) {
  return {
    meta: { type, docs: { description }, schema: OPTIONS_SCHEMA, messages: MESSAGES },
    create(context) {
      return collect(context, ({ where, violations }) =>
        check(context, where, violations, readPending(where.root, (context.options[0] || {}).pending)),
      );
    },
  };
}

const pluginBoundaries = boundaryRule(
  'problem',
  'Imports between plugins follow dependsOn and contracts; core/ and cli/ import no plugin (docs/plugins.md, Boundaries).',
  (context, where, violations, pending) => {
    const tolerated = new Set(pending.entries.filter((e) => e.file === where.relative).map((e) => e.import));
    for (const v of violations) if (!tolerated.has(v.spec)) context.report({ node: v.node, messageId: v.messageId, data: v.data });
  },
);

const pendingBoundaries = boundaryRule(
  'suggestion',
  'The list of tolerated boundary violations names only violations that still exist.',
  (context, where, violations, pending) => {
    if (!pending.file) return;
    const list = posix(path.relative(where.root, pending.file));
    const crossing = new Set(violations.map((v) => v.spec));
    for (const e of pending.entries) {
      if (e.file === where.relative && !crossing.has(e.import)) {
        context.report({ loc: { line: 1, column: 0 }, messageId: 'stalePending', data: { file: e.file, spec: e.import, list } });
      }
    }
    // Entries of deleted files are reported once, on the lint configuration next to the list's root.
    if (/^eslint\.config\.[cm]?js$/.test(where.relative)) {
      const gone = [...new Set(pending.entries.map((e) => e.file))].filter((f) => !fs.existsSync(path.join(where.root, f)));
      for (const file of gone) context.report({ loc: { line: 1, column: 0 }, messageId: 'stalePendingFile', data: { file, list } });
    }
  },
);

module.exports = { pluginBoundaries, pendingBoundaries };
