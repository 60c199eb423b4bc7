/**
 * Cards kept by version (issue 18): a feed card whose summary and panels all promise to be a
 * function of the entity's version and a few facts of the page (`versioned`, core/hooks/map.ts) is
 * kept in the fragment cache under a key the river's row alone makes — the row (actor, owner, verb,
 * access, pin), `entities.version`, the members' card version, the viewer (who, status, roles, time
 * zone), the in-memory caches' stamp, the network, the page's address and the traits first seen on
 * the page (a panel's stylesheet goes with the list's first card of its trait). The next page
 * showing it takes it from the cache before any describe or panel read (`heldCards`): a hit
 * costs the river's row and a digest. The key holds the viewer: a kept card is never another's.
 *
 * A page's whole list of cards is kept too (`activity/partials/cards`), under a key made of the same
 * facts as its cards' keys: when every card of a list was kept by version, the next page with the same
 * rows takes the list at once (one digest, one fill, no template call per card) and skips the cards'.
 */
import { keptPageFacts, renderEnv, type EntityPanel, type FeedPage, type KeptFragment, type RucheContext } from '../../core';
import type { FeedEntry } from './hooks';

const CARD = 'activity/partials/entry';
/** The list of a page's cards, kept whole when each of its cards is kept by version. */
const LIST = 'activity/partials/cards';

type Item = FeedPage['items'][number];

export interface HeldCards {
  /** Each card's key, by act id. */
  keys: Map<number, unknown>;
  /** Traits of its entity type first seen on the page, by act id: its panels carry their stylesheet. */
  firsts: Map<number, string[]>;
  /** Cards taken from the cache, by act id. */
  kept: Map<number, { entityId: number; kept: KeptFragment }>;
  /** The key of the whole list of cards (the page's facts and each card's row and first traits). */
  listKey: unknown;
  /** The whole list taken from the cache: nothing else is taken, described or read. */
  list?: KeptFragment;
}

/** Keys the page's cards and takes those kept from the fragment cache; null when cards are not kept. */
export async function heldCards(ctx: RucheContext, items: readonly Item[]): Promise<HeldCards | null> {
  const rt = ctx.ruche;
  const fragments = rt.views.fragments;
  if (!fragments.enabled || !items.length) return null;
  // The viewer's facts of core's kept parts (keptPageFacts): the same key pieces as an entity page's.
  const page = (await keptPageFacts(ctx))?.viewer;
  if (!page) return null;
  const env = renderEnv(ctx);
  const theme = ctx.state.network.theme;
  const seen = new Set<string>();
  const now = Date.now();
  // Each card's own facts: its row, the pin still on, the traits of its type first seen on the page.
  const rows = items.map((item) => {
    const firsts = (rt.plugins.entityType(item.entityType)?.traits ?? []).filter((t) => !seen.has(t));
    for (const t of firsts) seen.add(t);
    // The pin's badge goes when its time is over: whether it still holds is part of the key.
    return { item, own: { ...item, pinned: item.pinnedUntil !== null && item.pinnedUntil > now }, firsts };
  });
  const listKey = ['cards', page, rows.map((r) => [r.own, r.firsts])];
  const held: HeldCards = { keys: new Map(), firsts: new Map(), kept: new Map(), listKey };
  held.list = fragments.take(theme, LIST, env, listKey);
  if (held.list) return held;
  for (const { item, own, firsts } of rows) {
    const key = ['card', page, own, firsts];
    held.keys.set(item.id, key);
    held.firsts.set(item.id, firsts);
    const kept = fragments.take(theme, CARD, env, key);
    if (kept) held.kept.set(item.id, { entityId: item.entityId, kept });
  }
  return held;
}

/**
 * Takes back the kept cards below the first entry left out (no plugin described it): the traits
 * it would have shown first are then another card's, which the panels must be read for.
 */
export function releaseBelow(held: HeldCards, items: readonly Item[], described: ReadonlySet<number>): Item[] {
  const first = items.findIndex((i) => !held.kept.has(i.id) && !described.has(i.id));
  if (first < 0) return [];
  const released = items.slice(first).filter((i) => held.kept.has(i.id));
  for (const i of released) held.kept.delete(i.id);
  return released;
}

/**
 * The key a card just rendered is kept under, when its summary and every panel promised to be
 * versioned and it carries a stylesheet if the key says it is the page's first card of a trait (one
 * more copy of a stylesheet elsewhere is harmless); undefined otherwise (it is then kept by its data).
 */
export function keptKey(held: HeldCards, e: FeedEntry, summary: NonNullable<FeedEntry['summary']>, panels: EntityPanel[]): unknown {
  if (summary.versioned !== true || !panels.every((p) => p.versioned === true)) return undefined;
  const first = (held.firsts.get(e.id) ?? []).length > 0;
  return !first || panels.some((p) => p.data?.stylesheet === true) ? held.keys.get(e.id) : undefined;
}

/** A kept card's entry: its act, its entity (a pinned post is not listed twice) and its HTML. */
export function cardOf(held: HeldCards, id: number): Record<string, unknown> | undefined {
  const card = held.kept.get(id);
  return card && { id, entityId: card.entityId, kept: card.kept };
}
