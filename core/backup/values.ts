/**
 * How a value travels in an archive's JSON lines so that both databases read back what was
 * written: integers as numbers (past 2^53 as `{"$bigint": "…"}`), booleans as booleans
 * (SQLite's 0/1 included), bytes as `{"$base64": "…"}`, dates as `{"$date": "<ISO>"}`,
 * null as null, text and other numbers as they are.
 */
import type { ColumnInfo } from './schema';
import { quote } from './schema';

type Tagged = { $bigint: string } | { $base64: string } | { $date: string };
export type ArchiveValue = string | number | boolean | null | Tagged;

/** The select list of a table's export: integers as text, so that no digit is lost on the way. */
export function exportColumns(columns: ColumnInfo[]): string {
  return columns.map((c) => (c.kind === 'int' ? `cast(${quote(c.name)} as text) as ${quote(c.name)}` : quote(c.name))).join(', ');
}

export function encodeValue(column: ColumnInfo, value: unknown): ArchiveValue {
  if (value === null || value === undefined) return null;
  if (column.kind === 'int') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : { $bigint: String(value) };
  }
  if (column.kind === 'bool') return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** A value read from an archive, as the database client takes it in an insert. */
export function decodeValue(value: ArchiveValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if ('$bigint' in value) return value.$bigint;
  if ('$base64' in value) return Buffer.from(value.$base64, 'base64');
  if ('$date' in value) return new Date(value.$date);
  throw new Error(`unknown value ${JSON.stringify(value)}`);
}
