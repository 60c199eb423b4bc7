/** Local times for digests: the next daily or weekly (Monday) send at `hour` in a time zone (core/time-zones.ts). */
import { instantOf, wallTime, zoneOr } from '../../core';

/** The first instant after `now` that is `hour`:00 local time (on a Monday for weekly). */
export function nextDigestAt(now: number, tz: string, hour: number, frequency: 'daily' | 'weekly'): number {
  const zone = zoneOr(tz);
  const today = wallTime(now, zone);
  for (let k = 0; k <= 8; k++) {
    const at = instantOf(zone, today.y, today.m, today.d + k, hour);
    if (at <= now) continue;
    if (frequency === 'weekly' && wallTime(at, zone).weekday !== 1) continue;
    return at;
  }
  return now + 86_400_000;
}
