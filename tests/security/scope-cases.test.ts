// Issue 16: every power has a scope. One test per case of the issue, on SQLite and
// PostgreSQL: who may act on installation-wide objects and on another network's objects,
// through which address, and that nobody else changes a row.
import type { Knex } from 'knex';
import { eachDatabase } from '../helpers/databases';
import { ADMIN } from '../helpers/app';
import { lastMailTo, pathOf } from '../helpers/mail';
import { subApp, type SubApp } from '../plugins/subnetworks/support';

const PASSWORD = 'quiet harbour lights 9';

/** Every row of the tables, in a stable order: compared before and after a refused action. */
async function snapshot(db: Knex, tables: string[]): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await db(table).select()) as Record<string, unknown>[];
    out[table] = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k] === null ? null : String(r[k])]))).sort();
  }
  return JSON.stringify(out);
}

/** Signs `username` in and returns helpers that post forms with the session's CSRF token. */
async function signedIn(app: SubApp, username: string, password = PASSWORD) {
  const agent = app.agent();
  await agent.login(username, password);
  const token = await agent.csrf('/account');
  return {
    agent,
    get: (url: string) => agent.http.get(url),
    post: (url: string, fields: Record<string, string> = {}) => agent.http.post(url).type('form').send({ _csrf: token, ...fields }),
  };
}

async function register(app: SubApp, base: string, fields: Record<string, string>) {
  const agent = app.agent();
  const page = await agent.http.get(`${base}/register`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await agent.http.post(`${base}/register`).type('form').send({ _csrf: token, password: PASSWORD, passwordConfirm: PASSWORD, ...fields });
  return { agent, res };
}

/** A member with a known password (the support's members use their own). */
async function person(app: SubApp, username: string): Promise<number> {
  const r = await app.rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD });
  if (!('id' in r)) throw new Error(`could not create ${username}`);
  return r.id;
}

const FIELD = { key: 'badge', label_en: 'Badge number', label_fr: 'Numéro de badge', type: 'text', choices: '', visibility: 'private' };

eachDatabase('issue 16 case 1: only root rights list, create, edit, move and delete profile field definitions', async (t, db) => {
  const app = await subApp(db);
  try {
    const rt = app.rt;
    const lyon = await app.network('lyon', { name: 'Usine Lyon' });
    const sam = await person(app, 'sam'); // admin of the sub-network
    await app.join(sam, lyon.id, 'admin');
    const mia = await person(app, 'mia'); // a member granted admin.access in the sub-network
    await app.join(mia, lyon.id, 'member');
    await rt.permissions.setGrant(rt.db, lyon.id, 'admin.access', 'member', true);
    await person(app, 'ron');

    // The root admin defines a private field, and a member fills it in.
    const root = await signedIn(app, ADMIN.username, ADMIN.password);
    t.is((await root.get('/admin/profile-fields')).status, 200);
    t.is((await root.post('/admin/profile-fields', FIELD)).status, 303);
    const field = await rt.db('profile_fields').where({ key: 'badge' }).first('id');
    const fieldId = Number(field.id);
    await rt.db('profile_values').insert({ user_id: sam, field_id: fieldId, value: 'B-1234' });
    // The root admin may also reach them through a sub-network's address: they are the installation's.
    t.is((await root.get('/n/lyon/admin/profile-fields')).status, 200);
    t.regex((await root.get('/admin')).text, /href="\/admin\/profile-fields"/, 'the root admin has the tab');

    const tables = ['profile_fields', 'profile_values'];
    const before = await snapshot(rt.db, tables);
    for (const who of ['sam', 'mia']) {
      const a = await signedIn(app, who);
      t.is((await a.get('/n/lyon/admin')).status, 200, `${who} administers the sub-network`);
      t.notRegex((await a.get('/n/lyon/admin')).text, /profile-fields/, `${who} is not offered the installation's fields`);
      for (const base of ['/n/lyon', '']) {
        t.is((await a.get(`${base}/admin/profile-fields`)).status, 403, `${who} lists ${base}`);
        t.is((await a.get(`${base}/admin/profile-fields/${fieldId}`)).status, 403, `${who} opens ${base}`);
        t.is((await a.post(`${base}/admin/profile-fields`, { ...FIELD, key: 'other' })).status, 403, `${who} creates ${base}`);
        t.is((await a.post(`${base}/admin/profile-fields/${fieldId}`, { ...FIELD, visibility: 'public' })).status, 403, `${who} makes it public ${base}`);
        t.is((await a.post(`${base}/admin/profile-fields/${fieldId}/move`, { direction: 'up' })).status, 403, `${who} moves ${base}`);
        t.is((await a.post(`${base}/admin/profile-fields/${fieldId}/delete`)).status, 403, `${who} deletes ${base}`);
      }
    }
    const ron = await signedIn(app, 'ron');
    t.is((await ron.post('/admin/profile-fields/' + fieldId + '/delete')).status, 403, 'a plain member');
    t.is((await app.agent().http.post(`/admin/profile-fields/${fieldId}/delete`)).status, 403, 'a guest (no CSRF token)');
    t.is(await snapshot(rt.db, tables), before, 'no row changed');

    // Root rights still act, through either address.
    t.is((await root.post(`/n/lyon/admin/profile-fields/${fieldId}`, { ...FIELD, visibility: 'members' })).status, 303);
    t.is((await rt.db('profile_fields').where({ id: fieldId }).first('visibility')).visibility, 'members');
  } finally {
    await app.close();
  }
});

eachDatabase('issue 16 case 2: an admin sees and decides only the membership requests made to their network', async (t, db) => {
  const app = await subApp(db);
  try {
    const rt = app.rt;
    await rt.networks.update(rt.networks.root().id, { joinPolicy: 'approval' });
    const a = await app.network('alpha', { name: 'Alpha', joinPolicy: 'approval' });
    const b = await app.network('beta', { name: 'Beta', joinPolicy: 'approval' });
    const sam = await person(app, 'sam');
    await app.join(sam, a.id, 'admin');

    // Three people ask to join: the root, Alpha and Beta; each verifies their address.
    for (const [base, username] of [['', 'rita'], ['/n/alpha', 'alan'], ['/n/beta', 'bea']] as const) {
      const { agent, res } = await register(app, base, { username, email: `${username}@example.org` });
      t.is(res.status, 200);
      t.is((await agent.http.get(pathOf((await lastMailTo(db.dataDir, `${username}@example.org`)).link))).status, 200, `${username} awaits approval`);
    }
    const idOf = async (u: string) => Number((await rt.db('users').where({ username_lower: u }).first('id')).id);
    const [rita, alan, bea] = [await idOf('rita'), await idOf('alan'), await idOf('bea')];

    // Alpha's admin sees Alpha's request only, and cannot reach the others' from anywhere.
    const admin = await signedIn(app, 'sam');
    let res = await admin.get('/n/alpha/members/requests');
    t.is(res.status, 200);
    t.regex(res.text, /alan@example\.org/);
    t.notRegex(res.text, /rita@|bea@/);
    t.is((await admin.get('/members/requests')).status, 403, 'not an admin of the root');
    t.is((await admin.get('/n/beta/members/requests')).status, 403, 'not a member of Beta');
    const tables = ['users', 'memberships', 'auth_tokens'];
    const before = await snapshot(rt.db, tables);
    for (const id of [rita, bea]) {
      for (const decision of ['approve', 'decline']) {
        t.is((await admin.post(`/n/alpha/members/requests/${id}`, { decision })).status, 404, `${decision} ${id} through Alpha`);
      }
    }
    t.is((await admin.post('/n/alpha/members/requests/999999', { decision: 'approve' })).status, 404, 'the same answer as a missing request');
    t.is((await admin.post('/n/alpha/members/requests/abc', { decision: 'approve' })).status, 404);
    t.is(await snapshot(rt.db, tables), before, 'nothing changed');

    // Its own request: approved.
    t.is((await admin.post(`/n/alpha/members/requests/${alan}`, { decision: 'approve' })).status, 303);
    t.is((await rt.db('users').where({ id: alan }).first('status')).status, 'active');

    // The root admin sees the root's requests at the root, and Beta's through Beta.
    const root = await signedIn(app, ADMIN.username, ADMIN.password);
    res = await root.get('/members/requests');
    t.regex(res.text, /rita@example\.org/);
    t.notRegex(res.text, /bea@|alan@/);
    t.is((await root.post(`/members/requests/${bea}`, { decision: 'approve' })).status, 404, "Beta's request is decided in Beta");
    t.is((await rt.db('users').where({ id: bea }).first('status')).status, 'pending');
    res = await root.get('/n/beta/members/requests');
    t.regex(res.text, /bea@example\.org/);
    t.is((await root.post(`/n/beta/members/requests/${bea}`, { decision: 'decline' })).status, 303);
    t.falsy(await rt.db('users').where({ id: bea }).first('id'));
    t.is((await root.post(`/members/requests/${rita}`, { decision: 'approve' })).status, 303);
    t.is((await rt.db('users').where({ id: rita }).first('status')).status, 'active');
    // The approval mail points to the network the person applied to.
    t.regex((await lastMailTo(db.dataDir, 'alan@example.org')).link, /\/n\/alpha\/login$/);
  } finally {
    await app.close();
  }
});
