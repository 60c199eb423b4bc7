/**
 * Reading pages: upcoming and past events, a month calendar (plain links, no JavaScript), a
 * group's events, "my events", an event with its answers and the panels other plugins add
 * (comments), its cover; and answering. Handlers are thin; EventsService and RsvpService hold
 * the rules and every list goes through the access clause.
 */
import {
  activeViewer,
  avatarUrl,
  csvLine,
  cursorPager,
  cursorParams,
  entityPanels,
  entityRef,
  field,
  HttpError,
  idParam,
  link,
  requireMember,
  requireReader,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { monthPage } from './calendar';
import { formRoutes } from './form';
import { icalRoutes } from './ical-routes';
import { siteOf } from './ical';
import {
  WRITE,
  card,
  covers,
  editableEvent,
  listTabs,
  mayEdit,
  questions,
  visibleContainer,
  rsvps,
  service,
  statusBadge,
  subscriptions,
  visibleEvent,
  whenText,
} from './params';
import { nextDates, seriesBlock } from './series-view';
import { checkReplies, MAX_REPLY, replyField } from './questions';
import { isAnswer, type Attendee } from './rsvp';
import { LIST_CURSOR } from './lists';
import type { ListItem } from './model';

const canWrite = (ctx: RucheContext): boolean => ctx.ruche.permissions.can(ctx.state.viewer, WRITE, ctx.state.network.id);

function writeHref(ctx: RucheContext, containerId?: number): string | null {
  if (!canWrite(ctx)) return null;
  return containerId ? `${link(ctx, 'events.new')}?container=${containerId}` : link(ctx, 'events.new');
}

async function listView(ctx: RucheContext, title: string, tab: string, items: ListItem[], extra: Record<string, unknown> = {}): Promise<RouteResult> {
  const next = tab === 'upcoming' ? await nextDates(ctx, items) : new Map();
  return {
    view: 'events/list',
    title,
    data: {
      pageTitle: title,
      tabs: listTabs(ctx, tab),
      events: items.map((e) => card(ctx, e, next.get(e.id))),
      writeHref: writeHref(ctx),
      empty: t(ctx, `events.list.empty.${tab}`),
      ...extra,
    },
  };
}

async function upcomingList(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const cursor = cursorParams(ctx, ...LIST_CURSOR);
  const page = await service(ctx).lists.upcoming(ctx.state.viewer, ctx.state.network.id, { cursor });
  return listView(ctx, t(ctx, 'events.list.title'), 'upcoming', page.items, { pager: cursorPager(ctx, page, cursor) });
}

async function pastList(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const cursor = cursorParams(ctx, ...LIST_CURSOR);
  const page = await service(ctx).lists.past(ctx.state.viewer, ctx.state.network.id, { cursor });
  return listView(ctx, t(ctx, 'events.list.pastTitle'), 'past', page.items, { pager: cursorPager(ctx, page, cursor) });
}

async function myList(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const items = await service(ctx).lists.mine(viewer, ctx.state.network.id);
  const sub = await subscriptions(ctx).of(viewer.id, ctx.state.network.id);
  const result = await listView(ctx, t(ctx, 'events.list.mineTitle'), 'mine', []);
  const data = (result as { data: Record<string, unknown> }).data;
  data.events = items.map((e) => card(ctx, e));
  data.subscription = {
    action: link(ctx, 'events.subscribe'),
    revokeAction: link(ctx, 'events.unsubscribe'),
    url: sub ? `${siteOf(ctx)}${link(ctx, 'events.feed', { secret: sub.secret })}` : null,
    scope: sub?.scope ?? 'answered',
    answered: (sub?.scope ?? 'answered') === 'answered',
  };
  return result;
}

async function containerList(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const id = await visibleContainer(ctx, idParam(ctx, 'containerId'));
  const cursor = cursorParams(ctx, ...LIST_CURSOR);
  const page = await service(ctx).lists.upcoming(ctx.state.viewer, ctx.state.network.id, { containerId: id, cursor });
  const items = page.items;
  const viewer = activeViewer(ctx);
  const member = viewer ? (await ctx.ruche.containers.policy(viewer, id, ctx.state.network.id)).canPost : false;
  const title = t(ctx, 'events.list.inContainer');
  const next = await nextDates(ctx, items);
  return {
    view: 'events/list',
    title,
    data: {
      pageTitle: title,
      tabs: listTabs(ctx, 'upcoming', id),
      events: items.map((e) => card(ctx, e, next.get(e.id))),
      writeHref: member ? writeHref(ctx, id) : null,
      empty: t(ctx, 'events.list.empty.upcoming'),
      pager: cursorPager(ctx, page, cursor),
    },
  };
}

function attendeeView(ctx: RucheContext, a: Attendee) {
  return { name: a.display_name, href: link(ctx, 'profiles.view', { username: a.username }), avatar: avatarUrl(ctx, a, 64) };
}

/** What a refused answer shows again: the replies as typed and what is wrong with them. */
interface TypedReplies {
  replies: string[];
  error: string;
}

async function eventPage(ctx: RucheContext, typed?: TypedReplies): Promise<RouteResult> {
  const ev = await visibleEvent(ctx);
  const rt = ctx.ruche;
  const viewer = activeViewer(ctx);
  const r = rsvps(ctx);
  const q = questions(ctx);
  const asked = await q.of(ev.id);
  const [tags, panels, organisers, counts, mine, canEdit, ownReplies, series] = await Promise.all([
    rt.entities.tagsOf([ev.id]),
    entityPanels(ctx, [entityRef(ev)], 'page'),
    service(ctx).organisers(ev.id),
    r.counts(ev.id),
    viewer ? r.answerOf(ev.id, viewer.id) : Promise.resolve(null),
    mayEdit(ctx, ev),
    viewer && asked.length && !typed ? q.repliesOf(ev.id, viewer.id, asked.length) : Promise.resolve(typed?.replies ?? []),
    seriesBlock(ctx, ev),
  ]);
  // The replies to the questions: for those who may change the event only.
  const replyTable = canEdit && asked.length ? await q.table(ev.id, asked.length) : null;
  // Who answered: shown with the event's access, unless the organisers hid it (they still see it).
  const showList = !ev.hide_attendees || canEdit;
  const attendees = showList ? await r.attendees(ev.id) : [];
  const group = (answer: string) => attendees.filter((a) => a.answer === answer).map((a) => attendeeView(ctx, a));
  const when = whenText(ctx, ev);
  const organiserTime = !ev.all_day && when.zone !== ev.time_zone ? whenText(ctx, ev, ev.time_zone).text : null;
  const closed = r.closedReason(ev);
  const placesLeft = ev.capacity === null ? null : Math.max(0, ev.capacity - ev.going_count);
  return {
    view: 'events/event',
    title: ev.title,
    data: {
      event: {
        id: ev.id,
        title: ev.title,
        html: ev.body_html,
        cover: covers.url(ctx, ev.id, ev.cover_key, 1200),
        when: when.text,
        zone: when.zone,
        organiserTime,
        organiserZone: ev.time_zone,
        place: ev.place,
        mapUrl: ev.map_url,
        onlineUrl: ev.online_url,
        cancelled: ev.status === 'cancelled',
        status: statusBadge(ctx, ev),
        accessLabel: t(ctx, `core.access.${ev.access}`),
        capacity: ev.capacity,
        placesLeft,
        deadline: ev.rsvp_deadline,
        tags: tags.get(ev.id) ?? [],
      },
      series,
      organisers: organisers.map((o) => ({
        name: o.display_name,
        href: link(ctx, 'profiles.view', { username: o.username }),
        avatar: avatarUrl(ctx, o, 64),
      })),
      counts,
      rsvp: viewer
        ? {
            action: link(ctx, 'events.rsvp', { id: ev.id }),
            closed: closed ? t(ctx, closed) : null,
            current: mine?.answer ?? null,
            currentText: mine ? t(ctx, `events.answer.${mine.answer}`) : null,
            waitingPlace: mine?.place ?? null,
            choices: (['going', 'maybe', 'not_going'] as const).map((a) => ({
              value: a,
              label: t(ctx, a === 'going' && placesLeft === 0 && mine?.answer !== 'going' ? 'events.rsvp.joinWaiting' : `events.rsvp.${a}`),
              pressed: mine?.answer === a || (a === 'going' && mine?.answer === 'waiting'),
            })),
            questions: asked.map((text, i) => ({ text, field: replyField(i), value: ownReplies[i] ?? '', max: MAX_REPLY })),
            error: typed ? t(ctx, typed.error, { max: MAX_REPLY }) : null,
          }
        : null,
      replies: replyTable
        ? {
            questions: asked,
            rows: replyTable.map((row) => ({
              name: row.name,
              href: link(ctx, 'profiles.view', { username: row.username }),
              answer: t(ctx, `events.answer.${row.answer}`),
              replies: row.replies.map((value, i) => ({ label: asked[i], value })),
            })),
            csvHref: link(ctx, 'events.replies', { id: ev.id }),
          }
        : null,
      signInHref: viewer ? null : `${link(ctx, 'core.login')}?next=${encodeURIComponent(`${ctx.state.basePath}${ctx.path}`)}`,
      attendees: showList ? { going: group('going'), maybe: group('maybe'), waiting: group('waiting') } : null,
      hiddenList: ev.hide_attendees,
      icsHref: link(ctx, 'events.ics', { id: ev.id }),
      containerHref: ev.container_id ? link(ctx, 'events.container', { containerId: ev.container_id }) : null,
      canEdit,
      editHref: link(ctx, 'events.edit', { id: ev.id }),
      cancelAction: ev.status === 'scheduled' ? link(ctx, 'events.cancel', { id: ev.id }) : null,
      deleteAction: link(ctx, 'events.delete', { id: ev.id }),
      panels: panels.get(ev.id) ?? [],
    },
  };
}

async function answer(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const ev = await visibleEvent(ctx);
  const choice = field(ctx, 'answer');
  if (!isAnswer(choice)) throw new HttpError(400, 'events.errors.answer');
  const q = questions(ctx);
  const asked = await q.of(ev.id);
  const { replies, problem } = checkReplies(asked.map((_, i) => field(ctx, replyField(i))));
  // Replies too long: the page again with what they typed, nothing stored.
  if (problem && choice !== 'not_going') return withStatus(await eventPage(ctx, { replies, error: problem }), 400);
  const stored = await rsvps(ctx).answer(viewer, ev, choice);
  if (choice === 'not_going') await q.clearReplies(ev.id, viewer.id);
  else if (asked.length) await q.saveReplies(ev.id, viewer.id, replies);
  return { redirect: link(ctx, 'events.view', { id: ev.id }), flash: `events.flash.answer.${stored}` };
}

const withStatus = (result: RouteResult, status: number): RouteResult => (result && 'view' in result ? { ...result, status } : result);

/** The replies to the questions as CSV: for those who may change the event. */
async function repliesCsv(ctx: RucheContext): Promise<RouteResult> {
  const ev = await editableEvent(ctx);
  const q = questions(ctx);
  const asked = await q.of(ev.id);
  let out = '\ufeff' + csvLine([t(ctx, 'events.replies.member'), t(ctx, 'events.replies.username'), t(ctx, 'events.replies.answer'), ...asked]);
  for (const row of await q.table(ev.id, asked.length))
    out += csvLine([row.name, row.username, t(ctx, `events.answer.${row.answer}`), ...row.replies]);
  ctx.set('Content-Type', 'text/csv; charset=utf-8');
  ctx.set('Content-Disposition', `attachment; filename="event-${ev.id}-replies.csv"`);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.body = out;
}

async function coverFile(ctx: RucheContext): Promise<RouteResult> {
  const ev = await visibleEvent(ctx);
  await covers.serve(ctx, ev.cover_key);
}

export const eventsRoutes: RouteDef[] = [
  { name: 'events.network', method: 'GET', path: '/events', public: true, handler: upcomingList },
  { name: 'events.past', method: 'GET', path: '/events/past', public: true, handler: pastList },
  { name: 'events.calendar', method: 'GET', path: '/events/calendar', public: true, handler: monthPage },
  { name: 'events.mine', method: 'GET', path: '/events/mine', capability: 'core.participate', handler: myList },
  ...icalRoutes,
  ...formRoutes,
  { name: 'events.container', method: 'GET', path: '/events/in/:containerId', public: true, handler: containerList },
  { name: 'events.view', method: 'GET', path: '/events/:id', public: true, handler: (ctx) => eventPage(ctx) },
  { name: 'events.rsvp', method: 'POST', path: '/events/:id/rsvp', capability: 'core.participate', handler: answer },
  { name: 'events.replies', method: 'GET', path: '/events/:id/replies.csv', capability: WRITE, handler: repliesCsv },
  { name: 'events.cover', method: 'GET', path: '/events/:id/cover/:file', public: true, handler: coverFile },
];
