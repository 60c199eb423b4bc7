/** Helpers shared by the profiles tests. */
import { ADMIN, type TestApp } from '../../helpers/app';

export const PASSWORD = 'violet staple engine 7';

export async function addUser(app: TestApp, username: string, displayName?: string): Promise<number> {
  const r = await app.app.ruche.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName }, 'member');
  if (!('id' in r)) throw new Error(`cannot create ${username}: ${JSON.stringify(r.errors)}`);
  return r.id;
}

export async function signIn(app: TestApp, username: string) {
  const agent = app.agent();
  await agent.login(username, username === ADMIN.username ? ADMIN.password : PASSWORD);
  return agent;
}

export async function addSubnetwork(app: TestApp, slug: string): Promise<number> {
  const rt = app.app.ruche;
  const [row] = await rt
    .db('networks')
    .insert({
      slug,
      name: slug,
      parent_id: rt.networks.root().id,
      join_policy: 'open',
      allow_guests: false,
      theme: 'default',
      locale: 'en',
      created_at: Date.now(),
    })
    .returning('id');
  await rt.networks.load();
  return Number(typeof row === 'object' ? row.id : row);
}

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
