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
 * Follows a list's `next` links from `first` (each page answered 200), calling `between` after
 * each page that has a next one (to create items meanwhile); answers the ids listed, in order,
 * and the links followed.
 */
export async function walkNext(
  client: ApiClient,
  first: string,
  itemsOf: (body: Record<string, unknown>) => { id: number }[],
  between: (round: number) => Promise<unknown> = async () => undefined,
): Promise<{ ids: number[]; links: string[] }> {
  const ids: number[] = [];
  const links: string[] = [];
  for (let next: string | null = first, round = 0; next; round++) {
    const page = await client.get(next);
    if (page.status !== 200) throw new Error(`GET ${next} answered ${page.status}: ${page.text.slice(0, 200)}`);
    ids.push(...itemsOf(page.body).map((i) => i.id));
    next = page.body.next as string | null;
    if (next) {
      links.push(next);
      await between(round);
    }
  }
  return { ids, links };
}
