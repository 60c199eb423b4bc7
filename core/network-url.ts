import type { NetworkInfo } from './http/context';

/**
 * The absolute address where a network's pages start, without a trailing slash, for links
 * that leave the request (mail, feeds): the network's own host when it has one (with the
 * scheme and port of the site URL), else the site URL, followed by `/n/<slug>` for a
 * sub-network. Paths built for the network (`routes.build(name, params, '')`) follow it.
 */
export function networkUrl(siteUrl: string, network: Pick<NetworkInfo, 'host' | 'parentId' | 'slug'>): string {
  const site = new URL(siteUrl);
  if (network.host) return `${site.protocol}//${network.host}${site.port ? `:${site.port}` : ''}`;
  const base = siteUrl.replace(/\/+$/, '');
  return network.parentId === null ? base : `${base}/n/${network.slug}`;
}
