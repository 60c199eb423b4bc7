/**
 * View models of the search pages: the request read into words and filters (with a message per
 * bad filter, the input kept), results turned into cards with escaped, highlighted excerpts, the
 * tabs with their counts, and the suggestions answered while typing.
 */
import {
  cursorPager,
  cursorParams,
  entityHref,
  hrefWith,
  idOf,
  link,
  pageParam,
  pager,
  personCards,
  queryParam,
  t,
  type RouteResult,
  type RucheContext,
  queryWords,
} from '../../core';
import { CANDIDATES, COUNT_CAP, PAGE_SIZE, RELEVANCE_PAGES, SearchQuery, type ContentFilters } from './query';

/** The tabs in the order they show; a content tab shows when a plugin declares it. */
const TAB_ORDER = ['all', 'people', 'groups', 'posts', 'blogs', 'discussions', 'files'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A cursor of the date order: a result's date and id. */
const DATE_CURSOR = ['int', 'int'] as const;
/** A cursor of the people tab: a name and an id. */
const PEOPLE_CURSOR = ['text', 'int'] as const;
/** A link to another list (tab, query, group) starts at its first page. */
const FIRST_PAGE = { page: null, after: null, before: null };

export interface SearchRequest {
  q: string;
  words: string[];
  tab: string;
  sort: 'relevance' | 'date';
  /** The page of the relevance order. */
  page: number;
  /** Where a page of the date order or of the people tab starts (`?after=` / `?before=`). */
  cursor: NonNullable<ContentFilters['cursor']>;
  input: { author: string; from: string; to: string; group: string };
  authorId?: number;
  containerId?: number;
  groupTitle?: string;
  from?: number;
  to?: number;
  errors: Record<string, string>;
}

const query = (ctx: RucheContext): SearchQuery => ctx.ruche.container.resolve(SearchQuery);

/** A `YYYY-MM-DD` date as the UTC midnight starting it; undefined when empty, NaN when not a date. */
function dayStart(raw: string): number | undefined {
  if (!raw) return undefined;
  const m = DATE.exec(raw);
  if (!m) return NaN;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(at).toISOString().slice(0, 10) === raw ? at : NaN;
}

export async function readRequest(ctx: RucheContext): Promise<SearchRequest> {
  const q = queryParam(ctx, 'q').slice(0, 200);
  const tabs = query(ctx).tabs();
  const rawTab = queryParam(ctx, 'tab');
  const tab = rawTab === 'people' || tabs.has(rawTab) ? rawTab : 'all';
  const input = {
    author: queryParam(ctx, 'author').trim().replace(/^@/, ''),
    from: queryParam(ctx, 'from'),
    to: queryParam(ctx, 'to'),
    group: queryParam(ctx, 'group'),
  };
  const sort = queryParam(ctx, 'sort') === 'date' ? 'date' : 'relevance';
  const req: SearchRequest = {
    q,
    words: queryWords(q),
    tab,
    sort,
    page: pageParam(ctx),
    cursor: tab === 'people' ? cursorParams(ctx, ...PEOPLE_CURSOR) : sort === 'date' ? cursorParams(ctx, ...DATE_CURSOR) : {},
    input,
    errors: {},
  };
  const network = ctx.state.network;
  if (input.author) {
    const member = await ctx.ruche.users.activeMember(network.id, input.author);
    if (member) req.authorId = Number(member.id);
    else req.errors.author = t(ctx, 'search.errors.author', { name: input.author });
  }
  const from = dayStart(input.from);
  const to = dayStart(input.to);
  if (Number.isNaN(from)) req.errors.from = t(ctx, 'search.errors.date');
  else req.from = from;
  if (Number.isNaN(to)) req.errors.to = t(ctx, 'search.errors.date');
  else if (to !== undefined) req.to = to + 86_400_000;
  if (req.from !== undefined && req.to !== undefined && req.from >= req.to) req.errors.to = t(ctx, 'search.errors.range');
  if (input.group) {
    // A group the viewer may see, in this network: its title comes from the index.
    const id = idOf(input.group);
    const group = id ? await ctx.ruche.entities.get(id) : undefined;
    const visible = !!group && Number(group.network_id) === network.id && (await ctx.ruche.access.canSee(ctx.state.viewer, group));
    const title = visible ? await query(ctx).indexedTitle(id) : null;
    if (visible && title !== null) {
      req.containerId = id;
      req.groupTitle = title;
    } else req.errors.group = t(ctx, 'search.errors.group');
  }
  return req;
}

export async function resultsPage(ctx: RucheContext, req: SearchRequest): Promise<RouteResult> {
  const rt = ctx.ruche;
  const viewer = ctx.state.viewer;
  const networkId = ctx.state.network.id;
  const tabs = query(ctx).tabs();
  const allTypes = [...tabs.values()].flat();
  const bad = Object.keys(req.errors).length > 0;
  const words = bad ? [] : req.words;
  const filters = { containerId: req.containerId, authorId: req.authorId, from: req.from, to: req.to };
  const byPeople = !req.containerId && !req.from && !req.to && !req.authorId;
  // People are read on the tabs that list them (Everything shows the first few), nowhere else; the
  // people tab pages by a keyset cursor. People and content are read at once (on PostgreSQL two
  // connections: one round trip fewer to wait for).
  const types = req.tab === 'all' ? allTypes : (tabs.get(req.tab) ?? []);
  const [people, content] = await Promise.all([
    byPeople && (req.tab === 'all' || req.tab === 'people')
      ? query(ctx).people(viewer, networkId, words, req.tab === 'people' ? PAGE_SIZE : 4, req.tab === 'people' ? req.cursor : {})
      : { people: [], total: 0, prev: null, next: null },
    req.tab === 'people'
      ? { hits: [], more: false, prev: null, next: null, counted: 0, bounded: false }
      : query(ctx).content(viewer, networkId, words, {
          ...filters,
          types,
          sort: req.sort,
          page: req.page,
          cursor: req.cursor,
        } satisfies ContentFilters),
  ]);
  // Only the open tab is counted ("100+"), by the statement that read its page when it can tell (the
  // window of candidates), else apart; Everything adds the people it lists. The other tabs show no
  // number: counting each would read up to 101 matches per tab.
  const counted =
    req.tab === 'people'
      ? 0
      : (content.counted ?? (await query(ctx).countsByTab(viewer, networkId, words, new Map([[req.tab, types]]), filters)).get(req.tab) ?? 0);
  const shownCount = req.tab === 'people' ? people.total : Math.min(counted, COUNT_CAP) + (req.tab === 'all' ? people.total : 0);
  const countLabel = (tab: string): string | null => {
    if (!words.length) return null;
    if (tab === 'people' && people.total) return t(ctx, 'search.tabCount.exact', { count: people.total });
    if (tab !== req.tab) return null;
    return t(ctx, counted > COUNT_CAP ? 'search.tabCount.more' : 'search.tabCount.exact', { count: shownCount });
  };
  const cards = await personCards(ctx, [...content.hits.map((h) => h.owner_id), ...people.people.map((p) => p.id)]);
  const results = content.hits.map((h) => ({
    href: entityHref(rt, h, ctx.state.basePath) ?? '#',
    title: h.shown.title,
    kind: t(ctx, query(ctx).kindOf(h.type)),
    excerpt: h.shown.excerpt,
    author: cards.get(h.owner_id) ?? null,
    at: h.created_at,
  }));
  // "Did you mean" when the open tab found nothing and no other tab would either (Everything counted them all).
  const nothing = !bad && words.length > 0 && shownCount === 0 && (req.tab === 'all' || !(await anyResult(ctx, words)));
  const suggestion = nothing ? await closeSpelling(ctx, words) : null;
  const listed = req.tab === 'all' || req.tab === 'people' ? people.people.filter((p) => cards.has(p.id)) : [];
  // Under each person, the profile fields (the viewer may see) that hold a searched word.
  const fields = await rt.hooks.filter('people:matchedFields', new Map(), {
    networkId,
    viewer,
    locale: ctx.state.locale,
    userIds: listed.map((p) => p.id),
    words,
  });
  const shownPeople = listed.map((p) => ({ ...cards.get(p.id)!, matched: fields.get(p.id) ?? [] }));
  const visibleTabs = TAB_ORDER.filter((tab) => tab === 'all' || tab === 'people' || tabs.has(tab));
  return {
    view: 'search/results',
    title: req.q ? t(ctx, 'search.page.titleFor', { q: req.q }) : t(ctx, 'search.page.title'),
    status: bad ? 422 : 200,
    data: {
      q: req.q,
      searched: words.length > 0,
      tab: req.tab,
      tabs: visibleTabs.map((tab) => ({
        id: tab,
        label: t(ctx, `search.tab.${tab}`),
        count: countLabel(tab),
        href: hrefWith(ctx, { tab: tab === 'all' ? null : tab, ...FIRST_PAGE }),
        current: tab === req.tab,
      })),
      results,
      people: shownPeople,
      morePeople: req.tab === 'all' && people.total > people.people.length ? hrefWith(ctx, { tab: 'people', ...FIRST_PAGE }) : null,
      empty: words.length > 0 && !results.length && !shownPeople.length && !(content.bounded && req.page > RELEVANCE_PAGES),
      suggestion: suggestion ? { text: suggestion.join(' '), href: hrefWith(ctx, { q: suggestion.join(' '), ...FIRST_PAGE }) } : null,
      // People and the date order page by a cursor; relevance by number, up to RELEVANCE_PAGES.
      pager:
        req.tab === 'people'
          ? cursorPager(ctx, { items: people.people, prev: people.prev, next: people.next }, req.cursor)
          : req.sort === 'date'
            ? cursorPager(ctx, { items: content.hits, prev: content.prev, next: content.next }, req.cursor)
            : pager(ctx, req.page, content.more, ['after', 'before']),
      // The relevance order ranks the newest matches only: past its last page, the date order lists them all.
      byDateForMore:
        req.sort === 'relevance' && req.tab !== 'people' && content.bounded && !content.more && (req.page >= RELEVANCE_PAGES || !content.hits.length)
          ? hrefWith(ctx, { sort: 'date', ...FIRST_PAGE })
          : null,
      ranked: CANDIDATES,
      input: req.input,
      errors: req.errors,
      sort: req.sort,
      sortByDate: req.sort === 'date',
      groupTitle: req.groupTitle ?? null,
      leaveGroup: req.containerId ? hrefWith(ctx, { group: null, ...FIRST_PAGE }) : null,
      action: link(ctx, 'search.page'),
    },
  };
}

/** Whether this viewer finds anything for the words in any tab (content or people). */
async function anyResult(ctx: RucheContext, words: readonly string[]): Promise<boolean> {
  const s = query(ctx);
  const all = new Map([['all', [...s.tabs().values()].flat()]]);
  const counts = await s.countsByTab(ctx.state.viewer, ctx.state.network.id, words, all, {}, 0);
  if ([...counts.values()].some((n) => n > 0)) return true;
  return (await s.people(ctx.state.viewer, ctx.state.network.id, words, 1)).total > 0;
}

/** A close spelling, offered only when this viewer would find something with it. */
async function closeSpelling(ctx: RucheContext, words: string[]): Promise<string[] | null> {
  const close = await query(ctx).closeSpelling(words);
  return close && (await anyResult(ctx, close)) ? close : null;
}

/** Suggestions while typing: people, groups and tags matching the words typed so far. */
export async function suggestions(ctx: RucheContext): Promise<Record<string, unknown>> {
  const q = queryParam(ctx, 'q').slice(0, 200);
  const words = queryWords(q);
  const viewer = ctx.state.viewer;
  const networkId = ctx.state.network.id;
  const s = query(ctx);
  const people = await s.people(viewer, networkId, words, 5);
  const cards = await personCards(
    ctx,
    people.people.map((p) => p.id),
  );
  const groups = await s.titles(viewer, networkId, words, s.tabs().get('groups') ?? [], 5);
  const tagPrefix = words.length === 1 ? words[0] : '';
  const tags = await s.tags(viewer, networkId, tagPrefix, 5);
  return {
    q,
    people: people.people
      .map((p) => cards.get(p.id))
      .filter((c) => !!c)
      .map((c) => ({
        label: c.displayName,
        detail: `@${c.username}`,
        href: c.href ?? link(ctx, 'search.page', {}) + `?q=${encodeURIComponent(c.displayName)}&tab=people`,
        avatar: c.avatarUrl,
      })),
    groups: groups.map((g) => ({ label: g.title, href: entityHref(ctx.ruche, g, ctx.state.basePath) })).filter((g) => g.href),
    tags: tags.map((tag) => ({ label: `#${tag}`, href: `${link(ctx, 'search.page')}?q=${encodeURIComponent(`#${tag}`)}` })),
    all: { label: t(ctx, 'search.suggest.all', { q }), href: `${link(ctx, 'search.page')}?q=${encodeURIComponent(q)}` },
    kinds: { people: t(ctx, 'search.tab.people'), groups: t(ctx, 'search.kind.groups'), tags: t(ctx, 'search.suggest.tag') },
  };
}
