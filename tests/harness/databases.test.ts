// Self-check of the test harness: fresh databases and the headless browser.
import fs from 'node:fs';
import test from 'ava';
import knex, { type Knex } from 'knex';
import { artifactPath, browserAvailable, chromiumPath, launchBrowser } from '../helpers/browser';
import { databaseKinds, eachDatabase, freshDatabase, POSTGRES_URL_ENV, type TestDatabase } from '../helpers/databases';

// Minimal URL -> knex config, local to this test (the app has its own).
function connect(db: Pick<TestDatabase, 'kind' | 'url'>): Knex {
  if (db.kind === 'sqlite') {
    return knex({
      client: 'sqlite3',
      connection: { filename: db.url.slice('sqlite:'.length) },
      useNullAsDefault: true,
    });
  }
  return knex({ client: 'pg', connection: db.url, pool: { min: 0, max: 2 } });
}

function adminKnex(): Knex {
  return knex({ client: 'pg', connection: process.env[POSTGRES_URL_ENV], pool: { min: 0, max: 1 } });
}

function pgDatabaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

for (const kind of databaseKinds()) {
  test(`freshDatabase gives a usable database and drop() removes it [${kind}]`, async (t) => {
    const db = await freshDatabase(kind);
    t.true(fs.statSync(db.dataDir).isDirectory());
    const k = connect(db);
    try {
      await k.schema.createTable('items', (tb) => {
        tb.increments('id');
        tb.string('name').notNullable();
      });
      await k('items').insert([{ name: 'ruche' }, { name: 'abeille' }]);
      const rows = await k('items').select('name').orderBy('id');
      t.deepEqual(
        rows.map((r: { name: string }) => r.name),
        ['ruche', 'abeille'],
      );
    } finally {
      await k.destroy();
    }

    await db.drop();
    await db.drop(); // idempotent
    t.false(fs.existsSync(db.dataDir), 'data dir removed');
    if (kind === 'sqlite') {
      t.false(fs.existsSync(db.url.slice('sqlite:'.length)), 'sqlite file removed');
    } else {
      const admin = adminKnex();
      try {
        const found = await admin('pg_database')
          .where({ datname: pgDatabaseName(db.url) })
          .count({ n: '*' });
        t.is(Number(found[0].n), 0, 'database gone from pg_database');
      } finally {
        await admin.destroy();
      }
    }
  });

  test(`fresh databases are isolated [${kind}]`, async (t) => {
    const [a, b] = await Promise.all([freshDatabase(kind), freshDatabase(kind)]);
    const ka = connect(a);
    const kb = connect(b);
    try {
      t.not(a.url, b.url);
      t.not(a.dataDir, b.dataDir);
      await ka.schema.createTable('only_in_a', (tb) => tb.increments('id'));
      t.true(await ka.schema.hasTable('only_in_a'));
      t.false(await kb.schema.hasTable('only_in_a'));
    } finally {
      await Promise.all([ka.destroy(), kb.destroy()]);
      await Promise.all([a.drop(), b.drop()]);
    }
  });

  test(`many concurrent freshDatabase calls succeed [${kind}]`, async (t) => {
    const dbs = await Promise.all(Array.from({ length: 6 }, () => freshDatabase(kind)));
    try {
      t.is(new Set(dbs.map((d) => d.url)).size, dbs.length);
    } finally {
      await Promise.all(dbs.map((d) => d.drop()));
    }
  });
}

// eachDatabase: the helper most test files use.
let lastDataDir: string | undefined;
eachDatabase('eachDatabase passes a fresh database', async (t, db) => {
  t.true(databaseKinds().includes(db.kind));
  t.true(fs.statSync(db.dataDir).isDirectory());
  t.not(db.dataDir, lastDataDir);
  lastDataDir = db.dataDir;
  const k = connect(db);
  try {
    t.false(await k.schema.hasTable('items'), 'starts empty');
    await k.schema.createTable('items', (tb) => tb.increments('id'));
  } finally {
    await k.destroy();
  }
});

test('browser launches and screenshots a data: URL page', async (t) => {
  // browserAvailable() throws under CI when Chromium is missing.
  if (!browserAvailable()) {
    t.log(`Chromium not found at ${chromiumPath()}: browser test skipped`);
    t.pass();
    return;
  }
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 480, height: 240 } });
    const html = '<html><body style="background:#fc3"><h1 id="t">Ruche harness</h1></body></html>';
    await page.goto(`data:text/html,${encodeURIComponent(html)}`);
    t.is(await page.textContent('#t'), 'Ruche harness');
    const file = artifactPath('harness-data-url.png');
    const png = await page.screenshot({ path: file });
    t.is(png.subarray(1, 4).toString(), 'PNG');
    t.true(fs.statSync(file).size > 0, 'screenshot saved to artifacts');
  } finally {
    await browser.close();
  }
});
