/**
 * Writing: the new/edit form (one multipart form with the cover, built by the core's
 * `articleFormRoutes`), cancel and delete. A refused form is shown again with the member's
 * input, a localised message per field and a 400; forged ids are 404s.
 */
import {
  articleFormRoutes,
  blankArticle,
  field,
  link,
  MAX_COVER_BYTES,
  postedArticle,
  timeZones,
  toLocalInput,
  uploadedFiles,
  zoneOr,
  t,
  type Cover,
  type RouteDef,
  type RucheContext,
} from '../../core';
import { WRITE, covers, editableEvent, questions, rsvps, service } from './params';
import { MAX_OCCURRENCES, MIN_OCCURRENCES, REPEATS } from './recurrence';
import { EVENT, type CleanEvent, type EventInput, type EventRow } from './model';

interface EventForm {
  event: CleanEvent;
  cover?: Cover;
  removeCover: boolean;
}

const checked = (ctx: RucheContext, name: string): boolean => field(ctx, name) === '1';

/** The last day of an all-day event (its end is 00:00 the day after). */
const lastDay = (ev: EventRow): string => toLocalInput(ev.ends_at - 1, ev.time_zone).slice(0, 10) + 'T00:00';

const eventForm = articleFormRoutes<EventRow, EventInput, EventForm>({
  plugin: 'events',
  kind: EVENT,
  path: '/events',
  capability: WRITE,
  service: (ctx) => service(ctx).posting,
  editable: editableEvent,
  remove: (ctx, ev) => service(ctx).remove(ctx.state.viewer!, ev),
  attachments: EVENT,
  blank: (access, containerId) => ({
    ...blankArticle(access, containerId),
    starts: '',
    ends: '',
    allDay: false,
    timeZone: '',
    place: '',
    mapUrl: '',
    onlineUrl: '',
    capacity: '',
    deadline: '',
    hideAttendees: false,
    organisers: '',
    questions: '',
    removeCover: false,
    repeat: '',
    repeatCount: '',
  }),
  read: (ctx, containerId) => ({
    ...postedArticle(ctx, containerId),
    starts: field(ctx, 'starts'),
    ends: field(ctx, 'ends'),
    allDay: checked(ctx, 'all_day'),
    timeZone: field(ctx, 'time_zone') || zoneOr(ctx.state.viewer?.timeZone),
    place: field(ctx, 'place'),
    mapUrl: field(ctx, 'map_url'),
    onlineUrl: field(ctx, 'online_url'),
    capacity: field(ctx, 'capacity'),
    deadline: field(ctx, 'deadline'),
    hideAttendees: checked(ctx, 'hide_attendees'),
    organisers: field(ctx, 'organisers'),
    questions: field(ctx, 'questions'),
    removeCover: checked(ctx, 'remove_cover'),
    repeat: field(ctx, 'repeat'),
    repeatCount: field(ctx, 'repeat_count'),
  }),
  inputOf: (ev, tags) => ({
    title: ev.title,
    body: ev.body,
    tags: tags.join(', '),
    access: ev.access,
    containerId: ev.container_id,
    starts: toLocalInput(ev.starts_at, ev.time_zone),
    ends: ev.all_day ? lastDay(ev) : toLocalInput(ev.ends_at, ev.time_zone),
    allDay: ev.all_day,
    timeZone: ev.time_zone,
    place: ev.place,
    mapUrl: ev.map_url ?? '',
    onlineUrl: ev.online_url ?? '',
    capacity: ev.capacity === null ? '' : String(ev.capacity),
    deadline: toLocalInput(ev.rsvp_deadline, ev.time_zone),
    hideAttendees: ev.hide_attendees,
    // Filled in by the edit route (read from their tables).
    organisers: '',
    questions: '',
    removeCover: false,
    // A series' dates are changed one by one: the edit form has no repetition.
    repeat: '',
    repeatCount: '',
  }),
  async check(ctx, input, old) {
    const { clean, problems } = await service(ctx).validate(ctx.state.network.id, input, Date.now(), old);
    const { cover, error } = await covers.read(uploadedFiles(ctx).find((f) => f.field === 'cover'));
    if (error) problems.cover = error;
    if (!clean || error) return { problems };
    if (cover) await covers.store(ctx.ruche.storage, cover);
    return { problems, value: { event: clean, cover, removeCover: input.removeCover } };
  },
  // An event is never a draft: saving it publishes it, so one the screening holds is saved withheld.
  publishes: () => true,
  async create(ctx, containerId, { event, cover }, held) {
    const [id, ...also] = await service(ctx).createDates(ctx.state.viewer!, ctx.state.network.id, containerId, event, cover, held);
    return { id, also, flash: held ? 'events.flash.held' : 'events.flash.created' };
  },
  async update(ctx, old, { event, cover, removeCover }, held) {
    const moved = await service(ctx).update(ctx.state.viewer!, old, event, cover, removeCover, held);
    // More places: the waiting list moves up.
    if (event.capacity === null || (old.capacity !== null && event.capacity > old.capacity)) await rsvps(ctx).fillPlaces(old);
    if (held) return 'events.flash.held';
    return moved ? 'events.flash.savedNotified' : 'events.flash.saved';
  },
  fields: (ctx, input, ev) => {
    const zone = input.timeZone || ctx.state.viewer?.timeZone || '';
    return {
      cover: ev ? covers.url(ctx, ev.id, ev.cover_key, 480) : null,
      maxCoverMb: MAX_COVER_BYTES / 1024 / 1024,
      zoneOptions: timeZones().map((z) => ({ value: z, selected: z === zone })),
      zoneUnknown: !zone,
      repeatOptions: ev
        ? null
        : ['', ...REPEATS].map((value) => ({ value, label: t(ctx, `events.repeat.${value || 'once'}`), selected: value === input.repeat })),
      repeatCount: { value: input.repeatCount || '4', min: MIN_OCCURRENCES, max: MAX_OCCURRENCES },
    };
  },
});

/** The edit form lists the co-organisers by username (the author is always one). */
async function organiserNames(ctx: RucheContext, ev: EventRow): Promise<string> {
  const list = await service(ctx).organisers(ev.id);
  return list
    .filter((o) => o.id !== Number(ev.owner_id))
    .map((o) => o.username)
    .join(', ');
}

// The GET edit route fills in the co-organisers and the questions (inputOf has no database access).
const withOrganisers: RouteDef[] = eventForm.map((r) =>
  r.name !== 'events.edit'
    ? r
    : {
        ...r,
        async handler(ctx) {
          const result = await r.handler(ctx);
          if (result && 'view' in result && result.data) {
            const values = result.data.values as EventInput;
            const ev = await editableEvent(ctx);
            values.organisers = await organiserNames(ctx, ev);
            values.questions = (await questions(ctx).of(ev.id)).join('\n');
          }
          return result;
        },
      },
);

export const formRoutes: RouteDef[] = [
  ...withOrganisers,
  {
    name: 'events.cancel',
    method: 'POST',
    path: '/events/:id/cancel',
    capability: WRITE,
    async handler(ctx) {
      const ev = await editableEvent(ctx);
      const done = await service(ctx).cancel(ctx.state.viewer!, ev);
      return { redirect: link(ctx, 'events.view', { id: ev.id }), flash: done ? 'events.flash.cancelled' : 'events.flash.alreadyCancelled' };
    },
  },
];
