/**
 * The client's address, the one way every part of Ruche reads it (sign-in throttling, logs,
 * the sessions list, rate limits).
 *
 * Without `trustProxy` it is the address of the TCP peer. Behind trusted proxies it is read
 * from `X-Forwarded-For` from the right: each trusted proxy appends the address it received
 * the request from, so the entry `proxyHops` places from the right end was written by the
 * outermost trusted proxy and names the real client. Entries further left were sent by the
 * client itself and are never believed (a client choosing its own address would escape every
 * per-address limit). A header with fewer entries than `proxyHops` gives its leftmost entry;
 * no header gives the peer's address.
 */
import type http from 'node:http';

export interface ProxySettings {
  trustProxy: boolean;
  proxyHops: number;
}

/** At most this many characters are kept (the size of the `ip` columns). */
const MAX_LENGTH = 64;

/** The client's address for a raw request (also used for WebSocket upgrades). */
export function clientAddressOf(req: http.IncomingMessage, settings: ProxySettings): string {
  const peer = req.socket?.remoteAddress ?? '';
  let address = peer;
  if (settings.trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length) address = list[Math.max(0, list.length - Math.max(1, settings.proxyHops))];
  }
  return normalise(address).slice(0, MAX_LENGTH);
}

/** The client's address for a request handled by the app (`ctx.req` with the site's settings). */
export function clientAddress(ctx: { req: http.IncomingMessage; ruche: { config: ProxySettings } }): string {
  return clientAddressOf(ctx.req, ctx.ruche.config);
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) → `192.0.2.1`. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
