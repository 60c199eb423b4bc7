/**
 * Installing Ruche from the CLI, shared by `ruche install` and the first `ruche start`:
 * validate everything first (nothing is written on bad input), refuse to overwrite an
 * existing install unless forced, write the config file with a fresh secret, then run
 * the core install. A forced reinstall on SQLite keeps the old files as `.bak-<timestamp>`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  APP_ROOT,
  install,
  isInstalled,
  openBase,
  validateConfig,
  type BaseRuntime,
  type InstallOptions,
  type RucheConfig,
  type Runtime,
} from '../core';
import { envToConfig, writeConfigFile } from '../core/config';
import { passwordProblem } from '../core/auth/passwords';
import { isValidEmail, isValidUsername } from '../core/auth/users';
import { I18n, isLocale } from '../core/i18n/i18n';
import { CliError, rel, safeUrl } from './output';
import { quietLogger } from './context';

export interface InstallRequest {
  /** Config file to write. */
  file: string;
  databaseUrl?: string;
  dataDir?: string;
  siteName?: string;
  locale?: string;
  admin?: { email: string; password: string; username?: string };
  force?: boolean;
}

export interface InstallReport {
  file: string;
  config: RucheConfig;
  siteName: string;
  locale: string;
  plugins: string[];
  admin?: string;
  backups: string[];
}

let catalog: I18n | undefined;
/** English text of a core message key. */
export function coreText(key: string, params: Record<string, unknown> = {}): string {
  if (!catalog) {
    catalog = new I18n();
    catalog.loadDir(path.join(APP_ROOT, 'core', 'i18n'), 'core');
  }
  return catalog.t('en', key, params);
}

/** Problems with the community part of a request, as one line each (empty when fine); checked before anything is written. */
export const check = {
  siteName: (v: string): string | undefined =>
    !v.trim() ? 'site name: must not be empty' : v.length > 100 ? 'site name: must be at most 100 characters' : undefined,
  locale: (v: string): string | undefined => (isLocale(v) ? undefined : `locale: "${v}" is not available (use en or fr)`),
  email: (v: string): string | undefined => (isValidEmail(v) ? undefined : `admin email: ${coreText('core.user.error.emailFormat')}`),
  username: (v: string): string | undefined => (isValidUsername(v) ? undefined : `admin username: ${coreText('core.user.error.usernameFormat')}`),
  password: (v: string, personal: string[] = []): string | undefined => {
    const key = passwordProblem(v, personal);
    return key ? `admin password: ${coreText(key)}` : undefined;
  },
};

export function validateRequest(r: InstallRequest): void {
  const problems = [
    r.siteName !== undefined ? check.siteName(r.siteName) : undefined,
    r.locale !== undefined ? check.locale(r.locale) : undefined,
    r.admin ? check.email(r.admin.email) : undefined,
    r.admin?.username !== undefined ? check.username(r.admin.username) : undefined,
    r.admin ? check.password(r.admin.password, [r.admin.username ?? '', r.admin.email.split('@')[0]]) : undefined,
  ].filter((p): p is string => !!p);
  if (problems.length) throw new CliError(problems.map((p) => p.replace(/\.$/, '')).join('; '));
}

export const newSecret = (): string => crypto.randomBytes(48).toString('base64url');
const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

function readJsonObject(file: string): Record<string, unknown> {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    const nested = prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v);
    out[k] = nested ? merge(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** Moves a file aside as `<file>.bak-<stamp>`; returns the new name, or undefined if it did not exist. */
function backup(file: string, when: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const target = `${file}.bak-${when}`;
  fs.renameSync(file, target);
  return target;
}

/** Opens the target database when it may hold something; refuses or moves an existing install aside. */
async function openTarget(config: RucheConfig, force: boolean, backups: string[], when: string): Promise<BaseRuntime> {
  const sqliteFile = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl.slice('sqlite:'.length) : undefined;
  const open = (): Promise<BaseRuntime> => openBase(config, { logger: quietLogger(config) });
  if (sqliteFile && (sqliteFile === ':memory:' || !fs.existsSync(sqliteFile))) return open();
  let base = await open();
  try {
    if (!(await isInstalled(base))) return base;
  } catch (e) {
    await base.close();
    throw e;
  }
  await base.close();
  if (!force) throw new CliError(`the database ${safeUrl(config.databaseUrl)} already holds a Ruche installation; use --force to reinstall`);
  if (!sqliteFile) {
    throw new CliError(
      `the PostgreSQL database ${safeUrl(config.databaseUrl)} already holds a Ruche installation; even with --force, install on an empty database (create a new one or drop this one yourself)`,
    );
  }
  for (const suffix of ['', '-wal', '-shm']) {
    const moved = backup(sqliteFile + suffix, when);
    if (moved) backups.push(moved);
  }
  base = await open();
  return base;
}

/** Runs a whole install; see the file comment. */
export async function runInstall(r: InstallRequest): Promise<InstallReport> {
  validateRequest(r);
  const force = !!r.force;
  const existed = fs.existsSync(r.file);
  if (existed && !force) throw new CliError(`Ruche is already installed here (${rel(r.file)} exists); use --force to reinstall`);

  const values: Record<string, unknown> = { ...(existed ? readJsonObject(r.file) : {}), secret: newSecret() };
  if (r.databaseUrl !== undefined) values.databaseUrl = r.databaseUrl;
  if (r.dataDir !== undefined) values.dataDir = r.dataDir;
  const config = validateConfig(merge(values, envToConfig(process.env)), process.cwd(), r.file);

  const when = stamp();
  const backups: string[] = [];
  const base = await openTarget(config, force, backups, when);
  let configBackup: string | undefined;
  let rt: Runtime | undefined;
  try {
    configBackup = backup(r.file, when);
    if (configBackup) backups.push(configBackup);
    writeConfigFile(r.file, values);
    // The data folder (uploads, the local store) exists from the install on, as after a first start;
    // `ruche doctor` reports a missing one rather than creating it.
    fs.mkdirSync(config.dataDir, { recursive: true });
    const options: InstallOptions = { siteName: r.siteName, locale: r.locale, admin: r.admin };
    rt = await install(base, options);
    const root = rt.networks.root();
    const admin: { username: string; email: string } | undefined = r.admin
      ? await rt.db('users').where({ is_root_admin: true }).orderBy('id').first('username', 'email')
      : undefined;
    return {
      file: r.file,
      config: { ...config, configFile: r.file },
      siteName: root.name,
      locale: root.locale,
      plugins: rt.pluginState.enabledIds(),
      admin: admin ? `${admin.username} <${admin.email}>` : undefined,
      backups,
    };
  } catch (e) {
    // Leave the folder as it was: no half-written config pointing at a failed install.
    fs.rmSync(r.file, { force: true });
    if (configBackup) fs.renameSync(configBackup, r.file);
    throw e;
  } finally {
    await base.close();
  }
}
