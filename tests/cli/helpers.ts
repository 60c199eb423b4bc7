/**
 * Running the real `ruche` binary in a fresh folder: a controlled environment (no RUCHE_*
 * from the parent, PATH kept), stdin not a terminal, output captured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'ruche.js');
export const ADMIN_FLAGS = ['--admin-email', 'admin@example.com', '--admin-password', 'correct horse battery', '--admin-username', 'admin'];

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a command sees: PATH, quiet logs, and what the test adds. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', RUCHE_LOG__LEVEL: 'warn', ...extra };
}

export function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs one command to completion (stdin closed at once, so never a TTY). */
export function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, cwd, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin!.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh empty folder removed after the test. */
export function tempDir(t: ExecutionContext, prefix = 'ruche-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Asserts a failed command: non-zero exit and exactly one `ruche: ...` line on stderr. */
export function assertOneLineError(t: ExecutionContext, r: RunResult, pattern: RegExp): void {
  t.not(r.code, 0, `expected a failure, got stdout: ${r.stdout}`);
  const lines = r.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, `expected one line on stderr, got:\n${r.stderr}`);
  t.regex(lines[0], /^ruche: /);
  t.regex(lines[0], pattern);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
}

/**
 * Writes two tiny compiled plugins into `<dir>/plugins`: `demo` (settings, one migration)
 * and `demo-extra` (depends on demo). Returns the env that points Ruche at them.
 */
export function writeTestPlugins(dir: string): Record<string, string> {
  const root = path.join(dir, 'plugins');
  const demo = path.join(root, 'demo');
  const extra = path.join(root, 'demo-extra');
  fs.mkdirSync(demo, { recursive: true });
  fs.mkdirSync(extra, { recursive: true });
  fs.writeFileSync(
    path.join(demo, 'plugin.js'),
    `'use strict';
module.exports.default = {
  id: 'demo',
  version: '1.2.3',
  name: 'Demo',
  description: 'A demo plugin for CLI tests',
  core: '*',
  settings: {
    greeting: { type: 'string', default: 'hello', label: 'Greeting', maxLength: 20 },
    limit: { type: 'number', default: 5, label: 'Limit', min: 1, max: 10, integer: true },
    mode: { type: 'choice', default: 'calm', label: 'Mode', choices: ['calm', 'busy'] },
  },
  migrations: [
    {
      name: '001_demo_items',
      up: (db) => db.schema.createTable('demo_items', (t) => { t.increments('id'); t.string('label', 50); }),
      down: (db) => db.schema.dropTable('demo_items'),
    },
  ],
};
`,
  );
  fs.writeFileSync(
    path.join(extra, 'plugin.js'),
    `'use strict';
module.exports.default = { id: 'demo-extra', version: '0.1.0', name: 'Demo extra', description: 'Needs demo', core: '*', dependsOn: ['demo'] };
`,
  );
  return { RUCHE_PLUGINS__DIRS: JSON.stringify([root]) };
}

/** Writes a child theme `slate` (parent: default) into `<dir>/themes`; returns the env pointing at it. */
export function writeTestTheme(dir: string): Record<string, string> {
  const root = path.join(dir, 'themes');
  fs.mkdirSync(path.join(root, 'slate'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'slate', 'theme.json'),
    JSON.stringify({ label: 'Slate', description: 'A test theme', parent: 'default', styles: [] }),
  );
  return { RUCHE_THEMES__DIRS: JSON.stringify([root]) };
}

/** Parses `--json` output of `plugin list`. */
export function pluginRows(stdout: string): { id: string; enabled: boolean; version: string; source: string }[] {
  return JSON.parse(stdout) as { id: string; enabled: boolean; version: string; source: string }[];
}
