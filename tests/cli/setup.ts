/** An installed Ruche in a temp folder, on a fresh database of each kind, with the test plugins. */
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import knexFactory, { type Knex } from 'knex';
import { freshDatabase, type DbKind } from '../helpers/databases';
import { run, tempDir, writeTestPlugins, writeTestTheme, type RunResult } from './helpers';

export interface Installed {
  cwd: string;
  kind: DbKind;
  databaseUrl?: string;
  env: Record<string, string>;
  /** Runs a ruche command in this install. */
  ruche(...args: string[]): Promise<RunResult>;
  /** A knex connection to the install's database (closed after the test). */
  db(): Knex;
}

export async function installed(t: ExecutionContext, kind: DbKind, options: { install?: boolean } = {}): Promise<Installed> {
  let cwd: string;
  let databaseUrl: string | undefined;
  if (kind === 'sqlite') {
    cwd = tempDir(t);
  } else {
    const fresh = await freshDatabase(kind);
    t.teardown(() => fresh.drop());
    cwd = fresh.dataDir;
    databaseUrl = fresh.url;
  }
  const env = { ...writeTestPlugins(cwd), ...writeTestTheme(cwd) };
  const ruche = (...args: string[]): Promise<RunResult> => run(args, cwd, env);
  if (options.install !== false) {
    const r = await ruche('install', '--yes', '--site-name', 'Test', ...(databaseUrl ? ['--database-url', databaseUrl] : []));
    if (r.code !== 0) throw new Error(`install failed: ${r.stderr}`);
  }
  let knex: Knex | undefined;
  const db = (): Knex => {
    if (!knex) {
      knex = databaseUrl
        ? knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } })
        : knexFactory({ client: 'sqlite3', connection: { filename: `${cwd}/data/ruche.sqlite` }, useNullAsDefault: true });
      const k = knex;
      t.teardown(() => k.destroy());
    }
    return knex;
  };
  return { cwd, kind, databaseUrl, env, ruche, db };
}

/** Whether a table exists in the install's database. */
export const hasTable = (i: Installed, name: string): Promise<boolean> => i.db().schema.hasTable(name);

/** Inserts the sub-network `paris` (French, open, closed to guests) of the root straight into the install's database; answers its id. */
export async function addParis(i: Installed): Promise<number> {
  const root = await i.db()('networks').where({ slug: 'root' }).first('id');
  await i.db()('networks').insert({
    slug: 'paris',
    name: 'Paris',
    parent_id: root.id,
    theme: 'default',
    locale: 'fr',
    join_policy: 'open',
    allow_guests: false,
    created_at: Date.now(),
  });
  return Number((await i.db()('networks').where({ slug: 'paris' }).first('id')).id);
}

/** Sets these keys in the install's config/local.json, keeping the others. */
export function setLocalConfig(i: Installed, values: Record<string, unknown>): void {
  const file = path.join(i.cwd, 'config', 'local.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...values }));
}
