/** Helpers shared by the profiles tests. */
import type { TestAgent, TestApp } from '../../helpers/app';
import { addSubNetwork, createMember, MEMBER_PASSWORD, signedIn } from '../../helpers/members';

export const PASSWORD = MEMBER_PASSWORD;

export const addUser = (app: TestApp, username: string, displayName?: string): Promise<number> =>
  createMember(app.app.ruche, username, { displayName });

export const signIn = (app: TestApp, username: string): Promise<TestAgent> => signedIn(app, username);

export const addSubnetwork = (app: TestApp, slug: string): Promise<number> => addSubNetwork(app.app.ruche, slug, slug);

export async function allowGuests(app: TestApp, allow: boolean): Promise<void> {
  const rt = app.app.ruche;
  await rt.db('networks').where({ id: rt.networks.root().id }).update({ allow_guests: allow });
  await rt.networks.load();
}

export async function befriend(app: TestApp, a: number, b: number): Promise<void> {
  const now = Date.now();
  await app.app.ruche.db('user_relations').insert([
    { user_id: a, other_id: b, kind: 'friend', created_at: now },
    { user_id: b, other_id: a, kind: 'friend', created_at: now },
  ]);
}

export async function addField(
  app: TestApp,
  key: string,
  type: string,
  visibility: string,
  extra: { choices?: string[]; required?: boolean } = {},
): Promise<number> {
  const db = app.app.ruche.db;
  const max = await db('profile_fields').max<{ m: number | null }[]>('position as m').first();
  const [row] = await db('profile_fields')
    .insert({
      key,
      label_en: `Label ${key}`,
      label_fr: `Libellé ${key}`,
      type,
      visibility,
      choices: JSON.stringify(extra.choices ?? []),
      required: extra.required ?? false,
      position: Number(max?.m ?? 0) + 1,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function setValue(app: TestApp, userId: number, fieldId: number, ...values: string[]): Promise<void> {
  await app.app.ruche.db('profile_values').insert(values.map((value) => ({ user_id: userId, field_id: fieldId, value })));
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1];
}
