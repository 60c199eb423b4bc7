/**
 * The collector's work in a child server started with `--trace-gc` (issue 18): counts and pauses of
 * scavenges and full collections (Mark-Compact) read from the lines V8 prints, so a bench can give
 * them per 1,000 requests over its measured run only (`since`).
 *
 *   [pid:0x…]  5123 ms: Scavenge 45.2 (61.3) -> 39.6 (62.1) MB, 2.34 / 0.00 ms  (average mu = …) allocation failure;
 *   [pid:0x…]  6123 ms: Mark-Compact 60.1 (75.2) -> 41.2 (70.1) MB, 12.5 / 0.1 ms  (+ 3.2 ms in 40 steps …) …
 */
import type { Readable } from 'node:stream';

export interface GcTotals {
  scavenges: number;
  scavengeMs: number;
  fulls: number;
  fullMs: number;
  /** Heap after each full collection, MB (what it kept: the live heap). */
  keptMb: number[];
}

const LINE = /: (Scavenge|Mark-Compact(?: \(reduce\))?|Mark-sweep|Minor Mark-Compact)\s+[\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \//;

/** Counts the collections a `--trace-gc` child prints on `out`, from now on. */
export function gcCounter(out: Readable): { totals(): GcTotals } {
  const totals: GcTotals = { scavenges: 0, scavengeMs: 0, fulls: 0, fullMs: 0, keptMb: [] };
  let rest = '';
  out.on('data', (d: Buffer) => {
    const lines = (rest + d.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const m = LINE.exec(line);
      if (!m) continue;
      if (m[1] === 'Scavenge' || m[1] === 'Minor Mark-Compact') {
        totals.scavenges++;
        totals.scavengeMs += Number(m[3]);
      } else {
        totals.fulls++;
        totals.fullMs += Number(m[3]);
        totals.keptMb.push(Number(m[2]));
      }
    }
  });
  return { totals: () => ({ ...totals, keptMb: [...totals.keptMb] }) };
}

/** What was collected between two readings of the same counter. */
export function gcBetween(before: GcTotals, after: GcTotals): GcTotals {
  return {
    scavenges: after.scavenges - before.scavenges,
    scavengeMs: after.scavengeMs - before.scavengeMs,
    fulls: after.fulls - before.fulls,
    fullMs: after.fullMs - before.fullMs,
    keptMb: after.keptMb.slice(before.keptMb.length),
  };
}

/** `MC n/1k, pause p ms/1k, Sc n/1k` for a run of `requests`. */
export function gcPerThousand(gc: GcTotals, requests: number): string {
  const k = requests / 1000 || NaN;
  return `MC ${(gc.fulls / k).toFixed(1)} (${(gc.fullMs / k).toFixed(0)} ms) Sc ${(gc.scavenges / k).toFixed(0)} (${(gc.scavengeMs / k).toFixed(0)} ms)`;
}
