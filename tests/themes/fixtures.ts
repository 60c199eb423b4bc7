/**
 * Throwaway plugins and themes for view tests, written into a temp folder that config
 * `plugins.dirs` / `themes.dirs` point at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes `files` (relative path → content) under `root`. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export interface Fixtures {
  pluginsDir: string;
  themesDir: string;
  cleanup(): void;
}

/** A temp folder holding `plugins/` and `themes/`, filled with `files` (paths relative to it). */
export function makeFixtures(files: Record<string, string>): Fixtures {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-views-'));
  fs.mkdirSync(path.join(root, 'plugins'));
  fs.mkdirSync(path.join(root, 'themes'));
  writeTree(root, files);
  return {
    pluginsDir: path.join(root, 'plugins'),
    themesDir: path.join(root, 'themes'),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** A plain-JS plugin manifest module (`plugin.js`); `extra` is spliced in as JS source. */
export function pluginJs(id: string, extra: string): string {
  return `exports.default = { id: ${JSON.stringify(id)}, version: '1.0.0', name: 'x', description: 'x', core: '^1.0.0', defaultEnabled: true, ${extra} };\n`;
}
