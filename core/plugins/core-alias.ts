/**
 * Lets plugins outside the app's sources (`node_modules/ruche-plugin-*`, config
 * `plugins.dirs`) `require('ruche')` and get the running core, whether Ruche itself was
 * cloned (its package is the app root, not a dependency) or installed. Only the bare name
 * `ruche` and `ruche/...` are redirected, and only for modules inside a plugin folder the
 * loader registered: each folder gets the app root that loaded it, so apps built from
 * different roots side by side each give their plugins their own core. Node's resolver is
 * process-wide, so the hook is installed once; what it answers is keyed by plugin folder.
 */
import Module from 'node:module';
import path from 'node:path';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const M = Module as unknown as { _resolveFilename: Resolve };

/** Plugin folder (with a trailing separator) → the app root whose core it gets. */
const rootsByFolder = new Map<string, string>();
let hooked = false;

/** Registers plugin folders (and their entry modules' folders) as served by the core of `appRoot`. */
export function aliasCoreModule(appRoot: string, folders: string[]): void {
  for (const folder of folders) rootsByFolder.set(path.resolve(folder) + path.sep, appRoot);
  if (hooked) return;
  hooked = true;
  const previous = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    if (request === 'ruche' || request.startsWith('ruche/')) {
      const root = rootFor(parent);
      if (root) {
        const target = request === 'ruche' ? path.join(root, 'dist', 'core', 'index.js') : path.join(root, request.slice('ruche/'.length));
        return previous.call(this, target, parent, isMain, options);
      }
    }
    return previous.call(this, request, parent, isMain, options);
  };
}

function rootFor(parent: unknown): string | undefined {
  const file = (parent as { filename?: string } | null)?.filename;
  if (!file) return undefined;
  let best: [string, string] | undefined;
  for (const entry of rootsByFolder) if (file.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1];
}
