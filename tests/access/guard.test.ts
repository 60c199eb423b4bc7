/**
 * One entity behind one URL: hidden and unknown ids answer the same (login page for guests,
 * 404 for members, JSON 401/404 under /api/), and owners/moderators may edit (both databases).
 */
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp, unmasked } from '../helpers/app';
import { tempPlugins } from '../fixtures/support';

function probePlugin(): string {
  return tempPlugins({
    probe: `const show = async (ctx) => {
       const row = await ctx.ruche.db('entities').where({ id: Number(ctx.params.id) || 0 }).first('id', 'owner_id', 'container_id', 'network_id', 'access', 'deleted_at', 'published');
       await ctx.ruche.access.requireVisible(ctx.state.viewer, row);
       return { json: { id: row.id, editable: ctx.ruche.access.canEdit(ctx.state.viewer, row) } };
     };
     exports.default = { id: 'probe', version: '1.0.0', name: 'Probe', description: 'Probe', core: '^1.0.0', defaultEnabled: true,
       routes: [
         { name: 'probe.show', method: 'GET', path: '/probe/:id', public: true, handler: show },
         { name: 'probe.api', method: 'GET', path: '/api/v1/probe/:id', public: true, handler: show, api: { summary: 'Probe' } },
       ] };`,
  }).dir;
}

eachApp(
  'hidden and unknown entities answer alike, for guests and members',
  (db) => makeApp(db, { config: { plugins: { dirs: [probePlugin()] } } }),
  async (t, app) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const created = await rt.users.create({ username: 'olga', email: 'olga@example.com', password: 'violet harbour 12' });
    const olga = 'id' in created ? created.id : 0;
    await rt.users.create({ username: 'pete', email: 'pete@example.com', password: 'violet harbour 13' });
    const insert = async (access: string, owner: number) => {
      const [r] = await rt
        .db('entities')
        .insert({ type: 'note', owner_id: owner, network_id: root, access, created_at: Date.now(), updated_at: Date.now() })
        .returning('id');
      return Number(typeof r === 'object' ? r.id : r);
    };
    const secret = await insert('private', olga);
    const open = await insert('members', olga);

    const guest = app.agent();
    const hidden = await guest.http.get(`/probe/${secret}`);
    const unknown = await guest.http.get('/probe/999999');
    t.is(hidden.status, 302);
    t.is(hidden.headers.location, `/login?next=%2Fprobe%2F${secret}`);
    t.is(unknown.status, 302, 'a guest cannot tell a hidden id from an unknown one');
    const api = await guest.http.get(`/api/v1/probe/${secret}`);
    t.is(api.status, 401);
    t.is(api.body.error.code, 'unauthorized');

    const pete = app.agent();
    await pete.login('pete', 'violet harbour 13');
    const hiddenM = await pete.http.get(`/probe/${secret}`);
    const unknownM = await pete.http.get('/probe/999999');
    t.is(hiddenM.status, 404);
    t.is(unknownM.status, 404);
    // Request ids and the CSRF token's per-response mask differ between any two pages.
    const strip = (s: string) =>
      unmasked(s)
        .replace(/\/probe\/\d+/g, '')
        .replace(/[a-f0-9-]{36}/g, '');
    t.is(strip(hiddenM.text), strip(unknownM.text), 'the same page, word for word');
    t.deepEqual((await pete.http.get(`/probe/${open}`)).body, { id: open, editable: false });

    const owner = app.agent();
    await owner.login('olga', 'violet harbour 12');
    t.deepEqual((await owner.http.get(`/probe/${secret}`)).body, { id: secret, editable: true });
    const admin = app.agent();
    await admin.login(ADMIN.username, ADMIN.password);
    t.deepEqual((await admin.http.get(`/probe/${open}`)).body, { id: open, editable: true }, 'admins moderate');
    await rt.users.setStatus(olga, 'suspended');
    t.false(rt.access.canEdit({ ...(await rt.users.viewer(olga))! }, { owner_id: olga, network_id: root }), 'a suspended owner edits nothing');
  },
);
