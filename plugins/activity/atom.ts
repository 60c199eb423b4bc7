/**
 * Atom feeds of public content (the network, a tag, a member) read as a guest would, only
 * in networks open to guests; and the JSON API: feeds, posting, mention suggestions.
 */
import {
  apiProblems,
  beforeParam,
  escapeHtml,
  field,
  HttpError,
  link,
  networkUrl,
  requireReader,
  t,
  z,
  type RouteDef,
  type RucheContext,
} from '../../core';
import { loadFeed, presentFeed, type FeedView } from './feed';
import { memberByUsername, tagParam, POST } from './params';
import { StatusService } from './service';

const xml = escapeHtml;

async function guestFeed(ctx: RucheContext, query: Parameters<RucheContext['ruche']['activity']['list']>[1]): Promise<FeedView> {
  if (!ctx.state.network.allowGuests) throw new HttpError(404, 'activity.errors.noPublicFeed');
  const page = await ctx.ruche.activity.list(null, { ...query, networkIds: [ctx.state.network.id], limit: 90 });
  const saved = ctx.state.viewer;
  ctx.state.viewer = null; // describe and panels as a guest sees them
  try {
    return await presentFeed(ctx, page, 30);
  } finally {
    ctx.state.viewer = saved;
  }
}

function plain(html: string): string {
  return html
    .replace(/<br>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function atom(ctx: RucheContext, title: string, selfPath: string, feed: FeedView): void {
  // Entry paths carry the request's base path: on a network's own host they start at its root.
  const site = ctx.state.basePath ? ctx.ruche.config.siteUrl : networkUrl(ctx.ruche.config.siteUrl, ctx.state.network);
  const entries = feed.entries.map((e) => {
    const data = ((e.summary as { data?: Record<string, unknown> }).data ?? {}) as Record<string, unknown>;
    const html = typeof data.html === 'string' ? data.html : typeof data.excerpt === 'string' ? escapeHtml(data.excerpt) : '';
    const heading = typeof data.title === 'string' ? data.title : plain(html).slice(0, 80) || `${e.actorName} ${e.verbText}`;
    const href = `${site}${String(e.href ?? e.actorHref)}`;
    return [
      '<entry>',
      `<id>${xml(`${site}/activity/${e.id}`)}</id>`,
      `<title>${xml(heading)}</title>`,
      `<link rel="alternate" href="${xml(href)}"/>`,
      `<updated>${new Date(Number(e.createdAt)).toISOString()}</updated>`,
      `<author><name>${xml(String(e.actorName))}</name></author>`,
      `<content type="html">${xml(html || `${String(e.actorName)} ${String(e.verbText)}`)}</content>`,
      '</entry>',
    ].join('');
  });
  const updated = feed.entries.length ? new Date(Number(feed.entries[0].createdAt)).toISOString() : new Date(0).toISOString();
  ctx.type = 'application/atom+xml; charset=utf-8';
  ctx.body = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>${xml(site + selfPath)}</id><title>${xml(title)}</title><updated>${updated}</updated><link rel="self" href="${xml(site + selfPath)}"/>${entries.join('')}</feed>\n`;
}

/** One page of a feed as the API answers it; `older` is the `?before=` of the next page. */
const apiFeed = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      verb: z.string(),
      entityId: z.number().int().nullable(),
      access: z.string().nullable(),
      createdAt: z.number(),
      href: z.string().nullable(),
      actor: z.object({ name: z.string(), href: z.string().nullable(), isBot: z.boolean() }),
      /** The title of what the entry is about (a topic, a blog post), when it has one. */
      title: z.string().nullable(),
      text: z.string().nullable(),
    }),
  ),
  older: z.string().nullable(),
});
const apiPosted = z.object({ id: z.number().int(), href: z.string() });
const apiSuggestions = z.object({ members: z.array(z.object({ username: z.string(), displayName: z.string(), isBot: z.boolean() })) });

/** A string field of an entry's summary (as the plugin that describes the entry filled it), else null. */
const summaryText = (e: FeedView['entries'][number], key: string): string | null => {
  const value = (e.summary as { data?: Record<string, unknown> }).data?.[key];
  return typeof value === 'string' ? value : null;
};

/** The entry's words as plain text: its body, else the excerpt its summary shows. */
function textOf(e: FeedView['entries'][number]): string | null {
  const html = summaryText(e, 'html');
  return html === null ? summaryText(e, 'excerpt') : plain(html);
}

function jsonFeed(feed: FeedView): unknown {
  return {
    items: feed.entries.map((e) => ({
      id: e.id,
      verb: e.verb,
      entityId: e.entityId,
      access: e.access,
      createdAt: e.createdAt,
      href: e.href ?? null,
      actor: { name: e.actorName, href: e.actorHref, isBot: e.actorIsBot },
      title: summaryText(e, 'title'),
      text: textOf(e),
    })),
    older: feed.older,
  };
}

/** The optional `containerId` of a post (a number, or digits); null when absent, undefined when malformed. */
function containerIdField(ctx: RucheContext): number | null | undefined {
  const raw = (ctx.request as { body?: Record<string, unknown> }).body?.containerId;
  if (raw === undefined || raw === null || raw === '') return null;
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export const atomRoutes: RouteDef[] = [
  {
    name: 'activity.atom',
    method: 'GET',
    path: '/activity/feed.atom',
    public: true,
    async handler(ctx) {
      atom(ctx, `${ctx.state.network.name} — ${t(ctx, 'activity.network.title')}`, link(ctx, 'activity.atom'), await guestFeed(ctx, {}));
    },
  },
  {
    name: 'activity.tag.atom',
    method: 'GET',
    path: '/tags/:tag/feed.atom',
    public: true,
    async handler(ctx) {
      const tag = tagParam(ctx);
      atom(
        ctx,
        `#${tag} — ${ctx.state.network.name}`,
        link(ctx, 'activity.tag.atom', { tag }),
        await guestFeed(ctx, { tag, verbs: ['posted', 'published', 'started'] }),
      );
    },
  },
  {
    name: 'activity.profile.atom',
    method: 'GET',
    path: '/people/:username/activity.atom',
    public: true,
    async handler(ctx) {
      const member = await memberByUsername(ctx);
      atom(
        ctx,
        `${member.display_name} — ${ctx.state.network.name}`,
        link(ctx, 'activity.profile.atom', { username: member.username }),
        await guestFeed(ctx, { actorId: member.id }),
      );
    },
  },
  {
    name: 'activity.api.network',
    method: 'GET',
    path: '/api/v1/activity',
    api: { summary: 'The network’s activity, newest first (older with ?before=<id>).', response: apiFeed, page: 'activity.network' },
    public: true,
    async handler(ctx) {
      requireReader(ctx);
      return { json: jsonFeed(await loadFeed(ctx, { networkIds: [ctx.state.network.id], before: beforeParam(ctx) })) };
    },
  },
  {
    name: 'activity.api.home',
    method: 'GET',
    path: '/api/v1/feed',
    api: { summary: 'The viewer’s home feed: what they follow, newest first.', response: apiFeed, page: 'activity.home' },
    capability: POST,
    async handler(ctx) {
      const networkId = ctx.state.network.id;
      return {
        json: jsonFeed(
          await loadFeed(ctx, {
            networkIds: [networkId],
            ...ctx.ruche.container.resolve(StatusService).homeSources(ctx.state.viewer!, networkId),
            before: beforeParam(ctx),
          }),
        ),
      };
    },
  },
  {
    name: 'activity.api.post',
    method: 'POST',
    path: '/api/v1/status',
    api: { summary: 'Posts a status update (into a group the viewer may post in with `containerId`).', response: apiPosted },
    capability: POST,
    async handler(ctx) {
      const s = ctx.ruche.container.resolve(StatusService);
      const networkId = ctx.state.network.id;
      const containerId = containerIdField(ctx);
      if (containerId === undefined) throw apiProblems(ctx, { containerId: { key: 'activity.errors.container' } });
      const access = field(ctx, 'access') || (containerId ? 'group' : s.defaultAccess(networkId));
      const input = { body: field(ctx, 'body'), access, containerId };
      const errors = await s.validate(ctx.state.viewer!, networkId, input);
      if (Object.keys(errors).length) throw apiProblems(ctx, errors);
      const id = await s.create(ctx.state.viewer!, networkId, input);
      return { status: 201, json: { id, href: link(ctx, 'activity.status.view', { id }) } };
    },
  },
  {
    name: 'activity.api.mentions',
    method: 'GET',
    path: '/api/v1/mentions',
    api: { summary: 'Members to suggest when typing an @mention (?q=).', response: apiSuggestions, page: false },
    capability: POST,
    async handler(ctx) {
      const q = typeof ctx.query.q === 'string' ? ctx.query.q.slice(0, 64) : '';
      return { json: { members: await ctx.ruche.container.resolve(StatusService).suggestMentions(ctx.state.viewer!, ctx.state.network.id, q) } };
    },
  },
];
