/**
 * A limit on guessing codes: a code that opens nothing (unknown, expired, replaced, another
 * network's, malformed) counts as a failure of the member who tried it and of their address.
 * Past `MEMBER_FAILURES` failures of one member, or `ADDRESS_FAILURES` from one address, within
 * `WINDOW_MS`, every code they try is refused with a 429 until the oldest failure leaves the
 * window — a good code too, so that guessing on does not tell which code worked. Counted in
 * memory (the pages that look codes up are GETs: they write nothing), and shared: each failure
 * is published on the core's pub/sub channel `connect_guesses`, which every process of
 * `ruche start --workers N` (or every server on one PostgreSQL database) hears and counts, so
 * several processes together allow the limit once, not once each.
 */
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../core';

type PubSub = Runtime['pubsub'];
type Logger = Runtime['logger'];

const CHANNEL = 'connect_guesses';

/** A failure as published: which process saw it, of whom, from where, when. */
interface Heard {
  from: string;
  userId: number;
  address: string;
  at: number;
}

const isHeard = (v: unknown): v is Heard =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as Heard).from === 'string' &&
  Number.isInteger((v as Heard).userId) &&
  typeof (v as Heard).address === 'string' &&
  Number.isFinite((v as Heard).at);

export const MEMBER_FAILURES = 10;
export const ADDRESS_FAILURES = 30;
export const WINDOW_MS = 15 * 60_000;
/** Past this many keys tracked, those whose failures all left the window are dropped. */
const SWEEP_AT = 10_000;

export class CodeGuesses {
  private readonly failures = new Map<string, number[]>();
  /** Names this process in what it publishes, so that it does not count its own failures twice. */
  private readonly origin = randomUUID();
  private shared?: Promise<void>;
  private pubsub?: PubSub;
  private logger?: Logger;
  /** The clock failures are timed by (tests move it). */
  now: () => number = () => Date.now();

  /** Counts the failures other processes publish from now on, and publishes this one's; once. */
  share(pubsub: PubSub, logger: Logger): Promise<void> {
    return (this.shared ??= pubsub
      .subscribe(CHANNEL, (payload) => this.heard(payload))
      .then(() => {
        this.pubsub = pubsub;
        this.logger = logger;
      }));
  }

  /** Seconds `userId` (from `address`) must wait before trying a code, or 0. */
  wait(userId: number, address: string): number {
    const now = this.now();
    const waits = [this.waitOf(`m:${userId}`, MEMBER_FAILURES, now), address ? this.waitOf(`a:${address}`, ADDRESS_FAILURES, now) : 0];
    return Math.ceil(Math.max(...waits) / 1000);
  }

  /** A code `userId` tried from `address` opened nothing. */
  failed(userId: number, address: string): void {
    const now = this.now();
    this.count(userId, address, now);
    const heard: Heard = { from: this.origin, userId, address, at: now };
    this.pubsub
      ?.publish(CHANNEL, JSON.stringify(heard))
      .catch((err: unknown) => this.logger?.warn({ err }, 'connect: a failed code could not be shared'));
  }

  /** A failure another process published (its own come back too, and are skipped). */
  private heard(payload: string): void {
    let v: unknown;
    try {
      v = JSON.parse(payload);
    } catch {
      return;
    }
    if (isHeard(v) && v.from !== this.origin) this.count(v.userId, v.address.slice(0, 100), v.at);
  }

  private count(userId: number, address: string, now: number): void {
    if (this.failures.size >= SWEEP_AT) this.sweep(now);
    for (const key of [`m:${userId}`, address ? `a:${address}` : '']) {
      if (!key) continue;
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
  }

  /** Milliseconds until `key` is under `max` failures again. */
  private waitOf(key: string, max: number, now: number): number {
    const list = this.recent(key, now);
    return list.length < max ? 0 : list[list.length - max] + WINDOW_MS - now;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) if (!this.recent(key, now).length) this.failures.delete(key);
  }
}
