/**
 * Plugin settings: a small declarative schema that the admin page renders as a form
 * and `ruche plugin config` validates, with one validation function for both.
 */
export type SettingDef =
  | {
      type: 'string';
      default: string;
      label: string;
      maxLength?: number;
      pattern?: string;
      /** A password or client secret: the admin page never shows it back; left blank there, it keeps its value. */
      secret?: boolean;
    }
  | { type: 'text'; default: string; label: string; maxLength?: number }
  | { type: 'number'; default: number; label: string; min?: number; max?: number; integer?: boolean }
  | { type: 'boolean'; default: boolean; label: string }
  | { type: 'choice'; default: string; label: string; choices: string[] };

export type SettingsSchema = Record<string, SettingDef>;
export type SettingValue = string | number | boolean;
export type SettingsValues = Record<string, SettingValue>;

/** A validation problem: the key and an i18n message key with params. */
export interface SettingError {
  key: string;
  message: string;
  params?: Record<string, unknown>;
}

export function defaultSettings(schema: SettingsSchema = {}): SettingsValues {
  return Object.fromEntries(Object.entries(schema).map(([k, d]) => [k, d.default]));
}

/**
 * Validates raw input (strings from a form or the CLI, or typed JSON) against the schema.
 * Unknown keys are errors; missing keys keep `current` values.
 */
export function validateSettings(
  schema: SettingsSchema = {},
  input: Record<string, unknown>,
  current: SettingsValues = defaultSettings(schema),
): { values: SettingsValues; errors: SettingError[] } {
  const values: SettingsValues = { ...defaultSettings(schema), ...current };
  const errors: SettingError[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const def = schema[key];
    if (!def) {
      errors.push({ key, message: 'core.settings.unknown', params: { key } });
      continue;
    }
    const result = coerce(def, raw);
    if ('error' in result) errors.push({ key, message: result.error, params: result.params });
    else values[key] = result.value;
  }
  return { values, errors };
}

function coerce(def: SettingDef, raw: unknown): { value: SettingValue } | { error: string; params?: Record<string, unknown> } {
  switch (def.type) {
    case 'string':
    case 'text': {
      if (typeof raw !== 'string') return { error: 'core.settings.notText' };
      const value = def.type === 'string' ? raw.trim() : raw;
      if (def.maxLength !== undefined && value.length > def.maxLength) return { error: 'core.settings.tooLong', params: { max: def.maxLength } };
      if (def.type === 'string' && def.pattern && !new RegExp(def.pattern).test(value)) return { error: 'core.settings.badFormat' };
      return { value };
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) return { error: 'core.settings.notNumber' };
      if (def.integer && !Number.isInteger(n)) return { error: 'core.settings.notInteger' };
      if (def.min !== undefined && n < def.min) return { error: 'core.settings.tooSmall', params: { min: def.min } };
      if (def.max !== undefined && n > def.max) return { error: 'core.settings.tooLarge', params: { max: def.max } };
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      if (raw === 'true' || raw === 'on' || raw === '1' || raw === 'yes') return { value: true };
      if (raw === 'false' || raw === 'off' || raw === '0' || raw === 'no' || raw === '') return { value: false };
      return { error: 'core.settings.notBoolean' };
    }
    case 'choice': {
      if (typeof raw !== 'string' || !def.choices.includes(raw))
        return { error: 'core.settings.notChoice', params: { choices: def.choices.join(', ') } };
      return { value: raw };
    }
  }
}
