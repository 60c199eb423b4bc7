/**
 * When things happen in the bench network: three years up to the start of today (UTC),
 * mostly on weekdays and in working hours, in each member's own time zone.
 */
import type { Rng } from './rng';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const YEARS = 3;

/** UTC offsets (hours) of the offices, and the share of members in each. */
export const ZONES = [-8, -5, 0, 1, 5.5, 8] as const;
export const ZONE_WEIGHTS = [1, 3, 2, 4, 2, 2] as const;

/** Relative activity per local hour 0..23. */
const HOUR_WEIGHTS = [0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.6, 1.5, 4, 6, 6.5, 6, 4, 5, 6, 6, 5.5, 4, 2.5, 2, 2, 1.5, 1, 0.5];
const HOUR_CDF = (() => {
  const out: number[] = [];
  let sum = 0;
  for (const w of HOUR_WEIGHTS) out.push((sum += w));
  return out.map((v) => v / sum);
})();

export class Clock {
  readonly end: number;
  readonly start: number;

  /** `now`: the seed's wall clock; the network ends at the start of that UTC day, so one day's runs are identical. */
  constructor(now: number) {
    this.end = Math.floor(now / DAY) * DAY;
    this.start = this.end - YEARS * 365 * DAY;
  }

  /** A moment in [lo, hi] with the daily and weekly rhythm of someone at UTC offset `tz` hours. */
  at(rng: Rng, lo: number, hi: number, tz: number): number {
    hi = Math.min(hi, this.end);
    if (hi <= lo) return Math.min(lo, this.end);
    if (hi - lo < 4 * HOUR) return Math.floor(lo + rng.next() * (hi - lo));
    const offset = tz * HOUR;
    for (let attempt = 0; attempt < 6; attempt++) {
      const u = lo + rng.next() * (hi - lo);
      const day = Math.floor((u + offset) / DAY);
      const dow = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
      if ((dow === 0 || dow === 6) && rng.chance(0.8)) continue;
      const t = day * DAY + hourOfDay(rng) - offset;
      if (t >= lo && t <= hi) return Math.floor(t);
    }
    return Math.floor(lo + rng.next() * (hi - lo));
  }

  /** A reaction to something that happened at `t0`: usually within hours or days, never after the end. */
  after(rng: Rng, t0: number, meanMs: number, tz: number): number {
    const lo = t0 + 60_000;
    if (lo >= this.end) return Math.min(t0 + 1000, this.end);
    let target = lo + rng.exp(meanMs);
    // Past the end of the network: somewhere in what is left, never piled up on the last instant.
    if (target >= this.end - HOUR) target = lo + rng.next() * (this.end - lo);
    return this.at(rng, target, Math.min(target + DAY, this.end), tz);
  }
}

/** Milliseconds into a local day, following HOUR_WEIGHTS. */
function hourOfDay(rng: Rng): number {
  const u = rng.next();
  let h = 0;
  while (h < 23 && HOUR_CDF[h] < u) h++;
  return h * HOUR + Math.floor(rng.next() * HOUR);
}
