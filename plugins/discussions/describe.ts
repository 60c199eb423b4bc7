/**
 * Topics in the activity feed (the `activity:describe` filter) and the Discussions tab of a
 * group (the `groups:tabs` filter, run only when the groups plugin exists). Two queries for a
 * whole feed page, whatever its size: the topics, and the replies the `replied` rows name.
 */
import { link, t, type RucheContext } from '../../core';
import type { FeedEntry } from '../activity/hooks';
import type { GroupTab } from '../groups/hooks';
import { TOPIC, TopicsService } from './service';

export async function describeTopics(entries: FeedEntry[], c: { ctx: RucheContext }): Promise<FeedEntry[]> {
  const mine = entries.filter((e) => e.entityType === TOPIC);
  if (!mine.length) return entries;
  const { ctx } = c;
  const ids = [...new Set(mine.map((e) => e.entityId))];
  const replyIds = [...new Set(mine.filter((e) => e.verb === 'replied' && e.objectId).map((e) => Number(e.objectId)))];
  const [topics, replies] = await ctx.ruche.container.resolve(TopicsService).feedSummaries(ids, replyIds);
  const topicOf = new Map(topics.map((r) => [Number(r.entity_id), r]));
  const replyOf = new Map(replies.map((r) => [Number(r.id), r]));
  for (const e of mine) {
    const topic = topicOf.get(e.entityId);
    if (!topic) continue;
    const reply = e.verb === 'replied' ? replyOf.get(Number(e.objectId)) : undefined;
    if (e.verb === 'replied' && !reply) continue;
    e.href = reply ? link(ctx, 'discussions.reply.view', { id: reply.id }) : link(ctx, 'discussions.view', { id: e.entityId });
    e.summary = {
      template: 'discussions/partials/summary',
      data: {
        title: topic.title,
        topicHref: link(ctx, 'discussions.view', { id: e.entityId }),
        href: e.href,
        excerpt: reply ? shorten(reply.body) : topic.excerpt,
        isReply: !!reply,
        answered: topic.accepted_reply_id !== null,
        repliesLabel: t(ctx, 'discussions.list.replies', { count: Number(topic.reply_count) }),
      },
      // Versioned (core/hooks/map.ts): the topic's and its replies' rows bump its version (migrations 004, 005).
      versioned: true,
    };
  }
  return entries;
}

function shorten(text: string, max = 240): string {
  const flat = text
    .replace(/^>.*$/gm, '')
    .replace(/[*_`#>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

export function groupTab(tabs: GroupTab[], c: { ctx: RucheContext; group: { id: number } }): GroupTab[] {
  return [
    ...tabs,
    { id: 'discussions', label: t(c.ctx, 'discussions.tab'), href: link(c.ctx, 'discussions.container', { containerId: c.group.id }), order: 30 },
  ];
}
