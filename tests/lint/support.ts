/**
 * Running Ruche's plugin-boundary rules (tools/eslint/) through ESLint's own API, on fixture
 * trees written to a temporary folder or on the repository with its real eslint.config.mjs.
 * No database is involved: the rules read files only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../helpers/app';

/** The ESLint plugin, loaded from the source folder the real configuration uses. */
const ruche = require(path.join(REPO_ROOT, 'tools', 'eslint', 'index.cjs')) as ESLint.Plugin;

export interface Problem {
  rule: string | null;
  severity: number;
  line: number;
  message: string;
}

/** A temporary tree removed after the test: `write('plugins/a/plugin.ts', source)`. */
export function fixtureTree(t: ExecutionContext): { root: string; write(file: string, text: string): void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-lint-')));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  return {
    root,
    write(file, text) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    },
  };
}

/** A plugin manifest's source as bundled plugins write it. */
export function manifest(id: string, dependsOn: string[]): string {
  const deps = dependsOn.length ? `\n  dependsOn: [${dependsOn.map((d) => `'${d}'`).join(', ')}],` : '';
  return `import { definePlugin } from '../../core';\n\nexport default definePlugin({\n  id: '${id}',\n  version: '1.0.0',${deps}\n  routes: [],\n});\n`;
}

/** Lints `code` as the file `file` of the fixture tree with only the boundary rules on. */
export async function lintFixture(root: string, file: string, code: string, pending?: string): Promise<Problem[]> {
  const options = pending ? { root, pending } : { root };
  const config: Linter.Config = {
    files: ['**/*.{ts,js,mjs}'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { ruche },
    rules: { 'ruche/plugin-boundaries': ['error', options], 'ruche/pending-boundaries': ['warn', options] },
  };
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [config] });
  return problems(await eslint.lintText(code, { filePath: path.join(root, file) }));
}

/** Lints `code` as the file `file` of the repository with the real eslint.config.mjs. */
export async function lintRepository(file: string, code: string): Promise<Problem[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT });
  return problems(await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) }));
}

function problems(results: ESLint.LintResult[]): Problem[] {
  return results.flatMap((r) => r.messages.map((m) => ({ rule: m.ruleId, severity: m.severity, line: m.line, message: m.message })));
}

/** The boundary errors only (the real configuration also runs the recommended rules). */
export const boundaryErrors = (list: Problem[]): Problem[] => list.filter((p) => p.rule === 'ruche/plugin-boundaries');
