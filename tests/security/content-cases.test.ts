/**
 * Issue 16, content access gaps and group roles. Case 5: a draft or a scheduled blog post is its author's
 * only on every surface — its page, its comment thread and reactions (pages and JSON API,
 * reading and writing), the access clause every list uses, and notifications — for
 * members and root admins alike; the same surfaces open once it is published. Real HTTP,
 * both databases. Case 7: a group co-admin cannot take the group over and then demote and
 * remove its owner.
 */
import request from 'supertest';
import { ADMIN, makeApp } from '../helpers/app';
import { BlogsService, type CleanPost } from '../../plugins/blogs/service';
import { groupApp } from '../plugins/groups/support';
import { eachApp } from '../helpers/each-app';

const PASSWORD = 'violet staple engine 7';

eachApp(
  'issue 16 case 5: draft and scheduled posts have no thread, reactions or notifications for others until published',
  makeApp,
  async (t, app) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    for (const id of ['blogs', 'comments', 'likes', 'notifications']) if (!rt.pluginState.isEnabled(id)) await rt.pluginState.enable(id);
    const user = async (username: string): Promise<number> => {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName: username });
      if (!('id' in r)) throw new Error(JSON.stringify(r.errors));
      return r.id;
    };
    const ann = await user('ann');
    const bob = await user('bob');
    const adminId = Number((await rt.db('users').where({ username_lower: ADMIN.username }).first('id')).id);
    const svc = rt.container.resolve(BlogsService);
    const write = async (post: Partial<CleanPost>): Promise<number> =>
      svc.create((await rt.users.viewer(ann))!, root, null, {
        title: 'Not yet',
        body: 'Some *text*',
        tags: [],
        access: 'public',
        status: 'published',
        publishAt: null,
        ...post,
      });
    const draft = await write({ status: 'draft' });
    const publishAt = Date.now() + 3_600_000;
    const scheduled = await write({ status: 'scheduled', publishAt });

    const signIn = async (username: string, password: string) => {
      const agent = app.agent();
      await agent.login(username, password);
      const token = await agent.csrf('/');
      return {
        agent,
        post: (url: string, fields: Record<string, string>) =>
          agent.http
            .post(url)
            .type('form')
            .send({ _csrf: token, ...fields }),
      };
    };
    const others = [
      { label: 'member', id: bob, web: await signIn('bob', PASSWORD) },
      { label: 'root admin', id: adminId, web: await signIn(ADMIN.username, ADMIN.password) },
    ];
    const author = await signIn('ann', PASSWORD);
    const api = (token: string) => ({
      get: (url: string) => request(app.app.callback()).get(url).set('Authorization', `Bearer ${token}`),
      post: (url: string, body: Record<string, unknown>) => request(app.app.callback()).post(url).set('Authorization', `Bearer ${token}`).send(body),
    });
    const rows = async (table: string, id: number): Promise<number> =>
      Number((await rt.db(table).where({ entity_id: id }).count({ n: '*' }).first())?.n ?? 0);

    for (const [what, id] of [
      ['draft', draft],
      ['scheduled', scheduled],
    ] as const) {
      t.is((await author.agent.http.get(`/blogs/${id}`)).status, 200, `${what}: its author reads it`);
      for (const who of others) {
        const say = (s: string) => `${what} / ${who.label}: ${s}`;
        const http = who.web.agent.http;
        const bearer = api((await rt.apiTokens.create(who.id, 'tests')).token);
        t.is((await http.get(`/blogs/${id}`)).status, 404, say('post page'));
        t.is((await http.get(`/entities/${id}/comments`)).status, 404, say('thread page'));
        t.is((await http.get(`/entities/${id}/reactions`)).status, 404, say('reactions page'));
        t.is((await bearer.get(`/api/v1/entities/${id}/comments`)).status, 404, say('API thread'));
        t.is((await bearer.get(`/api/v1/entities/${id}/reactions`)).status, 404, say('API reactions'));
        t.is((await who.web.post(`/entities/${id}/comments`, { body: 'Early word' })).status, 404, say('comment form'));
        t.is((await who.web.post(`/entities/${id}/react`, { reaction: 'like' })).status, 404, say('react form'));
        t.is((await bearer.post(`/api/v1/entities/${id}/comments`, { body: 'Early word' })).status, 404, say('API comment'));
        t.is((await bearer.post(`/api/v1/entities/${id}/reactions`, { reaction: 'like' })).status, 404, say('API react'));
        const listed = await rt
          .db('entities as e')
          .modify(rt.access.visibleTo((await rt.users.viewer(who.id)) ?? null, 'e'))
          .where('e.id', id)
          .first('e.id');
        t.is(listed, undefined, say('the access clause every list and feed uses leaves it out'));
      }
      const guest = app.agent();
      t.is((await guest.http.get(`/entities/${id}/comments`)).status, 302, `${what} / guest: thread asks to sign in`);
      t.is((await request(app.app.callback()).get(`/api/v1/entities/${id}/reactions`)).status, 401, `${what} / guest: API reactions`);
      t.is(await rows('comments', id), 0, `${what}: nobody commented`);
      t.is(await rows('reactions', id), 0, `${what}: nobody reacted`);
    }
    t.is(Number((await rt.db('notifications').where({ user_id: ann }).count({ n: '*' }).first())?.n ?? 0), 0, 'the author was notified of nothing');

    // Published, the same surfaces open: the draft by its author's edit, the scheduled post by its job.
    await svc.update(
      (await rt.users.viewer(ann))!,
      (await svc.find(draft))!,
      { title: 'Now out', body: 'Text', tags: [], access: 'public', status: 'published', publishAt: null },
      undefined,
      false,
    );
    t.true(await svc.publishDue(scheduled, publishAt + 1));
    for (const id of [draft, scheduled]) {
      const bobWeb = others[0].web;
      t.is((await bobWeb.agent.http.get(`/entities/${id}/comments`)).status, 200, `published ${id}: thread page`);
      t.is((await bobWeb.post(`/entities/${id}/comments`, { body: 'Now I may' })).status, 303, `published ${id}: comment form`);
      t.is((await bobWeb.post(`/entities/${id}/react`, { reaction: 'like' })).status, 303, `published ${id}: react form`);
      t.is(await rows('comments', id), 1);
      t.is(await rows('reactions', id), 1);
    }
    t.true(
      Number((await rt.db('notifications').where({ user_id: ann, kind: 'comments.created' }).count({ n: '*' }).first())?.n ?? 0) >= 1,
      'now the author hears of comments',
    );
  },
);

eachApp(
  'issue 16 case 7: a group co-admin cannot take the group, nor demote or remove its owner; the owner and network moderators may hand it over',
  groupApp,
  async (t, app) => {
    for (const u of ['owner', 'coadmin', 'ann']) await app.member(u);
    await app.member('mod', { role: 'moderator' });
    const id = await app.group('owner', { name: 'Board', visibility: 'closed' });
    await app.join(id, 'coadmin', 'admin');
    await app.join(id, 'ann');
    const ownerOf = async () => Number((await app.db('entities').where({ id }).first('owner_id')).owner_id);
    const role = async (u: string) =>
      (await app.db('container_members').where({ container_id: id, user_id: app.ids[u] }).first('role'))?.role ?? null;

    const co = await app.as('coadmin');
    t.notRegex((await co.get(`/groups/${id}/edit`)).text, new RegExp(`action="/groups/${id}/transfer"`), 'a co-admin is not offered the transfer');
    const taken = await co.post(`/groups/${id}/transfer`, { user: 'coadmin' });
    t.is(taken.status, 403, 'a co-admin cannot transfer the group to themselves');
    t.regex(
      taken.text,
      /Only the group(?:&#x27;|&#39;|')s owner, or an administrator or moderator of the network, may hand the group over\./,
      'a clear, localised refusal',
    );
    t.is((await co.post(`/groups/${id}/transfer`, { user: 'ann' })).status, 403, 'nor to anyone else');
    t.is(await ownerOf(), app.ids.owner, 'the owner is unchanged');
    t.is((await co.post(`/groups/${id}/members/${app.ids.owner}/demote`)).status, 409, 'the owner cannot be demoted');
    t.is((await co.post(`/groups/${id}/members/${app.ids.owner}/remove`)).status, 409, 'the owner cannot be removed');
    t.is(await role('owner'), 'admin', 'the owner is still an admin of the group');
    t.is(await role('coadmin'), 'admin');

    const owner = await app.as('owner');
    t.regex((await owner.get(`/groups/${id}/edit`)).text, new RegExp(`action="/groups/${id}/transfer"`), 'the owner is offered the transfer');
    const mod = await app.as('mod');
    t.is((await mod.post(`/groups/${id}/transfer`, { user: 'ann' })).status, 303, 'a network moderator may hand it over');
    t.is(await ownerOf(), app.ids.ann);
    const admin = await app.as('admin');
    t.is((await admin.post(`/groups/${id}/transfer`, { user: 'owner' })).status, 303, 'so may a root admin');
    t.is(await ownerOf(), app.ids.owner);
    t.is((await owner.post(`/groups/${id}/transfer`, { user: 'coadmin' })).status, 303, 'and the owner');
    t.is(await ownerOf(), app.ids.coadmin);
  },
);
