/**
 * SSRF guard of webhooks: a receiver's host is resolved, and a URL whose host resolves to a
 * private, loopback, link-local, unique-local (or otherwise non-public) address is refused
 * unless the configuration allows it (`webhooks.allowPrivateAddresses`). The check runs when
 * a webhook is subscribed and again at each delivery, and the delivery connects to the very
 * address that was checked (no second lookup a DNS answer could change in between).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** Whether `address` (an IP) is not a public unicast address. IPv4-mapped IPv6 is read as IPv4. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

/** Why a URL may not receive webhooks: the i18n key's last part (`core.webhooks.errors.<reason>`). */
export type AddressProblem = 'url' | 'unresolved' | 'private';

export class WebhookAddressError extends Error {
  constructor(readonly problem: AddressProblem) {
    super(`webhook address refused: ${problem}`);
    this.name = 'WebhookAddressError';
  }
}

/** An http(s) URL with a host, else null. */
export function parseWebhookUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) return null;
    return url;
  } catch {
    return null;
  }
}

/**
 * The address to connect to for `url`: its host resolved (every address must pass, so a
 * name answering a public and a private address is refused), or a WebhookAddressError.
 */
export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let found: { address: string; family: number }[];
  if (isIP(host)) found = [{ address: host, family: isIP(host) }];
  else {
    try {
      found = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookAddressError('unresolved');
    }
  }
  if (!found.length) throw new WebhookAddressError('unresolved');
  if (!allowPrivate && found.some((a) => isPrivateAddress(a.address))) throw new WebhookAddressError('private');
  return { address: found[0].address, family: found[0].family === 6 ? 6 : 4 };
}
