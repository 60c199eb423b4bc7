/**
 * The event form's checks: the article's (title, body, tags, access), then the times in the
 * organiser's zone (all-day events from 00:00 to the next day's 00:00), the place and links,
 * the capacity and answer deadline, the co-organisers (active members of the network), the
 * questions asked on answering and the repetition of a new event.
 */
import {
  fromLocalInput,
  instantOf,
  isTimeZone,
  validateArticle,
  wallTime,
  type ArticleFormService,
  type FieldProblems,
  type Runtime,
} from '../../core';
import {
  HOUR,
  MAX_BODY,
  MAX_CAPACITY,
  MAX_ORGANISERS,
  MAX_PLACE,
  MAX_TITLE,
  MAX_URL,
  type CleanEvent,
  type EventInput,
  type EventRow,
} from './model';
import { readQuestions } from './questions';
import { isRepeat, MAX_OCCURRENCES, MIN_OCCURRENCES, type Repeat } from './recurrence';

/** An http(s) link as typed, or null; '' is no link. */
function readUrl(raw: string): { url: string | null; bad: boolean } {
  const v = raw.trim();
  if (!v) return { url: null, bad: false };
  if (v.length > MAX_URL) return { url: null, bad: true };
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? { url: u.toString(), bad: false } : { url: null, bad: true };
  } catch {
    return { url: null, bad: true };
  }
}

/** The date part of a `datetime-local` (or `date`) value, at 00:00 in `zone`. */
function dayStart(raw: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(raw.trim());
  if (!m) return null;
  const at = fromLocalInput(`${m[1]}-${m[2]}-${m[3]}T00:00`, zone);
  return at;
}

/** The repetition asked on the form, or null for an event that happens once. */
function readRepeat(input: EventInput, problems: FieldProblems): { repeat: Repeat; count: number } | null {
  const repeat = input.repeat.trim();
  if (!repeat) return null;
  if (!isRepeat(repeat)) {
    problems.repeat = { key: 'events.errors.repeat' };
    return null;
  }
  const count = /^\d{1,3}$/.test(input.repeatCount.trim()) ? Number(input.repeatCount.trim()) : NaN;
  if (!(count >= MIN_OCCURRENCES && count <= MAX_OCCURRENCES)) {
    problems.repeatCount = { key: 'events.errors.repeatCount', params: { min: MIN_OCCURRENCES, max: MAX_OCCURRENCES } };
    return null;
  }
  return { repeat, count };
}

/** Checks the form; co-organisers are looked up among the network's active members. */
export async function validateEvent(
  users: Runtime['users'],
  posting: ArticleFormService,
  networkId: number,
  input: EventInput,
  now: number,
  existing?: EventRow,
): Promise<{ clean?: CleanEvent; problems: FieldProblems }> {
  const { clean: article, problems } = validateArticle(input, {
    prefix: 'events',
    maxTitle: MAX_TITLE,
    maxBody: MAX_BODY,
    levels: posting.accessLevels(networkId),
    inContainer: !!(existing ? existing.container_id : input.containerId),
    currentAccess: existing?.access,
  });
  const zone = input.timeZone.trim() || 'UTC';
  if (!isTimeZone(zone)) problems.timeZone = { key: 'events.errors.zone' };
  const z = isTimeZone(zone) ? zone : 'UTC';
  let startsAt: number | null;
  let endsAt: number | null;
  if (input.allDay) {
    startsAt = dayStart(input.starts, z);
    const last = input.ends.trim() ? dayStart(input.ends, z) : startsAt;
    // The day after the last one, at 00:00 in the zone (23 or 25 hours on a change of time).
    endsAt =
      last === null
        ? null
        : (() => {
            const w = wallTime(last, z);
            return instantOf(z, w.y, w.m, w.d + 1);
          })();
  } else {
    startsAt = fromLocalInput(input.starts, z);
    endsAt = input.ends.trim() ? fromLocalInput(input.ends, z) : startsAt === null ? null : startsAt + HOUR;
  }
  if (startsAt === null) problems.starts = { key: input.starts.trim() ? 'events.errors.dateInvalid' : 'events.errors.startRequired' };
  else if (!existing && startsAt < now - HOUR) problems.starts = { key: 'events.errors.startPast' };
  // An empty end follows the start: only an end typed wrong is the end's problem.
  if (endsAt === null && input.ends.trim()) problems.ends = { key: 'events.errors.dateInvalid' };
  else if (startsAt !== null && endsAt !== null && endsAt <= startsAt) problems.ends = { key: 'events.errors.endBeforeStart' };
  const place = input.place.trim();
  if (place.length > MAX_PLACE) problems.place = { key: 'events.errors.placeTooLong', params: { max: MAX_PLACE } };
  const map = readUrl(input.mapUrl);
  if (map.bad) problems.mapUrl = { key: 'events.errors.url' };
  const online = readUrl(input.onlineUrl);
  if (online.bad) problems.onlineUrl = { key: 'events.errors.url' };
  let capacity: number | null = null;
  if (input.capacity.trim()) {
    capacity = /^\d{1,6}$/.test(input.capacity.trim()) ? Number(input.capacity.trim()) : NaN;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY)
      problems.capacity = { key: 'events.errors.capacity', params: { max: MAX_CAPACITY } };
  }
  let deadline: number | null = null;
  if (input.deadline.trim()) {
    deadline = fromLocalInput(input.deadline, z);
    if (deadline === null) problems.deadline = { key: 'events.errors.dateInvalid' };
    else if (startsAt !== null && deadline > startsAt) problems.deadline = { key: 'events.errors.deadlineAfterStart' };
  }
  const names = [
    ...new Set(
      input.organisers
        .split(/[\s,]+/)
        .map((n) => n.replace(/^@/, '').trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const organiserIds: number[] = [];
  if (names.length > MAX_ORGANISERS) problems.organisers = { key: 'events.errors.organisersTooMany', params: { max: MAX_ORGANISERS } };
  else {
    const unknown: string[] = [];
    for (const name of names) {
      const row = await users.activeMember(networkId, name);
      if (row) organiserIds.push(Number(row.id));
      else unknown.push(name);
    }
    if (unknown.length) problems.organisers = { key: 'events.errors.organisersUnknown', params: { names: unknown.join(', ') } };
  }
  const questions = readQuestions(input.questions, problems);
  const repeat = existing ? null : readRepeat(input, problems);
  if (!article || Object.keys(problems).length) return { problems };
  return {
    problems,
    clean: {
      ...article,
      startsAt: startsAt!,
      endsAt: endsAt!,
      allDay: input.allDay,
      timeZone: z,
      place,
      mapUrl: map.url,
      onlineUrl: online.url,
      capacity: capacity && Number.isFinite(capacity) ? capacity : null,
      deadline,
      hideAttendees: input.hideAttendees,
      organiserIds,
      questions,
      repeat: repeat?.repeat ?? null,
      repeatCount: repeat?.count ?? 1,
    },
  };
}
