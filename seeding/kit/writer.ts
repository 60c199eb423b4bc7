/**
 * Bulk inserts for the bench seed: multi-row `insert ... values (...), (...)` statements
 * built once per shape, sent inside the seed's transaction, chunked under the database's
 * bound-variable limit (SQLite 32,766 since 3.32, PostgreSQL 65,535).
 */
import type { Knex } from 'knex';

export type Dialect = 'sqlite' | 'postgres';

/** Values per statement: well under both limits, big enough to amortise each round trip. */
const VARIABLES_PER_STATEMENT = 30_000;

export class Writer {
  private readonly sqlCache = new Map<string, string>();
  /** Buffers not closed yet, in creation order: parents (created first) are always flushed before children. */
  private readonly open: TableBuffer[] = [];

  constructor(
    readonly trx: Knex.Transaction,
    readonly dialect: Dialect,
    private readonly onRows: (n: number) => void,
  ) {}

  /** A buffered table: `add` rows, they are written in chunks; call `close` at the end. */
  table(name: string, columns: readonly string[]): TableBuffer {
    const t = new TableBuffer(this, name, columns, Math.max(1, Math.floor(VARIABLES_PER_STATEMENT / columns.length)));
    this.open.push(t);
    return t;
  }

  /**
   * Flushes every open buffer in creation order, so a row never reaches the database before
   * the row it references (PostgreSQL checks foreign keys at each statement).
   */
  async flushAll(): Promise<void> {
    for (const t of this.open) await t.write();
  }

  /** Flushes and forgets a buffer (and those created before it, which it may reference). */
  async close(t: TableBuffer): Promise<void> {
    await this.flushAll();
    this.open.splice(this.open.indexOf(t), 1);
  }

  async insert(name: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
    if (!rows.length) return;
    const key = `${name}:${rows.length}`;
    let sql = this.sqlCache.get(key);
    if (!sql) {
      const one = `(${columns.map(() => '?').join(',')})`;
      sql = `insert into "${name}" (${columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: rows.length }, () => one).join(',')}`;
      if (this.sqlCache.size > 64) this.sqlCache.clear();
      this.sqlCache.set(key, sql);
    }
    const bindings: unknown[] = new Array(rows.length * columns.length);
    let k = 0;
    for (const row of rows) for (const v of row) bindings[k++] = v;
    try {
      await this.trx.raw(sql, bindings as Knex.RawBinding[]);
    } catch (e) {
      // The driver's message without the (huge) statement knex puts in front of it.
      const message = (e as Error).message ?? String(e);
      throw new Error(`bench seed: inserting into ${name} failed: ${message.slice(message.lastIndexOf(' - ') + 3)}`, {
        cause: e,
      });
    }
    this.onRows(rows.length);
  }
}

export class TableBuffer {
  private rows: unknown[][] = [];
  written = 0;

  constructor(
    private readonly writer: Writer,
    readonly name: string,
    private readonly columns: readonly string[],
    private readonly chunk: number,
  ) {}

  /** Adds a row; true when the buffer is full and `flush()` should be awaited. */
  add(row: unknown[]): boolean {
    this.rows.push(row);
    return this.rows.length >= this.chunk;
  }

  /** Writes the buffered rows, after those of the buffers created before this one. */
  flush(): Promise<void> {
    return this.writer.flushAll();
  }

  async write(): Promise<void> {
    if (!this.rows.length) return;
    const rows = this.rows;
    this.rows = [];
    this.written += rows.length;
    await this.writer.insert(this.name, this.columns, rows);
  }

  close(): Promise<void> {
    return this.writer.close(this);
  }
}
