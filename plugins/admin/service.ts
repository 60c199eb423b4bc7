/**
 * The admin plugin's logic: what the pages show and the changes they make, always for
 * one network. Registered in each app's container and injected by token, never by type.
 */
import { PERSON_KIND, PluginActionError, type NetworkInfo, type Runtime, type SettingsSchema } from '../../core';
import { ADMIN_PLUGIN_ID, NETWORK_LOCALES, SITE_NAME_MAX } from './constants';
import { inputFromForm, settingFields, type SettingField } from './settings-form';

type LoadedPlugin = ReturnType<Runtime['plugins']['list']>[number];

export interface PluginRow {
  id: string;
  name: string;
  version: string;
  description: string;
  enabled: boolean;
  /** The admin plugin itself: never disabled from its own page. */
  required: boolean;
  hasSettings: boolean;
  dependencies: { id: string; name: string; enabled: boolean }[];
  /** Names of the enabled plugins that depend on it, joined (empty when none). */
  neededBy: string;
}

export interface AppearanceInput {
  siteName: string;
  locale: string;
  theme: string;
}

/** Field → i18n key with params, as in the core's forms. */
export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

export class AdminService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'plugins', 'pluginState', 'networks', 'views', 'i18n'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof AdminService.uses)[number]>) {}

  async overview(network: NetworkInfo, locale: string) {
    // People only: bots (core `users.kind`) have their own page.
    const row = await this.rt
      .db('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.network_id': network.id, 'u.kind': PERSON_KIND })
      .count<{ n: number | string }[]>('* as n')
      .first();
    return {
      siteName: network.name,
      localeLabel: this.rt.i18n.t(network.locale, 'core.language.name'),
      themeLabel: this.themeLabel(network.theme, locale),
      members: Number(row?.n ?? 0),
      pluginsEnabled: this.rt.pluginState.enabledIds(network.id).length,
      pluginsTotal: this.rt.plugins.list().length,
    };
  }

  plugin(id: string): LoadedPlugin | undefined {
    return this.rt.plugins.get(id);
  }

  /** A plugin's display name (its i18n key translated, or its plain name). */
  pluginName(id: string, locale: string): string {
    const p = this.rt.plugins.get(id);
    return p ? this.rt.i18n.t(locale, p.manifest.name) : id;
  }

  /** Every installed plugin with its state in the network, sorted by name. */
  pluginRows(networkId: number, locale: string): PluginRow[] {
    const rows = this.rt.plugins.list().map((p): PluginRow => {
      const m = p.manifest;
      return {
        id: m.id,
        name: this.rt.i18n.t(locale, m.name),
        version: m.version,
        description: this.rt.i18n.t(locale, m.description),
        enabled: this.rt.pluginState.isEnabled(m.id, networkId),
        required: m.id === ADMIN_PLUGIN_ID,
        hasSettings: Object.keys(m.settings ?? {}).length > 0,
        dependencies: (m.dependsOn ?? []).map((dep) => ({
          id: dep,
          name: this.pluginName(dep, locale),
          enabled: this.rt.pluginState.isEnabled(dep, networkId),
        })),
        neededBy: this.rt.plugins
          .dependents(m.id)
          .filter((d) => this.rt.pluginState.isEnabled(d.manifest.id, networkId))
          .map((d) => this.pluginName(d.manifest.id, locale))
          .join(', '),
      };
    });
    return rows.sort((a, b) => a.name.localeCompare(b.name, locale));
  }

  /** Enables or disables a plugin in a network; refusals are PluginActionErrors. */
  async setEnabled(pluginId: string, enabled: boolean, networkId: number): Promise<void> {
    if (!enabled && pluginId === ADMIN_PLUGIN_ID) throw new PluginActionError('admin.plugins.error.required', { plugin: pluginId });
    if (enabled) await this.rt.pluginState.enable(pluginId, networkId);
    else await this.rt.pluginState.disable(pluginId, networkId);
  }

  /** A refusal in the admin's language, with plugin ids replaced by their names. */
  describeRefusal(err: PluginActionError, locale: string): string {
    const params: Record<string, unknown> = { ...err.params };
    for (const key of ['plugin', 'dependency']) if (typeof params[key] === 'string') params[key] = this.pluginName(params[key] as string, locale);
    if (typeof params.dependents === 'string')
      params.dependents = params.dependents
        .split(', ')
        .map((id) => this.pluginName(id, locale))
        .join(', ');
    return this.rt.i18n.t(locale, err.messageKey, params);
  }

  /** Form fields for a plugin's settings; a rejected `form` body and its errors win over stored values. */
  settingFields(
    plugin: LoadedPlugin,
    networkId: number,
    locale: string,
    input?: Record<string, unknown>,
    errors: Record<string, string> = {},
  ): SettingField[] {
    const schema: SettingsSchema = plugin.manifest.settings ?? {};
    const id = plugin.manifest.id;
    const t = (key: string, params?: Record<string, unknown>) => this.rt.i18n.t(locale, key, params);
    const choiceLabel = (key: string, choice: string) => {
      const k = `${id}.settings.${key}.choices.${choice}`;
      return this.rt.i18n.has(locale, k) || this.rt.i18n.has('en', k) ? t(k) : choice;
    };
    return settingFields(schema, this.rt.pluginState.settings(id, networkId), t, choiceLabel, input, errors);
  }

  /** Validates and stores settings from a form; returns the raw input and translated errors when refused. */
  async saveSettings(
    plugin: LoadedPlugin,
    body: Record<string, unknown>,
    networkId: number,
    locale: string,
  ): Promise<{ input: Record<string, unknown>; errors: Record<string, string> } | undefined> {
    const input = inputFromForm(plugin.manifest.settings ?? {}, body);
    try {
      await this.rt.pluginState.configure(plugin.manifest.id, input, networkId);
      return undefined;
    } catch (err) {
      if (!(err instanceof PluginActionError)) throw err;
      const errors = Object.fromEntries(err.errors.map((e) => [e.key, this.rt.i18n.t(locale, e.message, e.params)]));
      if (!err.errors.length) errors._form = this.describeRefusal(err, locale);
      return { input, errors };
    }
  }

  themeLabel(name: string, locale: string): string {
    const theme = this.rt.views.themes.get(name);
    return theme ? this.rt.i18n.t(locale, theme.label) : name;
  }

  /** Installed themes, for the appearance form. */
  themeOptions(selected: string, locale: string) {
    return [...this.rt.views.themes.values()]
      .map((th) => ({
        value: th.name,
        label: this.rt.i18n.t(locale, th.label),
        description: this.rt.i18n.t(locale, th.description),
        selected: th.name === selected,
      }))
      .sort((a, b) => a.label.localeCompare(b.label, locale));
  }

  localeOptions(selected: string) {
    return NETWORK_LOCALES.map((code) => ({ value: code, label: this.rt.i18n.t(code, 'core.language.name'), selected: code === selected }));
  }

  /** Validates the appearance form and saves it; returns field errors instead when refused. */
  async saveAppearance(networkId: number, input: AppearanceInput): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const siteName = input.siteName.trim();
    if (!siteName) errors.siteName = { key: 'admin.appearance.error.nameRequired' };
    else if (siteName.length > SITE_NAME_MAX) errors.siteName = { key: 'admin.appearance.error.nameTooLong', params: { max: SITE_NAME_MAX } };
    if (!(NETWORK_LOCALES as readonly string[]).includes(input.locale)) errors.locale = { key: 'admin.appearance.error.locale' };
    if (!this.rt.views.themes.has(input.theme)) errors.theme = { key: 'admin.appearance.error.theme' };
    else {
      try {
        this.rt.views.compile(input.theme); // a broken theme is refused here, not on the next page
      } catch (e) {
        errors.theme = { key: 'admin.appearance.error.themeBroken', params: { detail: (e as Error).message } };
      }
    }
    if (Object.keys(errors).length) return errors;
    await this.rt.networks.update(networkId, { name: siteName, locale: input.locale, theme: input.theme });
    return {};
  }
}
