/**
 * Turns a plugin's settings schema into form fields (for the template) and a submitted
 * form back into raw input for the core's validation (`pluginState.configure`).
 * Field names are prefixed (`setting-<key>`) so no setting can collide with `_csrf` or
 * with an Object.prototype property.
 */
import type { SettingDef, SettingsSchema, SettingsValues } from '../../core';

/** Translates a key (returns plain text unchanged). */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface ChoiceOption {
  value: string;
  label: string;
  selected: boolean;
}

/** One form field, ready for `admin/partials/setting-field`. */
export interface SettingField {
  key: string;
  name: string;
  type: SettingDef['type'];
  label: string;
  hint: string;
  /** The value to show: what the admin typed, else the stored value. */
  value: string;
  checked: boolean;
  options: ChoiceOption[];
  min?: number;
  max?: number;
  step?: string;
  maxLength?: number;
  error?: string;
  /** A secret: a password input, never filled with the stored value. */
  secret?: boolean;
}

const isSecret = (def: SettingDef): boolean => def.type === 'string' && def.secret === true;

export const fieldName = (key: string): string => `setting-${key}`;

/**
 * Raw input for `configure` from a parsed form body: every key of the schema, as sent.
 * An unticked checkbox sends nothing, which means `false`.
 */
export function inputFromForm(schema: SettingsSchema, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(schema)) {
    const name = fieldName(key);
    const raw = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
    if (def.type === 'boolean') input[key] = raw === undefined ? 'false' : raw;
    // A secret left blank keeps its value (the form never shows it).
    else if (isSecret(def) && raw === '') continue;
    else if (raw !== undefined) input[key] = raw;
  }
  return input;
}

/**
 * Form fields for a schema. `input` (a rejected submission) wins over `values` (stored),
 * so the admin's entries are kept; `errors` holds translated messages per key.
 */
export function settingFields(
  schema: SettingsSchema,
  values: SettingsValues,
  t: Translate,
  choiceLabel: (key: string, choice: string) => string,
  input?: Record<string, unknown>,
  errors: Record<string, string> = {},
): SettingField[] {
  return Object.entries(schema).map(([key, def]) => {
    const raw = input && Object.prototype.hasOwnProperty.call(input, key) ? input[key] : values[key];
    const secret = isSecret(def);
    const value = secret ? '' : typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
    const field: SettingField = {
      key,
      name: fieldName(key),
      type: def.type,
      label: t(def.label),
      hint: secret ? t(values[key] ? 'admin.settings.hint.secretSet' : 'admin.settings.hint.secretUnset') : hintFor(def, t, choiceLabel, key),
      value,
      checked: def.type === 'boolean' && (raw === true || raw === 'true' || raw === 'on' || raw === '1' || raw === 'yes'),
      options: def.type === 'choice' ? def.choices.map((c) => ({ value: c, label: choiceLabel(key, c), selected: c === value })) : [],
      error: errors[key],
      secret,
    };
    if (def.type === 'number') {
      field.min = def.min;
      field.max = def.max;
      field.step = def.integer ? '1' : 'any';
    }
    if ((def.type === 'string' || def.type === 'text') && def.maxLength !== undefined) field.maxLength = def.maxLength;
    return field;
  });
}

/** A short line under the field: its limits and its default value. */
function hintFor(def: SettingDef, t: Translate, choiceLabel: (key: string, choice: string) => string, key: string): string {
  const parts: string[] = [];
  if (def.type === 'number') {
    if (def.min !== undefined && def.max !== undefined) parts.push(t('admin.settings.hint.range', { min: def.min, max: def.max }));
    else if (def.min !== undefined) parts.push(t('admin.settings.hint.min', { min: def.min }));
    else if (def.max !== undefined) parts.push(t('admin.settings.hint.max', { max: def.max }));
  }
  if ((def.type === 'string' || def.type === 'text') && def.maxLength !== undefined)
    parts.push(t('admin.settings.hint.maxLength', { max: def.maxLength }));
  const shown =
    def.type === 'boolean'
      ? t(def.default ? 'admin.settings.on' : 'admin.settings.off')
      : def.type === 'choice'
        ? choiceLabel(key, def.default)
        : def.type === 'text'
          ? ''
          : String(def.default);
  if (shown !== '') parts.push(t('admin.settings.hint.default', { value: shown }));
  return parts.join(' ');
}
