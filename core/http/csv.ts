/** CSV for exports (RFC 4180: every field quoted, quotes doubled, CRLF lines), safe to open in a spreadsheet. */

/** One CSV field: quoted, quotes doubled; a leading =, +, - or @ is escaped so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** One line of fields, with its CRLF. */
export const csvLine = (fields: readonly unknown[]): string => `${fields.map(csvField).join(',')}\r\n`;
