/**
 * The dashboard's period: the last 7, 28 or 90 days (today included), or custom dates, and
 * the previous period of the same length it is compared with. Days are UTC day numbers.
 */
import { DAY_MS, dayOf } from './verbs';

export const PRESETS = ['7', '28', '90'] as const;
export const DEFAULT_PRESET = '28';
/** The longest custom period, in days (three years and a leap day). */
export const MAX_DAYS = 1096;

export interface Period {
  /** '7', '28', '90' or 'custom'. */
  key: string;
  from: number;
  to: number;
  days: number;
  previous: { from: number; to: number };
}

export interface PeriodInput {
  period: string;
  from: string;
  to: string;
}

/** A period from its first and last day. */
export function periodOf(key: string, from: number, to: number): Period {
  const days = to - from + 1;
  return { key, from, to, days, previous: { from: from - days, to: from - 1 } };
}

export const presetPeriod = (preset: string, now: number): Period => periodOf(preset, dayOf(now) - Number(preset) + 1, dayOf(now));

/** `YYYY-MM-DD` as a day number, or null. */
export function dayOfDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return dayOf(ms);
}

export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The period the query asks for: a preset, or custom dates (both valid, in order, not in the
 * future, at most MAX_DAYS long). A bad custom period answers the error key and the default.
 */
export function parsePeriod(input: PeriodInput, now: number): { period: Period; error?: string } {
  if ((PRESETS as readonly string[]).includes(input.period)) return { period: presetPeriod(input.period, now) };
  if (input.period !== 'custom' && !input.from && !input.to) return { period: presetPeriod(DEFAULT_PRESET, now) };
  const from = dayOfDate(input.from);
  const to = dayOfDate(input.to);
  const fallback = presetPeriod(DEFAULT_PRESET, now);
  if (from === null || to === null) return { period: fallback, error: 'analytics.period.error.dates' };
  if (from > to) return { period: fallback, error: 'analytics.period.error.order' };
  if (to > dayOf(now)) return { period: fallback, error: 'analytics.period.error.future' };
  if (to - from + 1 > MAX_DAYS) return { period: fallback, error: 'analytics.period.error.tooLong' };
  return { period: periodOf('custom', from, to) };
}
