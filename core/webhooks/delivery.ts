/**
 * One delivery attempt: the receiver's address checked again (SSRF), the body signed with a
 * fresh timestamp and POSTed to the checked address, the answer recorded (HTTP status,
 * duration, a bounded excerpt). A 2xx answer delivers; anything else throws, so the job
 * runner retries with its exponential backoff (core/jobs) — `WEBHOOK_ATTEMPTS` attempts over
 * about a day.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from './signing';
import { parseWebhookUrl, resolveTarget, WebhookAddressError } from './address-guard';

/** Attempts per delivery: the runner's backoff (30 s, 2 min, 8 min, 32 min, 2 h 8 min, then 6 h) spreads 9 over about 21 hours. */
export const WEBHOOK_ATTEMPTS = 9;
/** Characters of the receiver's answer kept with a delivery. */
export const EXCERPT_MAX = 1000;
const READ_MAX = 64 * 1024;

export interface Attempt {
  /** HTTP status, or null when no answer came (refused address, network error, timeout). */
  status: number | null;
  durationMs: number;
  excerpt: string | null;
  /** Why it failed without an answer. */
  error: string | null;
  /** The address is refused (private, SSRF): retrying will not help. */
  refused: boolean;
}

export interface Outgoing {
  url: string;
  secret: string;
  event: string;
  deliveryId: number;
  body: string;
  /** Seconds since epoch, signed with the body. */
  timestamp: number;
}

/** Sends one signed delivery and says what came of it (never throws). */
export async function attemptDelivery(out: Outgoing, options: { allowPrivate: boolean; timeoutMs: number }): Promise<Attempt> {
  const started = Date.now();
  const done = (a: Omit<Attempt, 'durationMs'>): Attempt => ({ ...a, durationMs: Date.now() - started });
  const url = parseWebhookUrl(out.url);
  if (!url) return done({ status: null, excerpt: null, error: 'invalid URL', refused: true });
  let target: { address: string; family: 4 | 6 };
  try {
    target = await resolveTarget(url, options.allowPrivate);
  } catch (e) {
    const problem = e instanceof WebhookAddressError ? e.problem : 'unresolved';
    return done({ status: null, excerpt: null, error: `address refused: ${problem}`, refused: problem === 'private' });
  }
  const lookup: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, list: { address: string; family: number }[]) => void)(null, [target]);
    else cb(null, target.address, target.family);
  };
  return new Promise<Attempt>((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup,
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Ruche-Webhooks',
          [SIGNATURE_HEADER]: `v1=${webhookSignature(out.secret, out.timestamp, out.body)}`,
          [TIMESTAMP_HEADER]: String(out.timestamp),
          [EVENT_HEADER]: out.event,
          [DELIVERY_HEADER]: String(out.deliveryId),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < READ_MAX) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve(
            done({
              status: res.statusCode ?? null,
              excerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_MAX),
              error: null,
              refused: false,
            }),
          ),
        );
        res.on('error', (e) => resolve(done({ status: res.statusCode ?? null, excerpt: null, error: e.message.slice(0, 500), refused: false })));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (e) => resolve(done({ status: null, excerpt: null, error: e.message.slice(0, 500), refused: false })));
    req.end(out.body);
  });
}
