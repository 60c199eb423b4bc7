/**
 * Progress of the seed on stderr: a bar redrawn in place on a terminal, a plain line every
 * few seconds otherwise, nothing with --quiet. Phase times are kept for the final summary.
 */
export interface PhaseTime {
  name: string;
  ms: number;
  rows: number;
}

export class Progress {
  private done = 0;
  private phase = '';
  private phaseStart = Date.now();
  private phaseRows = 0;
  private lastDraw = 0;
  readonly started = Date.now();
  readonly phases: PhaseTime[] = [];

  constructor(
    private readonly total: number,
    private readonly out: { write(s: string): unknown; isTTY?: boolean } | null,
  ) {}

  start(phase: string): void {
    this.end();
    this.phase = phase;
    this.phaseStart = Date.now();
    this.phaseRows = 0;
    this.draw(true);
  }

  rows(n: number): void {
    this.done += n;
    this.phaseRows += n;
    this.draw(false);
  }

  /** Closes the current phase. */
  end(): void {
    if (!this.phase) return;
    this.phases.push({ name: this.phase, ms: Date.now() - this.phaseStart, rows: this.phaseRows });
    this.phase = '';
  }

  finish(): void {
    this.end();
    if (this.out?.isTTY) this.out.write('\r\x1b[2K');
  }

  private draw(force: boolean): void {
    if (!this.out) return;
    const now = Date.now();
    const tty = !!this.out.isTTY;
    if (!force && now - this.lastDraw < (tty ? 200 : 5_000)) return;
    this.lastDraw = now;
    const share = Math.min(1, this.done / Math.max(1, this.total));
    const pct = Math.floor(share * 100);
    const elapsed = ((now - this.started) / 1000).toFixed(0);
    if (tty) {
      const width = 30;
      const full = Math.round(share * width);
      this.out.write(
        `\r\x1b[2K[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(pct).padStart(3)}%  ${this.phase}  ${this.done.toLocaleString('en')} rows  ${elapsed} s`,
      );
    } else {
      this.out.write(`seed: ${pct}% ${this.phase} (${this.done} rows, ${elapsed} s)\n`);
    }
  }
}
