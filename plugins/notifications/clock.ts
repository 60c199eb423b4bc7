/** Local times for digests: the next daily or weekly (Monday) send at `hour` in a timezone. */

export function isTimezone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function timezones(): string[] {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

interface LocalParts {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localParts(t: number, tz: string): LocalParts {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  });
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(t))) p[part.type] = part.value;
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

/** Offset of `tz` from UTC at instant `t`, in ms (positive east of Greenwich). */
function offsetAt(t: number, tz: string): number {
  const p = localParts(t, tz);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - Math.floor(t / 1000) * 1000;
}

/** The first instant after `now` that is `hour`:00 local time (on a Monday for weekly). */
export function nextDigestAt(now: number, tz: string, hour: number, frequency: 'daily' | 'weekly'): number {
  const zone = isTimezone(tz) ? tz : 'UTC';
  const today = localParts(now, zone);
  for (let k = 0; k <= 8; k++) {
    const wall = Date.UTC(today.y, today.m - 1, today.d + k, hour, 0, 0);
    let at = wall - offsetAt(wall, zone);
    at = wall - offsetAt(at, zone); // settle across a DST change
    if (at <= now) continue;
    if (frequency === 'weekly' && localParts(at, zone).weekday !== 1) continue;
    return at;
  }
  return now + 86_400_000;
}
