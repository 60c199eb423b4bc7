/**
 * Charts drawn on the server as SVG (no script, no library, nothing from a CDN): the funnel
 * as horizontal bars, active members per day, and contributions, comments and reactions per
 * day as stacked bars. Each chart sits beside the table holding the same numbers, which is
 * what screen readers and the CSV export use; the SVG is a picture of it (aria-hidden).
 */
import type { Funnel, DayFigures } from './service';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 160;

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  kind: string;
}

export interface FunnelRow {
  kind: string;
  label: string;
  value: string;
  /** Percent of the longest bar. */
  width: number;
}

export interface Chart {
  width: number;
  height: number;
  bars: Bar[];
  /** Horizontal guide lines with the value they mark. */
  grid: { y: number; label: string }[];
}

/** The nice step of a scale from 0 to `max` in about 3 steps. */
function step(max: number): number {
  if (max <= 3) return 1;
  const raw = max / 3;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

function scale(max: number, height: number) {
  const s = step(max);
  const top = Math.max(s, Math.ceil(max / s) * s);
  const grid = [];
  for (let v = s; v <= top; v += s) grid.push({ y: height - (v / top) * height, label: String(v) });
  return { top, grid };
}

/** Stacked bars, one column per day, of the given series (kinds are CSS classes). */
export function dayBars(days: DayFigures[], series: readonly (keyof DayFigures)[]): Chart {
  const totals = days.map((d) => series.reduce((s, k) => s + Number(d[k]), 0));
  const { top, grid } = scale(Math.max(0, ...totals), CHART_HEIGHT);
  const slot = CHART_WIDTH / Math.max(days.length, 1);
  const width = Math.max(slot * 0.7, 1);
  const bars: Bar[] = [];
  days.forEach((d, i) => {
    let y = CHART_HEIGHT;
    for (const k of series) {
      const h = (Number(d[k]) / top) * CHART_HEIGHT;
      if (h <= 0) continue;
      y -= h;
      bars.push({ x: round(i * slot + (slot - width) / 2), y: round(y), width: round(width), height: round(h), kind: String(k) });
    }
  });
  return { width: CHART_WIDTH, height: CHART_HEIGHT, bars, grid: grid.map((g) => ({ ...g, y: round(g.y) })) };
}

/** The funnel: one row per step, its bar as long as its share of the members (0–100). */
export function funnelRows(f: Funnel, labels: Record<keyof Funnel, string>, format: (n: number) => string): FunnelRow[] {
  const whole = Math.max(f.members, f.active, 1);
  return (['members', 'active', 'participating', 'contributing'] as const).map((k) => ({
    kind: k,
    label: labels[k],
    value: format(f[k]),
    width: round(f[k] > 0 ? Math.max((f[k] / whole) * 100, 0.5) : 0),
  }));
}

const round = (v: number): number => Math.round(v * 10) / 10;
