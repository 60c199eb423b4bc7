/**
 * Installed templates (tests/helpers/templates.ts): a copy is a whole install, isolated from the
 * others, and a database written before makeApp keeps the slow path.
 */
import test from 'ava';
import knex, { type Knex } from 'knex';
import { ADMIN, makeApp } from '../helpers/app';
import { databaseKinds, freshDatabase, type FreshDatabase, type TestDatabase } from '../helpers/databases';
import { createMember, MEMBER_PASSWORD } from '../helpers/members';
import { templateCopiesMade, templatesEnabled } from '../helpers/templates';

function connect(db: TestDatabase): Knex {
  return db.kind === 'sqlite'
    ? knex({ client: 'sqlite3', connection: { filename: db.url.slice('sqlite:'.length) }, useNullAsDefault: true })
    : knex({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
}

for (const kind of databaseKinds()) {
  test.serial(`copies of one install are whole sites, isolated from each other [${kind}]`, async (t) => {
    if (!templatesEnabled()) return t.pass('templates are off (RUCHE_TEST_TEMPLATES=0)');
    const dbs: FreshDatabase[] = [];
    const apps: Awaited<ReturnType<typeof makeApp>>[] = [];
    try {
      // The second install of an input in a process makes the template, the third is a copy (a
      // 15-minute period starting in between delays it by two installs).
      let copied = -1;
      for (let i = 0; i < 5 && (copied < 0 || apps.length < 2); i++) {
        dbs.push(await freshDatabase(kind));
        const before = templateCopiesMade();
        apps.push(await makeApp(dbs[i]));
        if (copied < 0 && templateCopiesMade() === before + 1) copied = i;
      }
      t.true(copied >= 0, 'a site was copied');
      const copy = apps[copied];
      const first = apps[copied === 0 ? 1 : 0];
      await createMember(copy.app.ruche, 'olga');
      const inCopy = copy.agent();
      await inCopy.login('olga', MEMBER_PASSWORD);
      await copy.agent().login(ADMIN.username, ADMIN.password);
      t.is((await copy.agent().http.get('/')).status, 200);
      t.falsy(await first.app.ruche.db('users').where({ username: 'olga' }).first('id'), 'a member of the copy is not in the other site');
      await t.throwsAsync(() => first.agent().login('olga', MEMBER_PASSWORD));
    } finally {
      for (const a of apps) await a.close();
      for (const d of dbs) await d.drop();
    }
  });

  test.serial(`a database written before makeApp is installed the slow way, keeping what was there [${kind}]`, async (t) => {
    const db = await freshDatabase(kind);
    try {
      const k = connect(db);
      try {
        await k.schema.createTable('before_install', (tb) => tb.increments('id'));
      } finally {
        await k.destroy();
      }
      const before = templateCopiesMade();
      const made = await makeApp(db);
      try {
        t.is(templateCopiesMade(), before, 'no copy');
        t.true(await made.app.ruche.db.schema.hasTable('before_install'));
        t.truthy(await made.app.ruche.db('users').where({ username: ADMIN.username }).first('id'));
      } finally {
        await made.close();
      }
    } finally {
      await db.drop();
    }
  });
}
