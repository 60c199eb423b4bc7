/**
 * Profiles: the built-in fields in `profiles`, admin-defined extra fields in
 * `profile_fields` and their values in `profile_values` (one row per value, so a
 * multi-choice field has one row per choice and the directory can filter by index).
 */
import type { Knex } from 'knex';
import { idList, KeptBuilds, perDialect, preparedRead, type AvatarImage, type Runtime, type Viewer, valuesOf } from '../../core';
import { BUILTIN_VISIBILITY, isVisibilityLevel, profileValueShape, type VisibilityLevel } from './api';
import {
  BUILTIN_FIELDS,
  BUILTIN_MAX,
  DIRECTORY_FIELDS,
  FIELD_TYPES,
  splitList,
  str,
  toField,
  validDate,
  validUrl,
  valueAllowed,
  type BuiltinField,
  type FieldRow,
  type FieldType,
  type ProfileRow,
  type Problems,
} from './fields';
import { bumpValuesVersion } from './values-version';
import { writeFields } from './field-list';

/** What every profile page reads (a member's profile, the fields, their values); kept prepared. */
const PROFILE = preparedRead<ProfileRow>(
  'select user_id, headline, department, location, languages, skills, about, updated_at from profiles where user_id = ? limit 1',
);
const FIELDS = preparedRead<Record<string, unknown>>(
  'select id, "key", label_en, label_fr, "type", choices, required, searchable, visibility, "position" from profile_fields order by "position", id',
);
const VALUES = preparedRead<{ field_id: number; value: string }>('select field_id, value from profile_values where user_id = ? order by value');

/** The headlines' texts kept built, by the viewer's access facts; the ids bound where the marker stands. */
const HEADLINES = new KeptBuilds(512);
const IDS_MARKER = '\u0000ruche:headline-ids';
const IDS_OF_USERS = perDialect((ids) => ids('u.id'));

export class ProfilesService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'avatars', 'caches'] as const;
  private readonly db: Knex;
  constructor(private readonly rt: Pick<Runtime, (typeof ProfilesService.uses)[number]>) {
    this.db = rt.db;
  }

  /**
   * The headlines of these members (by id) that the viewer may see (a built-in field, through
   * the core's access model); '' for a member without a profile, absent where hidden.
   */
  async headlines(viewer: Viewer | null, userIds: readonly number[]): Promise<Map<number, string>> {
    if (!userIds.length) return new Map();
    // Every list of people asks (the directory, followers, connections): the text is kept by the
    // viewer's access facts, the members' ids one binding (issue 18).
    const ids = IDS_OF_USERS[this.db.client.config.client === 'sqlite3' ? 'sqlite' : 'postgres'];
    const key = this.rt.access.visibilityKey(viewer);
    const rows = await HEADLINES.read<{ id: number; headline: string | null }>(
      this.db,
      key.length <= 4096 ? key : null,
      () =>
        this.db('users as u')
          .leftJoin('profiles as p', 'p.user_id', 'u.id')
          .whereRaw(ids, [IDS_MARKER])
          .modify(this.rt.access.visibleTo(viewer, profileValueShape('u.id', { value: BUILTIN_VISIBILITY })))
          .select('u.id', 'p.headline'),
      new Map([[IDS_MARKER, idList(userIds)]]),
    );
    return new Map(rows.map((r) => [Number(r.id), r.headline ?? '']));
  }

  async profile(userId: number): Promise<ProfileRow> {
    const row = await PROFILE.first(this.db, [userId]);
    if (!row) return { user_id: userId, headline: '', department: '', location: '', languages: '', skills: '', about: '', updated_at: 0 };
    return { ...row, user_id: Number(row.user_id), updated_at: Number(row.updated_at) };
  }

  async fields(): Promise<FieldRow[]> {
    const rows = await FIELDS.all(this.db, []);
    return rows.map(toField);
  }

  async field(id: number): Promise<FieldRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await this.db('profile_fields').where({ id }).first();
    return row ? toField(row) : undefined;
  }

  /** Values of a member's extra fields, by field id. */
  async values(userId: number): Promise<Map<number, string[]>> {
    const rows = await VALUES.all(this.db, [userId]);
    const map = new Map<number, string[]>();
    for (const r of rows) {
      const id = Number(r.field_id);
      map.set(id, [...(map.get(id) ?? []), r.value]);
    }
    return map;
  }

  /**
   * Validates a submitted profile form. Extra fields come as `f_<id>` (several values for a
   * multi-choice). Unknown `f_*` ids are tampering and refuse the whole form.
   */
  validateProfile(
    body: Record<string, unknown>,
    fields: FieldRow[],
  ): { builtin: Record<BuiltinField, string>; extra: Map<number, string[]>; problems: Problems; tampered: boolean } {
    const problems: Problems = {};
    const builtin = {} as Record<BuiltinField, string>;
    for (const key of BUILTIN_FIELDS) {
      const raw = body[key];
      if (raw !== undefined && typeof raw !== 'string') {
        problems[key] = { key: 'profiles.error.invalidValue' };
        builtin[key] = '';
        continue;
      }
      const value = str(raw).replace(/\r\n/g, '\n').trim();
      builtin[key] = value;
      if (value.length > BUILTIN_MAX[key]) problems[key] = { key: 'profiles.error.tooLong', params: { max: BUILTIN_MAX[key] } };
    }
    let tampered = false;
    const byId = new Map(fields.map((f) => [f.id, f]));
    for (const name of Object.keys(body)) {
      const m = /^f_(.*)$/.exec(name);
      if (!m) continue;
      if (!/^\d{1,9}$/.test(m[1]) || !byId.has(Number(m[1]))) {
        tampered = true;
        problems._form = { key: 'profiles.error.unknownField' };
      }
    }
    const extra = new Map<number, string[]>();
    for (const f of fields) {
      const name = `f_${f.id}`;
      const list = valuesOf(body[name]).map((x) => (typeof x === 'string' ? x.trim() : null));
      if (list.some((x) => x === null)) {
        tampered = true;
        problems[name] = { key: 'profiles.error.invalidValue' };
        continue;
      }
      let values = (list as string[]).filter((x) => x !== '');
      if (f.type !== 'multichoice' && values.length > 1) {
        tampered = true;
        problems[name] = { key: 'profiles.error.invalidValue' };
        continue;
      }
      values = [...new Set(values)];
      extra.set(f.id, values);
      if (!values.length) {
        if (f.required) problems[name] = { key: 'profiles.error.required' };
        continue;
      }
      for (const v of values) {
        if (f.type === 'choice' || f.type === 'multichoice') {
          if (!f.choices.includes(v)) {
            tampered = true;
            problems[name] = { key: 'profiles.error.invalidChoice' };
          }
        } else if (f.type === 'date') {
          if (!validDate(v)) problems[name] = { key: 'profiles.error.date' };
        } else if (f.type === 'url') {
          if (!validUrl(v)) problems[name] = { key: 'profiles.error.url' };
        } else if (v.length > (f.type === 'longtext' ? 2000 : 300)) {
          problems[name] = { key: 'profiles.error.tooLong', params: { max: f.type === 'longtext' ? 2000 : 300 } };
        }
      }
    }
    return { builtin, extra, problems, tampered };
  }

  async saveProfile(userId: number, builtin: Record<BuiltinField, string>, extra: Map<number, string[]>): Promise<void> {
    const now = Date.now();
    const row = {
      ...builtin,
      languages: splitList(builtin.languages).join(', '),
      skills: splitList(builtin.skills).join(', '),
      updated_at: now,
    };
    await this.db.transaction(async (trx) => {
      await trx('profiles')
        .insert({ user_id: userId, ...row })
        .onConflict('user_id')
        .merge(Object.keys(row));
      for (const [fieldId, values] of extra) {
        await trx('profile_values').where({ user_id: userId, field_id: fieldId }).delete();
        if (values.length) await trx('profile_values').insert(values.map((value) => ({ user_id: userId, field_id: fieldId, value })));
      }
    });
  }

  /**
   * Writes the fields an identity provider keeps (`department`, `headline`: the job title) to
   * the member's profile; the edit page shows them locked (`ExternalAccounts.lockedFields`).
   */
  async syncFromDirectory(userId: number, fields: Partial<Record<string, string>>): Promise<void> {
    const row = Object.fromEntries(DIRECTORY_FIELDS.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]!.slice(0, BUILTIN_MAX[k])]));
    if (!Object.keys(row).length) return;
    await this.db('profiles')
      .insert({ user_id: userId, ...row, updated_at: Date.now() })
      .onConflict('user_id')
      .merge([...Object.keys(row), 'updated_at']);
  }

  /**
   * Sets (or clears, with null) the member's photo through the core's avatars; the profile
   * counts as updated, as when its fields are saved, in the same transaction.
   */
  async setPhoto(userId: number, image: AvatarImage | null): Promise<void> {
    await this.db.transaction(async (trx) => {
      if (image) await this.rt.avatars.store(userId, image, trx);
      else await this.rt.avatars.remove(userId, trx);
      await trx('profiles').insert({ user_id: userId, updated_at: Date.now() }).onConflict('user_id').merge(['updated_at']);
    });
  }

  // --- admin: field definitions ---------------------------------------------

  /** Validates the admin form for a field; `id` of the field being edited, if any. */
  async validateField(
    body: Record<string, unknown>,
    id?: number,
    /** The built-in fields' labels in each language, which an extra field may not repeat. */
    builtinLabels: Record<'en' | 'fr', readonly string[]> = { en: [], fr: [] },
  ): Promise<{ values: Record<string, string | boolean>; problems: Problems; row?: Omit<FieldRow, 'id' | 'position'> }> {
    const values = {
      key: str(body.key).trim(),
      label_en: str(body.label_en).trim(),
      label_fr: str(body.label_fr).trim(),
      type: str(body.type),
      choices: str(body.choices).replace(/\r\n/g, '\n'),
      required: body.required === 'on' || body.required === '1' || body.required === 'true',
      searchable: body.searchable === 'on' || body.searchable === '1' || body.searchable === 'true',
      visibility: str(body.visibility),
    };
    const problems: Problems = {};
    if (!/^[a-z0-9_]{1,40}$/.test(values.key)) problems.key = { key: 'profiles.fields.error.key' };
    else if ((BUILTIN_FIELDS as readonly string[]).includes(values.key)) problems.key = { key: 'profiles.fields.error.keyBuiltin' };
    else if (
      await this.db('profile_fields')
        .where({ key: values.key })
        .modify((q) => {
          if (id) q.whereNot({ id });
        })
        .first('id')
    )
      problems.key = { key: 'profiles.fields.error.keyTaken' };
    if (!values.label_en || values.label_en.length > 120) problems.label_en = { key: 'profiles.fields.error.label' };
    if (!values.label_fr || values.label_fr.length > 120) problems.label_fr = { key: 'profiles.fields.error.label' };
    // Two fields with one label cannot be told apart on a profile or in the directory's filters.
    const others = (await this.db('profile_fields').select('id', 'label_en', 'label_fr')).filter((f: { id: number }) => Number(f.id) !== id);
    for (const lang of ['en', 'fr'] as const) {
      const name = `label_${lang}` as const;
      const label = values[name].toLowerCase();
      if (!label || problems[name]) continue;
      if (builtinLabels[lang].some((l) => l.toLowerCase() === label)) problems[name] = { key: 'profiles.fields.error.labelBuiltin' };
      else if (others.some((f: Record<string, string>) => String(f[name]).trim().toLowerCase() === label))
        problems[name] = { key: 'profiles.fields.error.labelTaken' };
    }
    if (!(FIELD_TYPES as readonly string[]).includes(values.type)) problems.type = { key: 'profiles.fields.error.type' };
    if (!isVisibilityLevel(values.visibility)) problems.visibility = { key: 'profiles.fields.error.visibility' };
    const choices = [
      ...new Set(
        values.choices
          .split('\n')
          .map((c) => c.trim())
          .filter(Boolean),
      ),
    ];
    if (values.type === 'choice' || values.type === 'multichoice') {
      if (!choices.length) problems.choices = { key: 'profiles.fields.error.choicesMissing' };
      else if (choices.length > 200 || choices.some((c) => c.length > 200)) problems.choices = { key: 'profiles.fields.error.choicesTooMany' };
    }
    if (Object.keys(problems).length) return { values, problems };
    return {
      values,
      problems,
      row: {
        key: values.key,
        label_en: values.label_en,
        label_fr: values.label_fr,
        type: values.type as FieldType,
        choices: values.type === 'choice' || values.type === 'multichoice' ? choices : [],
        required: values.required,
        searchable: values.searchable,
        visibility: values.visibility as VisibilityLevel,
      },
    };
  }

  async createField(row: Omit<FieldRow, 'id' | 'position'>): Promise<number> {
    return writeFields(this.rt, async (trx) => {
      const max = await trx('profile_fields').max<{ m: number | null }[]>('position as m').first();
      const [r] = await trx('profile_fields')
        .insert({ ...row, choices: JSON.stringify(row.choices), position: Number(max?.m ?? 0) + 1 })
        .returning('id');
      return Number(typeof r === 'object' ? r.id : r);
    });
  }

  async updateField(id: number, row: Omit<FieldRow, 'id' | 'position'>): Promise<void> {
    await writeFields(this.rt, async (trx) => {
      await trx('profile_fields')
        .where({ id })
        .update({ ...row, choices: JSON.stringify(row.choices) });
      // values the changed definition no longer allows (choices, type) are dropped
      const rows: { user_id: number; value: string }[] = await trx('profile_values')
        .where({ field_id: id })
        .orderBy('user_id')
        .orderBy('value')
        .select('user_id', 'value');
      const seen = new Set<number>();
      for (const r of rows) {
        const single = row.type !== 'multichoice' && seen.has(Number(r.user_id));
        seen.add(Number(r.user_id));
        if (single || !valueAllowed({ ...row, id, position: 0 }, r.value))
          await trx('profile_values').where({ field_id: id, user_id: r.user_id, value: r.value }).delete();
      }
    });
  }

  async deleteField(id: number): Promise<void> {
    await writeFields(this.rt, async (trx) => {
      await bumpValuesVersion(trx);
      await trx('profile_values').where({ field_id: id }).delete();
      await trx('profile_fields').where({ id }).delete();
    });
  }

  /** Swaps a field with its neighbour; positions are renumbered 1..n. */
  async moveField(id: number, direction: 'up' | 'down'): Promise<void> {
    await writeFields(this.rt, async (trx) => {
      const ids: number[] = (await trx('profile_fields').orderBy('position').orderBy('id').select('id')).map((r: { id: number }) => Number(r.id));
      const i = ids.indexOf(id);
      const j = direction === 'up' ? i - 1 : i + 1;
      if (i < 0 || j < 0 || j >= ids.length) return;
      [ids[i], ids[j]] = [ids[j], ids[i]];
      for (let k = 0; k < ids.length; k++)
        await trx('profile_fields')
          .where({ id: ids[k] })
          .update({ position: k + 1 });
    });
  }
}
