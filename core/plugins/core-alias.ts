/**
 * Lets plugins installed from npm (`node_modules/ruche-plugin-*`) `require('ruche')` and get
 * the running core, whether Ruche itself was cloned (its package is the app root, not a
 * dependency) or installed. Only the bare name `ruche` and `ruche/...` are redirected, to the
 * app root's package; every other request resolves as usual.
 */
import Module from 'node:module';
import path from 'node:path';

type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
const M = Module as unknown as { _resolveFilename: Resolve };
let installedFor: string | undefined;

export function aliasCoreModule(appRoot: string): void {
  if (installedFor === appRoot) return;
  const previous = installedFor === undefined ? M._resolveFilename : undefined;
  installedFor = appRoot;
  if (!previous) return; // already wrapped: the wrapper reads `installedFor`
  M._resolveFilename = function (request, parent, isMain, options) {
    if (installedFor && (request === 'ruche' || request.startsWith('ruche/'))) {
      const target =
        request === 'ruche' ? path.join(installedFor, 'dist', 'core', 'index.js') : path.join(installedFor, request.slice('ruche/'.length));
      return previous.call(this, target, parent, isMain, options);
    }
    return previous.call(this, request, parent, isMain, options);
  };
}
