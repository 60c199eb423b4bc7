/**
 * The river of the bench network. Every act (posted, published, started, created, joined,
 * connected, commented, liked, replied) is collected here while the other tables are
 * written, then written in time order, so activity ids grow with time as they do when the
 * app records them one by one (feeds page by id).
 */
import type { Writer } from '../kit/writer';

export const VERBS = ['posted', 'published', 'started', 'created', 'joined', 'connected', 'commented', 'liked', 'replied'] as const;
export type Verb = (typeof VERBS)[number];
const VERB_CODE = new Map<string, number>(VERBS.map((v, i) => [v, i]));

export class ActivityCollector {
  private verb: Uint8Array;
  private actor: Int32Array;
  private entity: Int32Array;
  private network: Int32Array;
  /** 0 = none. */
  private object: Int32Array;
  private at: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.verb = new Uint8Array(capacity);
    this.actor = new Int32Array(capacity);
    this.entity = new Int32Array(capacity);
    this.network = new Int32Array(capacity);
    this.object = new Int32Array(capacity);
    this.at = new Float64Array(capacity);
  }

  add(verb: Verb, actorId: number, entityId: number, networkId: number, objectId: number | null, at: number): void {
    if (this.length === this.at.length) this.grow();
    const i = this.length++;
    this.verb[i] = VERB_CODE.get(verb)!;
    this.actor[i] = actorId;
    this.entity[i] = entityId;
    this.network[i] = networkId;
    this.object[i] = objectId ?? 0;
    this.at[i] = at;
  }

  /** Writes every row, oldest first (ties keep the order they were added in). */
  async write(writer: Writer): Promise<void> {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < this.length; i++) order[i] = i;
    const at = this.at;
    order.sort((a, b) => at[a] - at[b] || a - b);
    const table = writer.table('activity', ['verb', 'actor_id', 'entity_id', 'network_id', 'object_id', 'created_at']);
    for (const i of order) {
      if (table.add([VERBS[this.verb[i]], this.actor[i], this.entity[i], this.network[i], this.object[i] || null, this.at[i]])) await table.flush();
    }
    await table.close();
  }

  private grow(): void {
    const size = Math.max(1024, this.at.length * 2);
    const copy = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a as never);
      return b;
    };
    this.verb = copy(this.verb, (n) => new Uint8Array(n));
    this.actor = copy(this.actor, (n) => new Int32Array(n));
    this.entity = copy(this.entity, (n) => new Int32Array(n));
    this.network = copy(this.network, (n) => new Int32Array(n));
    this.object = copy(this.object, (n) => new Int32Array(n));
    this.at = copy(this.at, (n) => new Float64Array(n));
  }
}
