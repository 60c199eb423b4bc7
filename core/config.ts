/**
 * Loads and validates configuration: defaults → config file → environment.
 * Any problem stops start-up with one line naming the key and what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configSchema, ENV_ALIASES, type ConfigInput, type RucheConfig } from '../config/schema';
import { StartupError } from './errors';

export type { RucheConfig, ConfigInput };

export interface LoadConfigOptions {
  /** Working directory that relative paths are resolved from (default: process.cwd()). */
  cwd?: string;
  /** Environment to read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Explicit config file; default `RUCHE_CONFIG` or `<cwd>/config/local.json` when it exists. */
  file?: string;
  /** Values that win over everything (used by CLI flags and tests). */
  overrides?: ConfigInput;
}

/** Where the install's config file lives for this working directory and environment. */
export function configFilePath(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(cwd, env.RUCHE_CONFIG || path.join('config', 'local.json'));
}

export function loadConfig(options: LoadConfigOptions = {}): RucheConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = options.file ? path.resolve(cwd, options.file) : configFilePath(cwd, env);
  let fromFile: Record<string, unknown> = {};
  let configFile: string | undefined;
  if (fs.existsSync(file)) {
    configFile = file;
    fromFile = readJsonObject(file);
  } else if (options.file || env.RUCHE_CONFIG) {
    throw new StartupError('E_CONFIG', `config file ${file} does not exist`);
  }
  const merged = deepMerge(deepMerge(fromFile, envToConfig(env)), (options.overrides ?? {}) as Record<string, unknown>);
  return validateConfig(merged, cwd, configFile);
}

/** Validates a raw object and fills in derived values. Throws StartupError(E_CONFIG). */
export function validateConfig(raw: unknown, cwd = process.cwd(), configFile?: string): RucheConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.length ? issue.path.join('.') : describeUnknownKeys(issue);
    const where = configFile ? ` (${path.relative(cwd, configFile) || configFile})` : '';
    throw new StartupError('E_CONFIG', `invalid configuration${where}: ${key}: ${issue.message}`);
  }
  const c = result.data;
  const dataDir = path.resolve(cwd, c.dataDir);
  const displayHost = c.host === '0.0.0.0' || c.host === '::' || c.host === '127.0.0.1' ? 'localhost' : c.host;
  const siteUrl = (c.siteUrl ?? `http://${displayHost}:${c.port}`).replace(/\/+$/, '');
  let databaseUrl = c.databaseUrl ?? `sqlite:${path.join(dataDir, 'ruche.sqlite')}`;
  if (databaseUrl.startsWith('sqlite:')) {
    const p = databaseUrl.slice('sqlite:'.length);
    databaseUrl = `sqlite:${p === ':memory:' ? p : path.resolve(cwd, p)}`;
  }
  if (!c.secret) {
    throw new StartupError('E_CONFIG', 'invalid configuration: secret: missing (run `ruche install`, or set RUCHE_SECRET to 32+ random characters)');
  }
  const plugins = { dirs: c.plugins.dirs.map((d) => path.resolve(cwd, d)) };
  const themes = { dirs: c.themes.dirs.map((d) => path.resolve(cwd, d)) };
  // Known hosts: an explicit list wins; else the host of a configured site URL; else any
  // host (a fresh `npm start`, tests). Network hosts and loopback are always accepted
  // (core/http/network.ts).
  const allowedHosts = c.allowedHosts ?? (c.siteUrl ? [new URL(siteUrl).hostname.toLowerCase()] : ['*']);
  const backup = { ...c.backup, dir: path.resolve(cwd, c.backup.dir ?? path.join(dataDir, 'backups')) };
  const config: RucheConfig = { ...c, dataDir, siteUrl, databaseUrl, secret: c.secret, plugins, themes, configFile, allowedHosts, backup };
  validated.add(config);
  return config;
}

const validated = new WeakSet<object>();

/** Whether a value came out of validateConfig (and so needs no further checking). */
export const isValidatedConfig = (c: unknown): c is RucheConfig => typeof c === 'object' && c !== null && validated.has(c);

function describeUnknownKeys(issue: { message: string; keys?: string[] }): string {
  return issue.keys?.length ? issue.keys.join(', ') : '(root)';
}

function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StartupError('E_CONFIG', `cannot read config file ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StartupError('E_CONFIG', `config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new StartupError('E_CONFIG', `config file ${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

const topLevelKeys = new Set(Object.keys(configSchema.shape));

/**
 * `RUCHE_SITE_URL` → siteUrl, `RUCHE_LOG__LEVEL` → log.level (double underscore nests),
 * `PORT`/`HOST` → port/host. Variables that name no config key are ignored
 * (RUCHE_CONFIG, RUCHE_TEST_* ...). Values that parse as JSON arrays are arrays.
 */
export function envToConfig(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || raw === '') continue;
    let keyPath: string[] | undefined;
    if (ENV_ALIASES[name]) keyPath = [ENV_ALIASES[name]];
    else if (name.startsWith('RUCHE_')) keyPath = name.slice(6).split('__').map(camel);
    if (!keyPath || !topLevelKeys.has(keyPath[0])) continue;
    let value: unknown = raw;
    if (raw.startsWith('[')) {
      try {
        value = JSON.parse(raw);
      } catch {
        /* keep the string; validation will say what is wrong */
      }
    } else if (raw === 'true' || raw === 'false') {
      value = raw === 'true';
    }
    let target = out;
    for (const k of keyPath.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
    target[keyPath[keyPath.length - 1]] = value;
  }
  return out;
}

const camel = (s: string): string => s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Writes an install's config file (creating its folder), readable by its owner only. */
export function writeConfigFile(file: string, values: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(values, null, 2) + '\n', { mode: 0o600 });
}
