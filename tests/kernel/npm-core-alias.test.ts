/** A plugin installed from npm gets the running core from `require('ruche')`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { loadPlugins } from '../../core/plugins/loader';
import { CORE_API_VERSION, HttpError } from '../../core';
import { REPO_ROOT } from '../helpers/app';

test("an npm plugin's require('ruche') is the running core", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-npm-'));
  const pkg = path.join(dir, 'node_modules', 'ruche-plugin-probe');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'ruche-plugin-probe', main: 'index.js' }));
  fs.writeFileSync(
    path.join(pkg, 'index.js'),
    `const core = require('ruche');
     module.exports.default = core.definePlugin({ id: 'probe', version: '1.0.0', name: 'Probe', description: core.CORE_API_VERSION, core: '^1.0.0' });
     module.exports.HttpError = core.HttpError;`,
  );
  const plugins = loadPlugins({ appRoot: REPO_ROOT, nodeModules: [path.join(dir, 'node_modules')] });
  const probe = plugins.find((p) => p.manifest.id === 'probe');
  t.truthy(probe);
  t.is(probe!.manifest.description, CORE_API_VERSION);
  t.is(require(path.join(pkg, 'index.js')).HttpError, HttpError, 'the very same module instance, not a copy');
  fs.rmSync(dir, { recursive: true, force: true });
});
