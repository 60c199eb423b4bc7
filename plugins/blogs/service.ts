/**
 * Blog posts: validation, create, edit (every version kept in blog_revisions), delete
 * (soft), publication now or at a date (the `blogs.publish` job), and the lists, which
 * all go through the core access clause and show only published posts. A draft or
 * scheduled post is an unpublished entity (`entities.published`): the core's access
 * model shows it to its author only, on every surface.
 */
import type { Knex } from 'knex';
import {
  attachmentsDeleted,
  articleTags,
  excerptOf,
  fromLocalInput,
  keysetOrder,
  pageRequest,
  personalOrContainerPosting,
  typedRow,
  zoneOr,
  preparedRead,
  readBuilt,
  readPage,
  renderMarkdown,
  validateArticle,
  type ArticleFormService,
  type ArticleRow,
  type CleanArticle,
  type FieldProblems,
  type KeysetPage,
  type Runtime,
  type Viewer,
} from '../../core';
import type { Cover } from './cover';
import './hooks';

export const BLOG_POST = 'blog_post';
export const PUBLISH_JOB = 'blogs.publish';
export const STATUSES = ['draft', 'published', 'scheduled'] as const;
export type Status = (typeof STATUSES)[number];
export const MAX_TITLE = 200;
export const MAX_BODY = 100_000;
export const PAGE_SIZE = 10;

export const jobKey = (id: number): string => `${PUBLISH_JOB}:${id}`;

export type Problems = FieldProblems;

/** What the form sends, as typed. */
export interface PostInput {
  title: string;
  body: string;
  tags: string;
  access: string;
  status: string;
  publishAt: string;
  /** The zone `publishAt` is written in: the member's (account page), else their browser's, else '' (UTC). */
  timeZone: string;
  containerId: number | null;
  removeCover: boolean;
}

/** A validated post, ready to save. */
export interface CleanPost extends CleanArticle {
  status: Status;
  publishAt: number | null;
}

export interface PostRow extends ArticleRow {
  cover_key: string | null;
  status: Status;
  publish_at: number | null;
  published_at: number | null;
  edited_at: number | null;
  /** `entities.version`: bumped by every write of what the post's page shows (post-page.ts). */
  version: number;
  /** The author, read with the post (its page shows them). */
  author_username: string;
  author_name: string;
  author_photo_key: string | null;
}

export interface ListItem {
  id: number;
  title: string;
  excerpt: string;
  cover_key: string | null;
  owner_id: number;
  container_id: number | null;
  access: string;
  status: Status;
  publish_at: number | null;
  published_at: number | null;
  username: string;
  display_name: string;
  photo_key: string | null;
}

export interface ListQuery {
  ownerId?: number;
  containerId?: number;
  tag?: string;
  page?: number;
  /** Page size (default PAGE_SIZE). */
  limit?: number;
  /** Keyset instead of `page`: the posts after this one's publication time and id (the pages' and the API's cursor). */
  after?: readonly [number, number];
  /** The posts before this key (a page's "Newer" link). */
  before?: readonly [number, number];
}

/** The lists' order: newest first by publication time, the id breaking ties; the kinds of its cursor's parts. */
export const LIST_CURSOR = ['int', 'int'] as const;
const LIST_ORDER = keysetOrder(
  LIST_CURSOR,
  [
    { sql: 'b.published_at', desc: true },
    { sql: 'e.id', desc: true },
  ],
  (r: ListItem) => [Number(r.published_at ?? 0), Number(r.id)],
);

/** A post with its author, kept prepared (its page and every form read it). */
const POST = preparedRead<PostRow>(`select e.*, b.*, u.username as author_username, u.display_name as author_name, u.photo_key as author_photo_key
from entities as e join blog_posts as b on b.entity_id = e.id join users as u on u.id = e.owner_id
where e.id = ? and e.type = ? limit 1`);

export class BlogsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'activity', 'containers', 'entities', 'hooks', 'jobs', 'mentions', 'networks', 'pluginState'] as const;
  private readonly db: Runtime['db'];
  /** Its form's access choices and container check (the core's usual ones). */
  readonly posting: ArticleFormService;
  constructor(private readonly rt: Pick<Runtime, (typeof BlogsService.uses)[number]>) {
    this.db = rt.db;
    this.posting = personalOrContainerPosting(rt, 'blogs');
  }

  validate(networkId: number, input: PostInput, now: number, existing?: PostRow): { clean?: CleanPost; problems: Problems } {
    const containerId = existing ? existing.container_id : input.containerId;
    const { clean: article, problems } = validateArticle(input, {
      prefix: 'blogs',
      maxTitle: MAX_TITLE,
      maxBody: MAX_BODY,
      levels: this.posting.accessLevels(networkId),
      inContainer: !!containerId,
      currentAccess: existing?.access,
    });
    const status = input.status as Status;
    let publishAt: number | null = null;
    if (!(STATUSES as readonly string[]).includes(status)) problems.status = { key: 'blogs.errors.status' };
    else if (status === 'scheduled') {
      publishAt = fromLocalInput(input.publishAt, zoneOr(input.timeZone));
      if (publishAt === null) problems.publishAt = { key: input.publishAt.trim() ? 'blogs.errors.dateInvalid' : 'blogs.errors.dateRequired' };
      else if (publishAt <= now) problems.publishAt = { key: 'blogs.errors.datePast' };
    }
    if (!article || Object.keys(problems).length) return { problems };
    return { problems, clean: { ...article, status, publishAt } };
  }

  /**
   * Writes a new post. `held`: the core's screening holds it for review — saved as the author
   * chose but withheld (the entity's `withheld`: its author's and moderators' only) and
   * announced to nobody until a reviewer publishes it.
   */
  async create(viewer: Viewer, networkId: number, containerId: number | null, post: CleanPost, cover?: Cover, held = false): Promise<number> {
    const now = Date.now();
    const html = renderMarkdown(post.body);
    const published = post.status === 'published';
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: viewer.id, text: post.body, markdown: true });
    const id = await this.db.transaction(async (trx) => {
      const entityId = await this.rt.entities.create(
        { type: BLOG_POST, ownerId: viewer.id, networkId, access: post.access, containerId, published, withheld: held },
        trx,
      );
      await trx('blog_posts').insert({
        entity_id: entityId,
        title: post.title,
        body: post.body,
        body_html: html,
        excerpt: excerptOf(html),
        cover_key: cover?.hash ?? null,
        status: post.status,
        publish_at: post.publishAt,
        published_at: post.status === 'published' ? now : null,
      });
      await this.rt.entities.setTags(entityId, articleTags(post.tags, html), trx);
      // Mentions count once the post is out: a draft's mentions are read when it is published.
      if (published) await this.rt.mentions.save(mentions, { entityId }, trx);
      await trx('blog_revisions').insert({ entity_id: entityId, title: post.title, body: post.body, editor_id: viewer.id, created_at: now });
      if (post.status === 'published') await this.rt.activity.record({ verb: 'published', actorId: viewer.id, entityId, networkId, at: now }, trx);
      if (post.status === 'scheduled')
        await this.rt.jobs.schedule(PUBLISH_JOB, { postId: entityId }, { runAt: post.publishAt!, key: jobKey(entityId) }, trx);
      return entityId;
    });
    if (published && !held) {
      await this.rt.hooks.emit('blogs:published', { networkId, entityId: id, authorId: viewer.id });
      await this.rt.mentions.notify(mentions, { entityId: id, source: 'blog' });
    }
    return id;
  }

  /**
   * Saves an edit (`held`: as for `create`, the entity becomes withheld and nobody is told). An
   * edit never clears `withheld`: a post a moderator hid stays hidden until one shows it again.
   */
  async update(viewer: Viewer, old: PostRow, post: CleanPost, cover: Cover | undefined, removeCover: boolean, held = false): Promise<void> {
    const now = Date.now();
    const id = old.id;
    const networkId = Number(old.network_id);
    const publishing = post.status === 'published' && old.status !== 'published';
    const html = renderMarkdown(post.body);
    const published = post.status === 'published';
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: Number(old.owner_id), text: post.body, markdown: true });
    await this.db.transaction(async (trx) => {
      const coverKey = cover ? cover.hash : removeCover ? null : old.cover_key;
      await trx('blog_posts')
        .where({ entity_id: id })
        .update({
          title: post.title,
          body: post.body,
          body_html: html,
          excerpt: excerptOf(html),
          cover_key: coverKey,
          status: post.status,
          publish_at: post.publishAt,
          published_at: post.status === 'published' ? (old.published_at ?? now) : null,
          edited_at: old.status === 'published' && post.status === 'published' ? now : old.edited_at,
        });
      await this.rt.entities.setTags(id, articleTags(post.tags, html), trx);
      if (published) await this.rt.mentions.save(mentions, { entityId: id }, trx);
      await this.rt.entities.update(
        id,
        { ...(post.access !== old.access ? { access: post.access } : {}), published, ...(held ? { withheld: true } : {}) },
        trx,
      );
      if (post.title !== old.title || post.body !== old.body)
        await trx('blog_revisions').insert({ entity_id: id, title: post.title, body: post.body, editor_id: viewer.id, created_at: now });
      if (publishing) await this.rt.activity.record({ verb: 'published', actorId: Number(old.owner_id), entityId: id, networkId, at: now }, trx);
      if (old.status === 'published' && post.status !== 'published') await this.rt.activity.remove(id, {}, trx);
      if (post.status === 'scheduled') await this.rt.jobs.schedule(PUBLISH_JOB, { postId: id }, { runAt: post.publishAt!, key: jobKey(id) }, trx);
      else await this.rt.jobs.cancel(jobKey(id), trx);
    });
    if (held) return;
    if (publishing) await this.rt.hooks.emit('blogs:published', { networkId, entityId: id, authorId: Number(old.owner_id) });
    if (published) await this.rt.mentions.notify(mentions, { entityId: id, source: 'blog' });
  }

  async remove(viewer: Viewer, post: PostRow): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.rt.entities.softDelete(post.id, trx);
      await this.rt.activity.remove(post.id, {}, trx);
      await this.rt.jobs.cancel(jobKey(post.id), trx);
    });
    await this.rt.hooks.emit('blogs:deleted', {
      networkId: Number(post.network_id),
      entityId: post.id,
      authorId: Number(post.owner_id),
      byId: viewer.id,
    });
    // Its attached files (and its comments') go with it.
    await attachmentsDeleted(this.rt, Number(post.network_id), { entityIds: [post.id] });
  }

  /**
   * The `blogs.publish` job: publishes the post if it is still scheduled and due (a
   * conditional update, so running twice publishes once). Returns whether it did.
   */
  async publishDue(postId: number, now: number): Promise<boolean> {
    const post = await this.find(postId);
    if (!post || post.deleted_at || post.status !== 'scheduled' || post.publish_at === null || Number(post.publish_at) > now) return false;
    const networkId = Number(post.network_id);
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: Number(post.owner_id), text: post.body, markdown: true });
    const done = await this.db.transaction(async (trx: Knex) => {
      const changed = await trx('blog_posts')
        .where({ entity_id: postId, status: 'scheduled' })
        .where('publish_at', '<=', now)
        .update({ status: 'published', published_at: Number(post.publish_at) });
      if (Number(changed) !== 1) return false;
      await this.rt.entities.update(postId, { published: true }, trx);
      await this.rt.mentions.save(mentions, { entityId: postId }, trx);
      await this.rt.activity.record(
        { verb: 'published', actorId: Number(post.owner_id), entityId: postId, networkId: Number(post.network_id), at: now },
        trx,
      );
      return true;
    });
    if (done) {
      await this.rt.hooks.emit('blogs:published', { networkId, entityId: postId, authorId: Number(post.owner_id) });
      await this.rt.mentions.notify(mentions, { entityId: postId, source: 'blog' });
    }
    return done;
  }

  /** A post by id (deleted ones included: callers check visibility). */
  async find(id: number): Promise<PostRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await POST.first(this.db, [id, BLOG_POST]);
    return row ? normalise(row) : undefined;
  }

  /**
   * Published posts of the network the viewer may see, newest first, one page by keyset
   * (publication time, then id: the pages' and the API's cursors); a numbered page (older
   * API clients) skips rows.
   */
  async list(viewer: Viewer | null, networkId: number, q: ListQuery = {}): Promise<KeysetPage<ListItem> & { more: boolean }> {
    const { cursor, limit } = pageRequest(q, PAGE_SIZE);
    const query = this.base().where('e.network_id', networkId).where('b.status', 'published').modify(this.rt.access.visibleTo(viewer, 'e'));
    if (q.ownerId !== undefined) query.where('e.owner_id', q.ownerId);
    if (q.containerId !== undefined) query.where('e.container_id', q.containerId);
    if (q.tag !== undefined)
      query.whereExists((s) =>
        s.select(this.db.raw('1')).from('entity_tags as et').where('et.entity_id', this.db.ref('e.id')).where('et.tag', q.tag!),
      );
    const listed = await readPage(query, LIST_ORDER, cursor, limit, async (built) => (await readBuilt<ListItem>(this.db, built)).map(normalise));
    return { ...listed, more: listed.next !== null };
  }

  /** The author's own drafts and scheduled posts (only ever shown to them). */
  async unpublished(ownerId: number, networkId: number): Promise<ListItem[]> {
    const rows = (await this.base()
      .where('e.network_id', networkId)
      .where('e.owner_id', ownerId)
      .whereNull('e.deleted_at')
      .whereNot('b.status', 'published')
      .orderBy('e.updated_at', 'desc')
      .limit(100)) as ListItem[];
    return rows.map(normalise);
  }

  async revisions(id: number): Promise<{ id: number; title: string; body: string; created_at: number; display_name: string; username: string }[]> {
    const rows = await this.db('blog_revisions as r')
      .join('users as u', 'u.id', 'r.editor_id')
      .where('r.entity_id', id)
      .orderBy('r.id', 'desc')
      .select('r.id', 'r.title', 'r.body', 'r.created_at', 'u.display_name', 'u.username');
    return rows.map((r: Record<string, unknown>) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) })) as never;
  }

  private base(): Knex.QueryBuilder {
    return this.db('entities as e')
      .join('blog_posts as b', 'b.entity_id', 'e.id')
      .join('users as u', 'u.id', 'e.owner_id')
      .where('e.type', BLOG_POST)
      .where('u.status', 'active')
      .select(
        'e.id',
        'e.owner_id',
        'e.container_id',
        'e.access',
        'b.title',
        'b.excerpt',
        'b.cover_key',
        'b.status',
        'b.publish_at',
        'b.published_at',
        'u.username',
        'u.display_name',
        'u.photo_key',
      );
  }
}

const normalise = <T extends { id: number }>(row: T): T =>
  typedRow(row, {
    numbers: ['id', 'owner_id', 'network_id', 'created_at', 'publish_at', 'published_at', 'edited_at', 'deleted_at', 'container_id', 'version'],
  });
