/**
 * What the drivers answer is not what the columns mean: PostgreSQL returns `bigint` columns as
 * strings and SQLite returns booleans as 0 or 1. A service reading its rows names the columns
 * that are numbers and those that are flags once, and `typedRow` gives them their types back.
 */
export interface RowColumnTypes {
  /** Columns read as numbers (null and missing stay as they are). */
  numbers?: readonly string[];
  /** Columns read as booleans (true, 1 or '1' is true; anything else false). */
  flags?: readonly string[];
}

/** Gives the named columns of `row` their types, in place, and returns it. */
export function typedRow<T>(row: T, types: RowColumnTypes): T {
  const r = row as Record<string, unknown>;
  for (const k of types.numbers ?? []) if (r[k] !== null && r[k] !== undefined) r[k] = Number(r[k]);
  for (const k of types.flags ?? []) if (k in r) r[k] = r[k] === true || Number(r[k]) === 1;
  return row;
}
