// Helpers for the discussions tests: an installed app, members with roles, containers
// (groups without the groups plugin), signed-in agents, topics and replies.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import type { AccessLevel, Runtime } from '../../../core';
import { makeApp, type TestApp } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { MEMBER_PASSWORD, memberWorld, redirectedId, type MemberWorld, type PageAgent } from '../../helpers/members';
import { RepliesService } from '../../../plugins/discussions/replies';
import { TopicsService } from '../../../plugins/discussions/service';

export const PASSWORD = MEMBER_PASSWORD;

export type Member = PageAgent;

export interface DiscApp extends TestApp, MemberWorld {
  rt: Runtime;
  db: Knex;
  topics: TopicsService;
  replies: RepliesService;
  events: { name: string; payload: Record<string, unknown> }[];
  /** A topic straight through the service. */
  topic(
    ownerId: number,
    opts?: { title?: string; body?: string; access?: AccessLevel; containerId?: number | null; tags?: string[] },
  ): Promise<number>;
  /** A reply straight through the service; returns its id. */
  reply(authorId: number, topicId: number, body?: string): Promise<number>;
}

export async function discApp(db: TestDatabase): Promise<DiscApp> {
  const app = await makeApp(db);
  const rt = app.app.ruche;
  const events: DiscApp['events'] = [];
  for (const name of ['discussions:started', 'discussions:replied', 'discussions:answered'] as const)
    rt.hooks.on(name, (p) => void events.push({ name, payload: p as never }));
  const topics = rt.container.resolve(TopicsService);
  const replies = rt.container.resolve(RepliesService);
  const viewer = async (id: number) => (await rt.users.viewer(id))!;
  return {
    ...app,
    rt,
    db: rt.db,
    topics,
    replies,
    events,
    ...memberWorld(app, '/discussions'),
    async topic(ownerId, opts = {}) {
      return topics.create(await viewer(ownerId), rt.networks.root().id, opts.containerId ?? null, {
        title: opts.title ?? 'A topic',
        body: opts.body ?? 'A *question*',
        tags: opts.tags ?? [],
        access: opts.access ?? 'members',
      });
    },
    async reply(authorId, topicId, body = 'An answer') {
      const topic = (await topics.find(topicId))!;
      return (await replies.create(await viewer(authorId), topic, body)).id;
    },
  };
}

/** The topic id a create form redirected to. */
export const createdId = (res: Response): number => redirectedId(res, '/discussions');

/** Inserts `n` replies to a topic straight into the table (authors cycled), as the service would number them. */
export async function bulkReplies(db: Knex, topicId: number, authorIds: number[], n: number): Promise<number[]> {
  const now = Date.now() - n * 1000;
  const start = Number((await db('discussion_topics').where({ entity_id: topicId }).first('reply_seq')).reply_seq);
  const rows = Array.from({ length: n }, (_, i) => ({
    topic_id: topicId,
    position: start + i + 1,
    author_id: authorIds[i % authorIds.length],
    body: `Reply number ${start + i + 1}`,
    body_html: `<p>Reply number ${start + i + 1}</p>`,
    created_at: now + i * 1000,
  }));
  for (let i = 0; i < rows.length; i += 100) await db('discussion_replies').insert(rows.slice(i, i + 100));
  const ids = (await db('discussion_replies').where({ topic_id: topicId }).orderBy('position').pluck('id')).map(Number);
  await db('discussion_topics')
    .where({ entity_id: topicId })
    .update({ reply_seq: start + n, reply_count: start + n, last_reply_id: ids[ids.length - 1], last_activity_at: now + n * 1000 });
  return ids;
}
