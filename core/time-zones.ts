/**
 * Members' time zones: a member picks theirs on the account page (`users.time_zone`, the
 * browser's zone offered when none is set); dates they type (a scheduled post) are read in
 * it and dates shown to them (a form's value, an email's times) are written in it. Plugins
 * use these helpers rather than their own: blogs' scheduling, notification digests, events.
 */

/** Whether `zone` is an IANA time zone name this Node knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || !zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every zone a member may choose, `UTC` included. */
export function timeZones(): string[] {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/** The first valid zone among `choices` (the member's, the browser's, the network's...), else UTC. */
export function zoneOr(...choices: unknown[]): string {
  for (const z of choices) if (isTimeZone(z)) return z;
  return 'UTC';
}

/** The wall-clock reading of an instant in a zone. */
export interface WallTime {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

export function wallTime(at: number, zone: string): WallTime {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formats.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(at))) p[part.type] = part.value;
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    h: Number(p.hour) % 24,
    min: Number(p.minute),
    s: Number(p.second),
    weekday: WEEKDAYS.indexOf(p.weekday),
  };
}

/** Offset of `zone` from UTC at instant `at`, in ms (positive east of Greenwich). */
function offsetAt(at: number, zone: string): number {
  const w = wallTime(at, zone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in `zone` (month 1-12; day and hour may overflow, as
 * with Date.UTC). A time skipped by a daylight-saving change is read with the offset before
 * it (02:30 on a spring-forward night is 03:30); a repeated one is its first occurrence.
 */
export function instantOf(zone: string, y: number, m: number, d: number, h = 0, min = 0, s = 0): number {
  const wall = Date.UTC(y, m - 1, d, h, min, s);
  // The zone's offsets a day before and after (changes are months apart): the wall time
  // read with each, kept when it reads back as that wall time.
  const before = wall - offsetAt(wall - DAY, zone);
  const after = wall - offsetAt(wall + DAY, zone);
  const reads = (at: number): boolean => wallOf(at, zone) === wall;
  if (reads(before) && reads(after)) return Math.min(before, after);
  if (reads(after)) return after;
  return before;
}

const DAY = 86_400_000;
const wallOf = (at: number, zone: string): number => {
  const w = wallTime(at, zone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
};

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:MM` of an instant in `zone`: the value of a `datetime-local` field ('' for none). */
export function toLocalInput(at: number | null, zone: string): string {
  if (at === null || !Number.isFinite(at)) return '';
  const w = wallTime(at, zone);
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}T${pad(w.h)}:${pad(w.min)}`;
}

/** A `datetime-local` value (`YYYY-MM-DDTHH:MM[:SS]`) read in `zone`, or null when it is no real date. */
export function fromLocalInput(raw: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return instantOf(zone, y, mo, d, h, mi, s);
}

/** An instant as a reader in `zone` reads it, in their language (`dateStyle`/`timeStyle` medium and short). */
export function formatInZone(
  at: number,
  zone: string,
  locale: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }).format(new Date(at));
}
