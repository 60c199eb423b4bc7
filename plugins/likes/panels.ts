/**
 * The reactions panel under each reactable entity: counts, the viewer's own reaction
 * highlighted, buttons to react or withdraw (one form, no JavaScript needed) and a link to
 * who reacted. In a feed, one button (my reaction, else the first enabled) and a link to the
 * picker: the who-reacted page, which carries every button. One query for any number of
 * entities (counts, each marked when it holds the viewer's reaction).
 */
import { link, t, type EntityPanel, type EntityRef, type RucheContext } from '../../core';
import { CATALOGUE, emojiOf } from './reactions';
import { LikesService, REACT } from './service';

const service = (ctx: RucheContext): LikesService => ctx.ruche.container.resolve(LikesService);

export interface ReactionView {
  id: string;
  emoji: string;
  label: string;
  count: number;
  mine: boolean;
  /** A button (enabled, or the viewer's own to withdraw), else a plain count. */
  clickable: boolean;
  title: string;
}

/** One reaction as a panel shows it: a button (enabled, or mine to withdraw) or a plain count. */
function reactionView(ctx: RucheContext, id: string, enabled: string[], counts: Map<string, number>, mine: string | null): ReactionView {
  const label = t(ctx, `likes.reaction.${id}`);
  const count = counts.get(id) ?? 0;
  const isMine = id === mine;
  return {
    id,
    emoji: emojiOf(id),
    label,
    count,
    mine: isMine,
    clickable: enabled.includes(id) || isMine,
    title: isMine ? t(ctx, 'likes.panel.withdraw', { reaction: label, count }) : t(ctx, 'likes.panel.react', { reaction: label, count }),
  };
}

/** Reactions to show for one entity: the enabled ones, plus any that has a count or is mine. */
export function reactionViews(ctx: RucheContext, enabled: string[], counts: Map<string, number>, mine: string | null): ReactionView[] {
  const ids = CATALOGUE.map((r) => r.id).filter((id) => enabled.includes(id) || (counts.get(id) ?? 0) > 0 || id === mine);
  return ids.map((id) => reactionView(ctx, id, enabled, counts, mine));
}

/**
 * The one reaction control of a card in a feed: the viewer's own reaction (pressed: a click
 * withdraws it), else the first enabled one (`like` by default). The other reactions are on
 * the picker (the who-reacted page), so a card carries one button, not one per reaction.
 */
function quickReaction(ctx: RucheContext, enabled: string[], counts: Map<string, number>, mine: string | null): ReactionView | null {
  const id = mine ?? enabled[0];
  return id ? reactionView(ctx, id, enabled, counts, mine) : null;
}

/** What one reactions panel shows; `next` is where a reaction form comes back to. */
export function panelData(
  ctx: RucheContext,
  entityId: number,
  mode: 'feed' | 'page',
  c: { counts: Map<string, number>; mine: string | null; enabled: string[]; canReact: boolean; next: string; picker?: boolean },
): Record<string, unknown> {
  const total = [...c.counts.values()].reduce((a, b) => a + b, 0);
  const feed = mode === 'feed';
  const reactions = feed ? [] : reactionViews(ctx, c.enabled, c.counts, c.mine);
  return {
    entityId,
    feed,
    picker: c.picker === true,
    reactions,
    quick: feed && c.canReact ? quickReaction(ctx, c.enabled, c.counts, c.mine) : null,
    // In a feed, the reactions people chose, most chosen first, in front of the total.
    summary: feed
      ? CATALOGUE.filter((r) => (c.counts.get(r.id) ?? 0) > 0)
          .sort((a, b) => (c.counts.get(b.id) ?? 0) - (c.counts.get(a.id) ?? 0))
          .slice(0, 3)
          .map((r) => r.emoji)
          .join('')
      : '',
    shown: reactions.filter((r) => r.count > 0),
    total,
    totalLabel: t(ctx, 'likes.panel.total', { count: total }),
    whoHref: `${link(ctx, 'likes.who', { id: entityId })}?next=${encodeURIComponent(c.next)}`,
    canReact: c.canReact,
    action: link(ctx, 'likes.react', { id: entityId }),
    unreactAction: link(ctx, 'likes.unreact', { id: entityId }),
    next: c.next,
    signIn: ctx.state.viewer ? null : `${ctx.state.basePath}/login?next=${encodeURIComponent(ctx.originalUrl)}`,
  };
}

export async function likePanels(ctx: RucheContext, entities: readonly EntityRef[], mode: 'feed' | 'page'): Promise<EntityPanel[]> {
  const s = service(ctx);
  const list = entities.filter((e) => s.isReactable(e.type));
  if (!list.length) return [];
  const ids = [...new Set(list.map((e) => e.id))];
  const viewer = ctx.state.viewer;
  const { counts, mine } = await s.countsAndMine(viewer?.id ?? null, ids);
  const networkId = ctx.state.network.id;
  const enabled = s.enabled(networkId);
  const canReact = !!viewer && ctx.ruche.permissions.can(viewer, REACT, networkId);
  const here = ctx.originalUrl.split('#')[0];
  // Without a viewer, the sign-in link comes back to this page.
  const signInNext = viewer ? null : ctx.originalUrl;
  return list.map((e, i) => {
    const inputs = {
      counts: counts.get(e.id) ?? new Map<string, number>(),
      mine: mine.get(e.id) ?? null,
      enabled,
      canReact,
      next: `${here}#reactions-${e.id}`,
    };
    // The stylesheet once per list, not once per card.
    const stylesheet = i === 0;
    return {
      entityId: e.id,
      id: 'likes',
      template: 'likes/partials/panel',
      order: 40,
      data: { ...panelData(ctx, e.id, mode, inputs), stylesheet },
      // The data is a function of these (with the locale and the base path): a kept card is keyed by them.
      key: [mode, [...inputs.counts], inputs.mine, enabled, canReact, inputs.next, signInNext, stylesheet],
      // Versioned (core/hooks/map.ts): a reaction's row bumps the entity's version (migration 002).
      versioned: true,
    };
  });
}
