/**
 * Feeds as pages: reads a page of the river through the core's access clause, keeps one
 * entry per entity (the newest act), lets content plugins describe their entities
 * (`activity:describe`) and add their panels (comments, reactions); actors' avatars and
 * owners' names come with the page's rows — a fixed number of queries whatever its size.
 */
import {
  avatarUrl,
  BOT_KIND,
  entityPanels,
  FEED_PAGE_SIZE,
  hrefWith,
  link,
  t,
  type EntityPanel,
  type EntityRef,
  type FeedPage,
  type FeedQuery,
  type KeptFragment,
  type RucheContext,
} from '../../core';
import type { FeedEntry } from './hooks';
import { StatusService } from './service';
import { cardOf, heldCards, keptKey, releaseBelow, type HeldCards } from './kept-cards';

export interface FeedView {
  entries: Record<string, unknown>[];
  older: string | null;
  empty: boolean;
  /** The whole list of cards, kept (kept-cards.ts): `entries` then only tell each card's act and entity. */
  cards?: KeptFragment;
  /** The key the list of cards is kept under once rendered: each of its cards was kept by version. */
  cardsKey?: unknown;
}

/**
 * One page of a feed: up to `limit` distinct entities (20 by default), each shown with its
 * newest act. Reads three times as many rows so that acts on the same entity (a post and
 * its comments and likes) still fill the page; the "older" cursor is the last row used.
 */
export async function loadFeed(ctx: RucheContext, query: FeedQuery, options: FeedOptions = {}): Promise<FeedView> {
  const want = query.limit ?? FEED_PAGE_SIZE;
  const page = await ctx.ruche.activity.list(ctx.state.viewer, { ...query, limit: want * 3 });
  return presentFeed(ctx, page, want, options);
}

export interface FeedOptions {
  /**
   * The entries are only rendered as cards (`{{fragment "activity/partials/entry" key=cardKey
   * kept=kept}}`): a card kept by its version (kept-cards.ts) is taken from the fragment cache before
   * any describe or panel read, and its entry carries nothing else. Not for a feed read as data.
   */
  kept?: boolean;
  /** Entities shown above the feed on the same page (the announcements): not listed again. */
  without?: FeedView | null;
}

/** Pinned announcements of a network, newest first (at most 5). */
async function loadAnnouncements(ctx: RucheContext, networkId: number): Promise<FeedView> {
  // The few pinned entities first, by their own index: filtering the whole river on
  // `pinned_until` would read every row of it when nothing is pinned.
  const ids = await ctx.ruche.container.resolve(StatusService).pinnedIds(networkId);
  if (!ids.length) return { entries: [], older: null, empty: true };
  return loadFeed(ctx, { networkIds: [networkId], verbs: ['posted', 'published'], entityIds: ids, limit: 5 }, { kept: true });
}

/**
 * The network's announcements, then the feed (`query`) without them: a pinned post is not listed
 * twice on one page. In turn, not at once: the feed's cards are kept as a list of what it shows.
 */
export async function loadBelowAnnouncements(ctx: RucheContext, query: FeedQuery): Promise<{ feed: FeedView; pinned: FeedView | null }> {
  const pinned = query.before ? null : await loadAnnouncements(ctx, ctx.state.network.id);
  return { feed: await loadFeed(ctx, query, { kept: true, without: pinned }), pinned };
}

/**
 * The act an entry is shown with: the newest one by someone else that is not a like (a
 * comment or the post itself tells more), else the newest. The entry keeps the position
 * of the newest act, so a post people talk about comes back up.
 */
function headline(items: FeedPage['items'], first: number, viewerId: number | undefined): FeedPage['items'][number] {
  const entityId = items[first].entityId;
  const acts = items.slice(first).filter((i) => i.entityId === entityId);
  const chosen = acts.find((a) => a.verb !== 'liked' && a.actorId !== viewerId) ?? acts.find((a) => a.verb !== 'liked') ?? acts[0];
  return { ...chosen, id: items[first].id };
}

/** Verbs that name the content's owner, said otherwise when the actor is the owner or the reader is. */
const OWN_VERBS = new Set(['commented', 'liked']);

/** The verb's variant: "on their own post" (the actor's), "on your post" (the reader's), else "on a post by {owner}". */
function whose(e: { verb: string; actorId: number; ownerId: number }, viewerId: number | undefined): '' | 'Own' | 'Yours' {
  if (!OWN_VERBS.has(e.verb)) return '';
  if (e.actorId === e.ownerId) return 'Own';
  return e.ownerId === viewerId ? 'Yours' : '';
}

/**
 * What a card is keyed by in the fragment cache (`{{fragment ... key=cardKey}}`): the card's
 * fields, with the summary's and each panel's data told by their `key` where the plugin gave one
 * (the entity's version and the viewer's own facts: core/cache/fragments.ts). Undefined when
 * nothing is smaller to tell than the data: the card is then keyed by its data.
 */
function cardKey(networkId: number, entry: Record<string, unknown>, summary: NonNullable<FeedEntry['summary']>, panels: EntityPanel[]): unknown {
  if (summary.key === undefined && !panels.some((p) => p.key !== undefined)) return undefined;
  return {
    ...entry,
    // The network the card is shown in: its settings and wording are no part of the plugins' keys.
    network: networkId,
    summary: summary.key === undefined ? summary : { template: summary.template, key: summary.key },
    panels: panels.map((p) => (p.key === undefined ? p : { entityId: p.entityId, id: p.id, template: p.template, order: p.order, key: p.key })),
  };
}

export async function presentFeed(ctx: RucheContext, page: FeedPage, want = FEED_PAGE_SIZE, options: FeedOptions = {}): Promise<FeedView> {
  const rt = ctx.ruche;
  const seen = new Set<number>();
  let unique: FeedPage['items'] = [];
  let older = page.older;
  for (let i = 0; i < page.items.length; i++) {
    const item = page.items[i];
    if (seen.has(item.entityId)) continue;
    seen.add(item.entityId);
    unique.push(headline(page.items, i, ctx.state.viewer?.id));
    if (unique.length === want) {
      if (i < page.items.length - 1) older = item.id;
      break;
    }
  }
  if (options.without?.entries.length) {
    const above = new Set(options.without.entries.map((e) => e.entityId));
    unique = unique.filter((i) => !above.has(i.entityId));
  }
  const networkId = ctx.state.network.id;
  const describe = async (items: FeedPage['items']): Promise<FeedEntry[]> =>
    (
      await rt.hooks.filter(
        'activity:describe',
        items.map((i) => ({ ...i }) as FeedEntry),
        { ctx, networkId, viewer: ctx.state.viewer },
      )
    ).filter((e) => e.summary);
  // Cards kept by version (kept-cards.ts): taken now, so that only the others are described and read.
  const held: HeldCards | null = options.kept ? await heldCards(ctx, unique) : null;
  const olderHref = older === null ? null : hrefWith(ctx, { before: older });
  if (held?.list) return { entries: unique.map((i) => ({ id: i.id, entityId: i.entityId })), cards: held.list, older: olderHref, empty: false };
  let described = await describe(held ? unique.filter((i) => !held.kept.has(i.id)) : unique);
  const released = held ? releaseBelow(held, unique, new Set(described.map((e) => e.id))) : [];
  if (released.length) {
    const order = new Map(unique.map((i, n) => [i.id, n]));
    described = [...described, ...(await describe(released))].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }

  const refs: EntityRef[] = described.map((e) => ({
    id: e.entityId,
    type: e.entityType,
    ownerId: e.ownerId,
    networkId: e.networkId,
    containerId: e.containerId,
    access: e.access,
  }));
  // The actors' and owners' names and avatars, for the cards described only (the river's rows do not carry them).
  const [panels, rows] = await Promise.all([
    entityPanels(ctx, refs, 'feed'),
    rt.users.people([...new Set(described.flatMap((e) => [e.actorId, e.ownerId]))]),
  ]);
  const people = new Map(rows.map((p) => [p.id, p]));

  let allKept = true;
  const entries = described.map((e) => {
    const actor = people.get(e.actorId);
    const entry: Record<string, unknown> = {
      id: e.id,
      entityId: e.entityId,
      verb: e.verb,
      verbText: t(ctx, `activity.verb.${e.verb}${whose(e, ctx.state.viewer?.id)}`, { owner: people.get(e.ownerId)?.display_name ?? '' }),
      actorName: actor?.display_name ?? '',
      actorIsBot: actor?.kind === BOT_KIND,
      actorHref: link(ctx, 'profiles.view', { username: actor?.username ?? '' }),
      actorAvatar: avatarUrl(ctx, { id: e.actorId, photo_key: actor?.photo_key ?? null }, 64),
      createdAt: e.createdAt,
      href: e.href,
      access: e.access,
      accessLabel: t(ctx, `core.access.${e.access}`),
      summary: e.summary,
      panels: panels.get(e.entityId) ?? [],
    };
    const versioned = held ? keptKey(held, e, e.summary!, entry.panels as EntityPanel[]) : undefined;
    if (versioned === undefined) allKept = false;
    entry.cardKey = versioned ?? cardKey(networkId, entry, e.summary!, entry.panels as EntityPanel[]);
    return entry;
  });
  let shown = entries;
  if (held?.kept.size) {
    const fresh = new Map(entries.map((e) => [e.id, e]));
    shown = unique.map((i) => cardOf(held, i.id) ?? fresh.get(i.id)).filter((e) => e !== undefined);
  }
  // Every card kept by version, each of the page's rows shown: the list is kept whole once rendered.
  const cardsKey = held && allKept && shown.length === unique.length ? held.listKey : undefined;
  return { entries: shown, older: olderHref, empty: shown.length === 0 && older === null, cardsKey };
}
