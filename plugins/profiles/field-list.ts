/**
 * The extra profile fields' definitions kept in memory (issue 18: the member directory offers
 * them as filters on every request). They are the core cache `profile-fields` (core/cache/caches.ts):
 * every writer of `profile_fields` changes it through `writeFields` (`caches.write`: the change and
 * the cache's version in one transaction), so this process rereads its copy at once and every other
 * process within the caches' poll (a CLI run, another worker). One copy per app (per `Caches`),
 * read on first use.
 */
import type { Knex } from 'knex';
import { preparedRead, type Runtime } from '../../core';
import { toField, type FieldRow } from './fields';

export const FIELDS_CACHE = 'profile-fields';

const FIELDS = preparedRead<Record<string, unknown>>(
  'select id, "key", label_en, label_fr, "type", choices, required, searchable, visibility, "position" from profile_fields order by "position", id',
);

type CachesRuntime = Pick<Runtime, 'db' | 'caches'>;

class FieldList {
  private fields?: readonly FieldRow[];
  private first?: Promise<void>;
  /** Reads started and the latest one whose rows are in `fields`: a slower, older read never wins. */
  private started = 0;
  private applied = 0;

  constructor(private readonly rt: CachesRuntime) {
    rt.caches.register(FIELDS_CACHE, () => this.reload());
  }

  async all(): Promise<readonly FieldRow[]> {
    if (!this.fields) await (this.first ??= this.reload());
    return this.fields!;
  }

  private async reload(): Promise<void> {
    const n = ++this.started;
    const rows = Object.freeze((await FIELDS.all(this.rt.db, [])).map((r) => Object.freeze(toField(r))));
    if (n > this.applied) {
      this.applied = n;
      this.fields = rows;
    }
  }
}

const lists = new WeakMap<Runtime['caches'], FieldList>();

function listOf(rt: CachesRuntime): FieldList {
  let list = lists.get(rt.caches);
  if (!list) lists.set(rt.caches, (list = new FieldList(rt)));
  return list;
}

/** The extra fields' definitions, in their order, as this app last read them (never to be changed by the caller). */
export function keptFields(rt: CachesRuntime): Promise<readonly FieldRow[]> {
  return listOf(rt).all();
}

/** Changes `profile_fields` in `change`'s transaction and tells every process's copy (`caches.write`). */
export function writeFields<T>(rt: CachesRuntime, change: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  listOf(rt);
  return rt.caches.write(FIELDS_CACHE, change);
}
