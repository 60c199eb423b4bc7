/**
 * Clients of the JSON API for tests: each name holds a member's token of a scope, and calls
 * the app with it (`Authorization: Bearer`, answers in English unless the test sets another
 * language). `post` sends a JSON body, with an `Idempotency-Key` when given one.
 */
import request from 'supertest';
import type { Runtime, TokenScope } from '../../core';

export interface ApiClient {
  get(path: string): request.Test;
  post(path: string, body?: object, idempotencyKey?: string): request.Test;
}

export async function apiClients<K extends string>(
  app: { app: { callback(): Parameters<typeof request>[0] }; rt: Runtime },
  holders: Record<K, [userId: number, scope: TokenScope]>,
): Promise<(name: K) => ApiClient> {
  const api = request(app.app.callback());
  const tokens = new Map<K, string>();
  for (const [name, [userId, scope]] of Object.entries(holders) as [K, [number, TokenScope]][])
    tokens.set(name, (await app.rt.apiTokens.create(userId, `${name} API client`, scope)).token);
  const authorised = (req: request.Test, name: K) => req.set('authorization', `Bearer ${tokens.get(name)}`).set('Accept-Language', 'en');
  return (name) => ({
    get: (path) => authorised(api.get(path), name),
    post(path, body, idempotencyKey) {
      const req = authorised(api.post(path), name);
      if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
      return body ? req.send(body) : req;
    },
  });
}

/**
 * A list walked by its next links from `first` while items are added: `read` answers a
 * page's items and its next link (null on the last), and `add` runs after each page that has
 * a next one. `links` are the links followed. Pages and API lists alike.
 */
export async function walkLinksWhileAdding<T>(
  first: string,
  read: (path: string) => Promise<{ items: T[]; next: string | null }>,
  add: (round: number) => Promise<unknown>,
): Promise<{ walked: T[]; links: string[] }> {
  const walked: T[] = [];
  const links: string[] = [];
  for (let next: string | null = first, round = 0; next; round++) {
    const page = await read(next);
    walked.push(...page.items);
    next = page.next;
    if (next) {
      links.push(next);
      await add(round);
    }
  }
  return { walked, links };
}

/**
 * A list of the API walked by its `next` links while items are added: `before` lists its
 * ids in one request (`?limit=100`), then `walked` follows it from `?limit=<pageSize>`
 * (`query` kept), calling `add` after each page that has a next one. `links` are the
 * links followed. Keyset paging lists exactly `before` (the items added sort before the cursor).
 */
export async function walkWhileAdding(
  client: ApiClient,
  list: { path: string; key: string; query?: string; pageSize: number },
  add: (round: number) => Promise<unknown>,
): Promise<{ before: number[]; walked: number[]; links: string[] }> {
  const idsIn = (body: Record<string, unknown>) => (body[list.key] as { id: number }[]).map((i) => i.id);
  const query = list.query ? `&${list.query}` : '';
  const before = idsIn((await client.get(`${list.path}?limit=100${query}`)).body);
  const read = async (path: string) => {
    const page = await client.get(path);
    if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}: ${page.text.slice(0, 200)}`);
    return { items: idsIn(page.body), next: page.body.next as string | null };
  };
  return { before, ...(await walkLinksWhileAdding(`${list.path}?limit=${list.pageSize}${query}`, read, add)) };
}

/** The `rel="next"` (or `prev`) link of a page's HTML, its entities decoded, or null. */
export function relLink(html: string, rel: 'next' | 'prev'): string | null {
  const m = new RegExp(`rel="${rel}" href="([^"]+)"|href="([^"]+)"[^>]*rel="${rel}"`).exec(html);
  const href = m ? (m[1] ?? m[2]) : null;
  return href ? href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&') : null;
}
