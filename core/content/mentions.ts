/**
 * Mentions, the one contract every kind of content uses (status posts, comments, blog posts,
 * topics, replies): a text's `@names` are resolved to active members of the network (at most
 * MAX_MENTIONS, leaving out members who block the author, through `people:blocks`), stored
 * for the entity and the piece inside it (`content_mentions`), and each newly mentioned member
 * who may see the entity gets one `content:mentioned` event — not again when an edit keeps
 * them. `@group` names reach members through `content:mentionGroups` (the groups plugin).
 *
 *   const m = await rt.mentions.prepare({ networkId, authorId, text, markdown: true });
 *   await db.transaction(async (trx) => { …; await rt.mentions.save(m, { entityId, objectId }, trx); });
 *   await rt.mentions.notify(m, { entityId, objectId, source: 'comment' });
 *
 * Pages show the links with `rt.mentions.linker(ctx)` and mention-text.ts.
 */
import type { Knex } from 'knex';
import { link } from '../http/request-helpers';
import type { RucheContext } from '../http/context';
import type { Runtime } from '../runtime';
import { idList, perDialect, preparedRead } from '../db/statements';
import { profileLinker } from './people';
import { linkMentionsInHtml, mentionedNames, proseOfHtml, type TextLinks } from './mention-text';

/** The active members each piece of some entities mentions (every piece, or the pieces among a second id list). */
const mentionedSql = (objects: boolean) =>
  perDialect(
    (ids) => `select m.entity_id, m.object_id, u.username from content_mentions as m
join users as u on u.id = m.user_id
where ${ids('m.entity_id')}${objects ? ` and ${ids('m.object_id')}` : ''} and u.status = 'active'`,
  );
type MentionRow = { entity_id: number; object_id: number; username: string };
const MENTIONED = preparedRead<MentionRow>(mentionedSql(false));
const MENTIONED_IN_OBJECTS = preparedRead<MentionRow>(mentionedSql(true));
import { renderMarkdown } from '../views/markdown';

export const MAX_MENTIONS = 20;

export interface MentionDraft {
  networkId: number;
  authorId: number;
  /** Lowercase `@names` of the text (members and groups). */
  names: string[];
  /** Members resolved from `names`, who do not block the author. */
  memberIds: number[];
  /** Set by save(): members not mentioned by this piece before. */
  added: number[];
}

/** Where mentions are kept: the entity (its access decides) and the piece inside it (0: its own body). */
export interface MentionPlace {
  entityId: number;
  objectId?: number;
}

/**
 * `(place, html) => html`: rendered Markdown of a place with its mentions and hashtags as links;
 * `keyOf(place)`, what those links are a function of besides the html (the mentioned members'
 * profile links, the network's tag route), for a kept fragment's key (core/cache/fragments.ts).
 */
export type HtmlLinker = ((place: MentionPlace, html: string) => string) & { keyOf(place: MentionPlace): unknown[] };

export class Mentions {
  constructor(private readonly rt: Runtime) {}

  /** Reads the text's mentions and resolves members (before the write's transaction). */
  async prepare(p: { networkId: number; authorId: number; text: string; markdown?: boolean }): Promise<MentionDraft> {
    const names = mentionedNames(p.markdown ? proseOfHtml(renderMarkdown(p.text)) : p.text);
    const members = await this.resolveMembers(names, p.networkId, p.authorId);
    return { networkId: p.networkId, authorId: p.authorId, names, memberIds: members.map((m) => m.id), added: [] };
  }

  /** Replaces the piece's mentions (inside the write's transaction) and remembers who is new. */
  async save(draft: MentionDraft, place: MentionPlace, trx: Knex = this.rt.db): Promise<void> {
    const where = { entity_id: place.entityId, object_id: place.objectId ?? 0 };
    const before = new Set(((await trx('content_mentions').where(where).pluck('user_id')) as number[]).map(Number));
    await trx('content_mentions').where(where).delete();
    if (draft.memberIds.length) await trx('content_mentions').insert(draft.memberIds.map((user_id) => ({ ...where, user_id })));
    draft.added = draft.memberIds.filter((id) => !before.has(id));
  }

  /** Forgets a piece's mentions (a deleted comment or reply). */
  async clear(place: MentionPlace, trx: Knex = this.rt.db): Promise<void> {
    await trx('content_mentions')
      .where({ entity_id: place.entityId, object_id: place.objectId ?? 0 })
      .delete();
  }

  /**
   * One `content:mentioned` event per newly mentioned member who may see the entity (never the
   * author), then members of mentioned groups (`viaGroup`). After the transaction.
   */
  async notify(draft: MentionDraft, place: MentionPlace & { source: string }): Promise<void> {
    const entity = await this.rt.entities.get(place.entityId);
    if (!entity || !draft.names.length) return;
    const { networkId, authorId: actorId } = draft;
    const base = { networkId, entityId: place.entityId, objectId: place.objectId ?? 0, actorId, source: place.source };
    const notified = new Set<number>([actorId, ...draft.memberIds.filter((id) => !draft.added.includes(id))]);
    const reach = async (userId: number, viaGroup?: number) => {
      if (notified.has(userId)) return;
      notified.add(userId);
      const v = await this.rt.users.viewer(userId);
      if (v && (await this.rt.access.canSee(v, entity)))
        await this.rt.hooks.emit('content:mentioned', { ...base, userId, ...(viaGroup ? { viaGroup } : {}) });
    };
    for (const userId of draft.added) await reach(userId);
    const groups = await this.rt.hooks.filter('content:mentionGroups', [], { networkId, posterId: actorId, names: draft.names });
    for (const g of groups) for (const userId of g.memberIds) await reach(userId, g.containerId);
  }

  /**
   * Usernames of the active members each piece mentions, by `entityId:objectId`, in one query
   * (every piece of the entities when the places give no `objectId`).
   */
  async usernames(places: readonly MentionPlace[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const ids = [...new Set(places.map((p) => p.entityId))];
    if (!ids.length) return out;
    const objects = places.every((p) => p.objectId !== undefined) ? [...new Set(places.map((p) => p.objectId!))] : null;
    const rows = objects
      ? await MENTIONED_IN_OBJECTS.all(this.rt.db, [idList(ids), idList(objects)])
      : await MENTIONED.all(this.rt.db, [idList(ids)]);
    for (const r of rows) {
      const key = `${Number(r.entity_id)}:${Number(r.object_id)}`;
      out.set(key, [...(out.get(key) ?? []), r.username]);
    }
    return out;
  }

  /**
   * The links of one request: `forNames(usernames)` gives TextLinks linking those members
   * (the ones a piece mentions) to their profiles, and tags to the tag page.
   */
  async linker(ctx: RucheContext): Promise<(usernames: readonly string[]) => TextLinks> {
    const profile = await profileLinker(ctx);
    const route = await this.rt.hooks.filter('tags:route', null, { networkId: ctx.state.network.id });
    const tag = (t: string) => (route && this.rt.routes.get(route) ? link(ctx, route, { tag: t }) : undefined);
    return (usernames) => {
      const members = new Map(usernames.map((u) => [u.toLowerCase(), profile(u) ?? undefined]));
      return { member: (n) => members.get(n), tag };
    };
  }

  /**
   * Links mentions and hashtags in rendered Markdown of the given places (two queries, then
   * none per piece): `(place, html) => html`.
   */
  async htmlLinker(ctx: RucheContext, places: readonly MentionPlace[]): Promise<HtmlLinker> {
    const [names, linksFor] = await Promise.all([this.usernames(places), this.linker(ctx)]);
    const linksAt = (place: MentionPlace) => {
      const mentioned = names.get(`${place.entityId}:${place.objectId ?? 0}`) ?? [];
      return { mentioned, links: linksFor(mentioned) };
    };
    const linked = (place: MentionPlace, html: string) => linkMentionsInHtml(html, linksAt(place).links);
    return Object.assign(linked, {
      keyOf(place: MentionPlace): unknown[] {
        const { mentioned, links } = linksAt(place);
        return [mentioned.map((u) => links.member(u.toLowerCase()) ?? null), links.tag('t') ?? null];
      },
    });
  }

  /** One piece's rendered Markdown with its mentions and hashtags as links (bodies stored as HTML). */
  async linkHtml(ctx: RucheContext, place: MentionPlace, html: string): Promise<string> {
    return /[@#]/.test(html) ? (await this.htmlLinker(ctx, [{ objectId: 0, ...place }]))(place, html) : html;
  }

  /** Active members of the network with these usernames (lowercase), who do not block the author. */
  async resolveMembers(namesLower: readonly string[], networkId: number, authorId?: number): Promise<{ id: number; username: string }[]> {
    if (!namesLower.length) return [];
    const rows = (await this.rt
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('m.network_id', networkId)
      .where('u.status', 'active')
      .whereIn('u.username_lower', namesLower.slice(0, MAX_MENTIONS))
      .select('u.id', 'u.username')) as { id: number; username: string }[];
    const found = rows.map((r) => ({ id: Number(r.id), username: r.username }));
    if (authorId === undefined || !found.length) return found;
    const blocking = await this.rt.hooks.filter('people:blocks', [], {
      userId: authorId,
      candidateIds: found.map((m) => m.id),
      direction: 'either',
    });
    return found.filter((m) => !blocking.includes(m.id));
  }
}
