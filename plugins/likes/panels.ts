/**
 * The reactions panel under each reactable entity: counts, the viewer's own reaction
 * highlighted, buttons to react or withdraw (one form, no JavaScript needed) and a link to
 * who reacted. Two queries for any number of entities (counts, the viewer's reactions).
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

/** Reactions to show for one entity: the enabled ones, plus any that has a count or is mine. */
export function reactionViews(ctx: RucheContext, enabled: string[], counts: Map<string, number>, mine: string | null): ReactionView[] {
  const ids = CATALOGUE.map((r) => r.id).filter((id) => enabled.includes(id) || (counts.get(id) ?? 0) > 0 || id === mine);
  return ids.map((id) => {
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
  });
}

export async function likePanels(ctx: RucheContext, entities: readonly EntityRef[], mode: 'feed' | 'page'): Promise<EntityPanel[]> {
  const s = service(ctx);
  const list = entities.filter((e) => s.isReactable(e.type));
  if (!list.length) return [];
  const ids = [...new Set(list.map((e) => e.id))];
  const viewer = ctx.state.viewer;
  const [counts, mine] = await Promise.all([s.counts(ids), viewer ? s.mine(viewer.id, ids) : Promise.resolve(new Map<number, string>())]);
  const networkId = ctx.state.network.id;
  const enabled = s.enabled(networkId);
  const canReact = !!viewer && ctx.ruche.permissions.can(viewer, REACT, networkId);
  const here = ctx.originalUrl.split('#')[0];
  return list.map((e) => {
    const c = counts.get(e.id) ?? new Map<string, number>();
    const total = [...c.values()].reduce((a, b) => a + b, 0);
    const reactions = reactionViews(ctx, enabled, c, mine.get(e.id) ?? null);
    return {
      entityId: e.id,
      id: 'likes',
      template: 'likes/partials/panel',
      order: 40,
      data: {
        entityId: e.id,
        feed: mode === 'feed',
        reactions,
        shown: reactions.filter((r) => r.count > 0),
        total,
        totalLabel: t(ctx, 'likes.panel.total', { count: total }),
        whoHref: `${link(ctx, 'likes.who', { id: e.id })}?next=${encodeURIComponent(`${here}#reactions-${e.id}`)}`,
        canReact,
        action: link(ctx, 'likes.react', { id: e.id }),
        unreactAction: link(ctx, 'likes.unreact', { id: e.id }),
        next: `${here}#reactions-${e.id}`,
        signIn: viewer ? null : `${ctx.state.basePath}/login?next=${encodeURIComponent(ctx.originalUrl)}`,
      },
    };
  });
}
