// Helpers for the blogs tests: an installed app, members with roles, containers (groups
// without the groups plugin), friends, signed-in agents and posts written through the form.
import type { Response } from 'supertest';
import sharp from 'sharp';
import { makeApp } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { recordEvents, type PluginTestApp } from '../../helpers/plugin-app';
import { MEMBER_PASSWORD, memberWorld, redirectedId, type MemberWorld, type PageAgent } from '../../helpers/members';
import { BlogsService, type CleanPost } from '../../../plugins/blogs/service';

export const PASSWORD = MEMBER_PASSWORD;

export type Member = PageAgent;

export interface BlogApp extends PluginTestApp, MemberWorld {
  svc: BlogsService;
  /** Writes a post straight through the service (fast set-up for visibility tests). */
  write(ownerId: number, post: Partial<CleanPost>, containerId?: number | null): Promise<number>;
}

export async function blogApp(db: TestDatabase): Promise<BlogApp> {
  const app = await makeApp(db);
  const rt = app.app.ruche;
  const events = recordEvents(rt, ['blogs:published', 'blogs:deleted']);
  const blog: BlogApp = {
    ...app,
    rt,
    db: rt.db,
    svc: rt.container.resolve(BlogsService),
    events,
    ...memberWorld(app, '/blogs'),
    async write(ownerId, post, containerId = null) {
      const viewer = await rt.users.viewer(ownerId);
      const full: CleanPost = { title: 'A post', body: 'Some *text*', tags: [], access: 'members', status: 'published', publishAt: null, ...post };
      return blog.svc.create(viewer!, rt.networks.root().id, containerId, full);
    },
  };
  return blog;
}

/** One test per database with a fresh `blogApp`, closed afterwards. */
export const eachBlogApp = eachAppOf(blogApp);

/** The id of the post a create form redirected to. */
export const createdId = (res: Response): number => redirectedId(res, '/blogs');

export function png(width = 800, height = 450): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 90, b: 40 } } })
    .png()
    .toBuffer();
}

/** A UTC `YYYY-MM-DDTHH:MM` value for the datetime-local field. */
export const local = (ms: number): string => new Date(ms).toISOString().slice(0, 16);
