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

  constructor(
    readonly trx: Knex.Transaction,
    readonly dialect: Dialect,
    private readonly onRows: (n: number) => void,
  ) {}

  /** A buffered table: `add` rows, they are written in chunks; call `close` at the end. */
  table(name: string, columns: readonly string[]): TableBuffer {
    return new TableBuffer(this, name, columns, Math.max(1, Math.floor(VARIABLES_PER_STATEMENT / columns.length)));
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
    await this.trx.raw(sql, bindings as Knex.RawBinding[]);
    this.onRows(rows.length);
  }
}

export class TableBuffer {
  private rows: unknown[][] = [];
  written = 0;

  constructor(private readonly writer: Writer, readonly name: string, private readonly columns: readonly string[], private readonly chunk: number) {}

  /** Adds a row; true when the buffer is full and `flush()` should be awaited. */
  add(row: unknown[]): boolean {
    this.rows.push(row);
    return this.rows.length >= this.chunk;
  }

  async flush(): Promise<void> {
    if (!this.rows.length) return;
    const rows = this.rows;
    this.rows = [];
    this.written += rows.length;
    await this.writer.insert(this.name, this.columns, rows);
  }

  close(): Promise<void> {
    return this.flush();
  }
}
