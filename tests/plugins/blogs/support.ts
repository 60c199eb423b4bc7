// Helpers for the blogs tests: an installed app, members with roles, containers (groups
// without the groups plugin), friends, signed-in agents and posts written through the form.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import sharp from 'sharp';
import type { Runtime } from '../../../core';
import { ADMIN, makeApp, type TestAgent, type TestApp } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { BlogsService, type CleanPost } from '../../../plugins/blogs/service';

export const PASSWORD = 'violet staple engine 7';

export interface Member {
  agent: TestAgent;
  /** POSTs a urlencoded form with a fresh CSRF token. */
  post(url: string, fields?: Record<string, string | string[]>): Promise<Response>;
  get(url: string): Promise<Response>;
  token(): Promise<string>;
}

export interface BlogApp extends TestApp {
  rt: Runtime;
  db: Knex;
  svc: BlogsService;
  events: { name: string; payload: Record<string, unknown> }[];
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin'; locale?: string }): Promise<number>;
  as(username: string): Promise<Member>;
  guest(): TestAgent;
  /** A container entity (a group, as the groups plugin will make them) with these members. */
  container(ownerId: number, memberIds: number[]): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  /** Writes a post straight through the service (fast set-up for visibility tests). */
  write(ownerId: number, post: Partial<CleanPost>, containerId?: number | null): Promise<number>;
  allowGuests(allow: boolean): Promise<void>;
}

export async function blogApp(db: TestDatabase): Promise<BlogApp> {
  const app = await makeApp(db);
  const rt = app.app.ruche;
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  rt.hooks.on('blogs:published', (p) => void events.push({ name: 'blogs:published', payload: p }));
  rt.hooks.on('blogs:deleted', (p) => void events.push({ name: 'blogs:deleted', payload: p }));
  const blog: BlogApp = {
    ...app,
    rt,
    db: rt.db,
    svc: rt.container.resolve(BlogsService),
    events,
    async member(username, opts = {}) {
      const r = await rt.users.create(
        { username, email: `${username}@example.com`, password: PASSWORD, displayName: `${username[0].toUpperCase()}${username.slice(1)}` },
        opts.role ?? 'member',
      );
      if (!('id' in r)) throw new Error(`could not create ${username}: ${JSON.stringify(r.errors)}`);
      if (opts.locale) await rt.db('users').where({ id: r.id }).update({ locale: opts.locale });
      return r.id;
    },
    async as(username) {
      const agent = app.agent();
      await agent.login(username, username === ADMIN.username ? ADMIN.password : PASSWORD);
      const token = (): Promise<string> => agent.csrf('/blogs');
      return {
        agent,
        token,
        get: (url) => agent.http.get(url),
        async post(url, fields = {}) {
          const csrf = await token();
          return agent.http
            .post(url)
            .type('form')
            .send({ _csrf: csrf, ...fields });
        },
      };
    },
    guest: () => app.agent(),
    async container(ownerId, memberIds) {
      const id = await rt.entities.create({ type: 'test_group', ownerId, networkId: rt.networks.root().id, access: 'members' });
      const now = Date.now();
      await rt
        .db('container_members')
        .insert([...new Set([ownerId, ...memberIds])].map((user_id) => ({ container_id: id, user_id, role: 'member', created_at: now })));
      return id;
    },
    async befriend(a, b) {
      const now = Date.now();
      await rt.db('user_relations').insert([
        { user_id: a, other_id: b, kind: 'friend', created_at: now },
        { user_id: b, other_id: a, kind: 'friend', created_at: now },
      ]);
    },
    async write(ownerId, post, containerId = null) {
      const viewer = await rt.users.viewer(ownerId);
      const full: CleanPost = { title: 'A post', body: 'Some *text*', tags: [], access: 'members', status: 'published', publishAt: null, ...post };
      return blog.svc.create(viewer!, rt.networks.root().id, containerId, full);
    },
    async allowGuests(allow) {
      await rt.networks.update(rt.networks.root().id, { allowGuests: allow });
    },
  };
  return blog;
}

/** The id of the post a create form redirected to. */
export function createdId(res: Response): number {
  const m = /\/blogs\/(\d+)$/.exec(String(res.headers.location ?? ''));
  if (!m) throw new Error(`no post in redirect (status ${res.status}, location ${res.headers.location})`);
  return Number(m[1]);
}

export function png(width = 800, height = 450): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 90, b: 40 } } })
    .png()
    .toBuffer();
}

/** A UTC `YYYY-MM-DDTHH:MM` value for the datetime-local field. */
export const local = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
