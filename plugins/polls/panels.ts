/**
 * Polls under the content they are attached to (the `entity:panels` filter): each visible
 * `pollable` entity shows its polls with the vote form or the results; on its own page, the
 * entity's author (or a moderator) is offered "Add a poll". A fixed number of queries for any
 * number of entities. Plus the Polls tab of a group (`groups:tabs`).
 */
import { link, t, type EntityPanel, type EntityRef, type RucheContext } from '../../core';
import type { ComposerAction } from '../activity/hooks';
import type { GroupTab } from '../groups/hooks';
import { CREATE, PollsService } from './service';
import { pollViews } from './view';

const service = (ctx: RucheContext): PollsService => ctx.ruche.container.resolve(PollsService);

export async function pollPanels(ctx: RucheContext, entities: readonly EntityRef[], mode: 'feed' | 'page'): Promise<EntityPanel[]> {
  const s = service(ctx);
  const list = entities.filter((e) => s.isPollable(e.type));
  if (!list.length) return [];
  const attached = await s.attachedTo([...new Set(list.map((e) => e.id))]);
  const here = ctx.originalUrl.split('#')[0];
  const viewer = ctx.state.viewer;
  const panels: EntityPanel[] = [];
  let first = true;
  for (const e of list) {
    const polls = attached.get(e.id) ?? [];
    const views = await pollViews(ctx, polls, here);
    const grouped = new Set(polls.filter((p) => p.entity.container_id !== null).map((p) => p.poll.entity_id));
    for (const view of views) {
      panels.push({
        entityId: e.id,
        id: `poll-${view.id}`,
        template: 'polls/partials/poll',
        order: 20,
        data: { ...view, stylesheet: first, titled: false },
        // Versioned (core/hooks/map.ts) once closed (an open poll closes with time) and outside a group (a
        // group admin manages it, a role the key does not hold): its rows bump the post's version (migrations 003, 004).
        versioned: view.closed && !grouped.has(view.id),
      });
      first = false;
    }
    const mayAdd =
      mode === 'page' &&
      !polls.length &&
      !!viewer &&
      ctx.ruche.permissions.can(viewer, CREATE, ctx.state.network.id) &&
      ctx.ruche.access.canEdit(viewer, { network_id: e.networkId, owner_id: e.ownerId });
    if (mayAdd)
      panels.push({
        entityId: e.id,
        id: 'poll-add',
        template: 'polls/partials/add',
        order: 20,
        data: { href: `${link(ctx, 'polls.new')}?on=${e.id}` },
      });
  }
  return panels;
}

/** "Post and add a poll" beside the status composer's "Post": the new status, then the poll form for it. */
export function composerAction(actions: ComposerAction[], { ctx }: { ctx: RucheContext }): ComposerAction[] {
  const viewer = ctx.state.viewer;
  if (!viewer || !ctx.ruche.permissions.can(viewer, CREATE, ctx.state.network.id)) return actions;
  return [...actions, { id: 'poll', label: t(ctx, 'polls.compose.addPoll'), next: (statusId) => `${link(ctx, 'polls.new')}?on=${statusId}` }];
}

/** The Polls and Ideas tabs of a group page. */
export function groupTabs(tabs: GroupTab[], c: { ctx: RucheContext; group: { id: number } }): GroupTab[] {
  return [
    ...tabs,
    { id: 'polls', label: t(c.ctx, 'polls.tab'), href: link(c.ctx, 'polls.container', { containerId: c.group.id }), order: 45 },
    { id: 'ideas', label: t(c.ctx, 'polls.ideas.tab'), href: link(c.ctx, 'polls.ideas.container', { containerId: c.group.id }), order: 46 },
  ];
}
