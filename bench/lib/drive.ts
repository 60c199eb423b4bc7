/**
 * Drives one scenario with autocannon, in the runner's process (the servers are children):
 * one checked request, a warm-up where every response must have the expected status, then
 * the measured run. The same connections and duration are then pointed at the floor.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface Scenario {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Status every response must have: 200 for pages, 303 for the login. */
  status: number;
  /** Expected content type prefix (pages), e.g. text/html. */
  type?: string;
}

export interface Measure {
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Responses with another status than expected, plus connection errors and timeouts. */
  unexpected: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  /** Nothing was answered within the run: measured on one request per connection instead. */
  fallback?: boolean;
  /** Server CPU time (utime + stime) over the measured run, in seconds (NaN: not measured). */
  cpuSeconds?: number;
}

export interface RunSettings {
  connections: number;
  duration: number;
  warmup: number;
}

/** One request as a browser would send it; checks status and type, returns the body size in bytes. */
export async function check(s: Scenario): Promise<number> {
  const res = await fetch(s.url, { method: s.method, headers: s.headers, body: s.body, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
  const body = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  if (res.status !== s.status) {
    const where = res.headers.get('location') ? ` (to ${res.headers.get('location')})` : '';
    throw new Error(
      `${s.name}: ${s.method} ${new URL(s.url).pathname}${new URL(s.url).search} answered ${res.status}${where}, expected ${s.status}; a bench of redirects or errors is worthless`,
    );
  }
  if (s.type && !type.startsWith(s.type))
    throw new Error(`${s.name}: ${new URL(s.url).pathname} answered ${type || 'no content type'}, expected ${s.type}`);
  return body.length;
}

/** One request as autocannon sends it, the body counted as it comes off the wire (not decoded). */
export function wire(s: Scenario): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(s.url, { method: s.method, headers: s.headers, timeout: 60_000 }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${s.name}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(s.body);
  });
}

function cannon(
  s: Scenario | { url: string; method: 'GET'; headers: Record<string, string>; body?: string; status: number },
  settings: RunSettings,
  seconds: number,
  amount?: number,
): Promise<Measure> {
  const run = autocannon({
    ...(amount ? { amount } : {}),
    url: s.url,
    method: s.method,
    headers: s.headers,
    body: s.body,
    connections: settings.connections,
    duration: seconds,
    // A request may wait its turn behind 19 slow ones: 30 s before it counts as a timeout.
    timeout: 30,
  });
  const limit = new Promise<never>((_, reject) => {
    const t = setTimeout(
      () => {
        (run as unknown as { stop?: () => void }).stop?.();
        reject(new Error(`autocannon on ${s.url} did not finish within ${seconds + 90} s`));
      },
      (seconds + 90) * 1000,
    );
    t.unref();
  });
  return Promise.race([run, limit]).then((r) => {
    const statuses: Record<string, number> = {};
    for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = v.count ?? 0;
    const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
    const expected = statuses[String(s.status)] ?? 0;
    return {
      requests: answered,
      reqPerSec: r.duration > 0 ? expected / r.duration : 0,
      p50: r.latency.p50,
      p99: r.latency.p99,
      unexpected: answered - expected + r.errors,
      statuses,
      errors: r.errors,
      timeouts: r.timeouts,
      seconds: r.duration,
    };
  });
}

/** Median time of `n` requests one after the other (no concurrency), in ms. */
export async function alone(s: Scenario, n = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(s.url, { method: s.method, headers: s.headers, body: s.body, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(n / 2)] * 10) / 10;
}

/** A timed run; a page slower than the whole (short, smoke) run is measured on a few complete requests instead. */
async function timed(s: Scenario, settings: RunSettings, seconds: number): Promise<Measure> {
  const m = await cannon(s, settings, seconds);
  // One request per connection, each bounded by the request timeout.
  return m.requests > 0 ? m : { ...(await cannon(s, settings, 60, settings.connections)), fallback: true };
}

/** `settings.warmup` seconds of the scenario; every response must be as expected, else it throws. */
export async function warmUp(s: Scenario, settings: RunSettings): Promise<void> {
  const warm = await timed(s, settings, settings.warmup);
  // Wrong answers stop the bench; slowness (timeouts) is what it measures, so only counted.
  if (warm.unexpected - warm.timeouts > 0 || (warm.requests === 0 && warm.timeouts === 0)) {
    throw new Error(
      `${s.name}: during the warm-up, ${warm.unexpected} of ${warm.requests} responses were not ${s.status} (statuses ${JSON.stringify(warm.statuses)}, ${warm.errors} errors, ${warm.timeouts} timeouts)`,
    );
  }
}

/**
 * Warm-up (every response must be as expected, else it throws) then the measured run;
 * `cpu` reads the server's CPU seconds, before and after the measured run only.
 */
export async function drive(s: Scenario, settings: RunSettings, cpu?: () => number): Promise<Measure> {
  await warmUp(s, settings);
  const before = cpu?.() ?? NaN;
  const m = await timed(s, settings, settings.duration);
  return { ...m, cpuSeconds: (cpu?.() ?? NaN) - before };
}

/** The floor at the same connections and duration, answering `url` (a fixed string). */
export async function driveFloor(url: string, settings: RunSettings): Promise<Measure> {
  const s = { url, method: 'GET' as const, headers: {}, status: 200 };
  if (settings.warmup >= 1) await cannon(s, settings, 1); // (none in a smoke run)
  return cannon(s, settings, settings.duration);
}
