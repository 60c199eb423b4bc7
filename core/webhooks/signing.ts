/**
 * How a delivery is signed: HMAC-SHA256, keyed by the webhook's secret, over
 * `<timestamp>.<body>` (the timestamp in seconds, the body exactly as sent), in hex. The
 * receiver recomputes it from the `Ruche-Timestamp` header and the raw body, compares it
 * with `Ruche-Signature` (`v1=<hex>`) in constant time, and refuses old timestamps.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Ruche-Signature';
export const TIMESTAMP_HEADER = 'Ruche-Timestamp';
export const EVENT_HEADER = 'Ruche-Event';
export const DELIVERY_HEADER = 'Ruche-Delivery';

/** A new secret: `whsec_` and 32 random bytes in base64url. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Whether a `Ruche-Signature` header value matches (what a receiver does; the tests use it). */
export function verifyWebhookSignature(secret: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(`v1=${webhookSignature(secret, timestamp, body)}`);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
