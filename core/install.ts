/**
 * Installing Ruche on a database: apply the core schema, name the root network, enable
 * the plugins marked `defaultEnabled` (running their migrations) and, when given, create
 * the first administrator. Used by `ruche install` and by the first `ruche start`.
 */
import type { BaseRuntime, Runtime } from './runtime';
import { boot } from './kernel';
import { isLocale } from './i18n/i18n';
import { StartupError } from './errors';
import type { FieldErrors } from './auth/users';

export interface InstallOptions {
  siteName?: string;
  locale?: string;
  admin?: { email: string; password: string; username?: string; displayName?: string };
}

export const INSTALLED_KEY = 'installed_at';

export async function isInstalled(base: BaseRuntime): Promise<boolean> {
  if (!(await base.migrator.isInstalled())) return false;
  const row = await base.db('core_settings').where({ key: INSTALLED_KEY }).first('value');
  return !!row;
}

export async function install(base: BaseRuntime, options: InstallOptions = {}): Promise<Runtime> {
  if (options.locale !== undefined && !isLocale(options.locale))
    throw new StartupError('E_INSTALL', `locale: "${options.locale}" is not available (use en or fr)`);
  if (options.siteName !== undefined && (!options.siteName.trim() || options.siteName.length > 100))
    throw new StartupError('E_INSTALL', 'site name: must be 1 to 100 characters');
  const rt = await boot(base, { migrate: true });
  const root = rt.networks.root();
  await rt.networks.update(root.id, { name: options.siteName?.trim() || root.name, locale: options.locale ?? root.locale });
  for (const p of rt.plugins.list()) {
    if (p.manifest.defaultEnabled && !rt.pluginState.isEnabled(p.manifest.id)) await rt.pluginState.enable(p.manifest.id);
  }
  if (options.admin) {
    const username = options.admin.username ?? usernameFromEmail(options.admin.email);
    const created = await rt.users.create(
      {
        username,
        email: options.admin.email,
        password: options.admin.password,
        displayName: options.admin.displayName,
        isRootAdmin: true,
        emailVerified: true,
        locale: options.locale ?? null,
      },
      'admin',
    );
    if ('errors' in created) throw new StartupError('E_INSTALL', `administrator: ${describe(rt, created.errors)}`);
  }
  await rt
    .db('core_settings')
    .insert({ key: INSTALLED_KEY, value: String(Date.now()) })
    .onConflict('key')
    .merge(['value']);
  return rt;
}

function usernameFromEmail(email: string): string {
  const base =
    email
      .split('@')[0]
      ?.replace(/[^a-zA-Z0-9_.-]/g, '')
      .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '') ?? '';
  return base.length >= 3 ? base.slice(0, 32) : `admin${base}`;
}

function describe(rt: Runtime, errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([k, e]) => `${k}: ${rt.i18n.t('en', e.key, e.params)}`)
    .join('; ');
}
