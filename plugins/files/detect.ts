/**
 * What a file is, judged by its bytes (`file-type`), never by its name or the type the
 * browser declared. Text that file-type does not recognise is told apart here: markup that a
 * browser would run (HTML, SVG, XML) is named so, to be refused or served as a download only.
 */
import { fileTypeFromFile } from 'file-type';

/** Types a browser may execute or render as a document: never served inline, never with their own type. */
const ACTIVE = new Set([
  'text/html',
  'image/svg+xml',
  'application/xml',
  'text/xml',
  'application/xhtml+xml',
  'text/javascript',
  'application/javascript',
]);

/** Image types the server re-encodes (variants made with sharp), the only ones ever shown inline. */
export const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export const isActive = (mime: string): boolean => ACTIVE.has(mime);

/** An uploaded file's type, read from its temporary file (file-type reads only what it needs). */
export async function detectType(file: { path: string; head: Buffer; size: number }): Promise<string> {
  const found = await fileTypeFromFile(file.path);
  if (found && !found.mime.includes('xml')) return found.mime;
  return textType(file.head, file.size);
}

function textType(data: Buffer, size: number): string {
  const head = data.subarray(0, 4096);
  if (head.includes(0)) return 'application/octet-stream';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.length < size ? trimPartial(head) : head);
  } catch {
    return 'application/octet-stream';
  }
  const lower = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/<svg[\s>]/.test(lower)) return 'image/svg+xml';
  if (/<(!doctype html|html|head|body|script|iframe|object|embed|meta|style|a\s|img\s|form)[\s>]/.test(lower)) return 'text/html';
  if (lower.startsWith('<?xml') || lower.startsWith('<')) return 'application/xml';
  return 'text/plain';
}

/** The head of a longer file may end inside a UTF-8 sequence: drop that last partial character. */
function trimPartial(head: Buffer): Buffer {
  let end = head.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = head[end - i];
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) end -= i;
    break;
  }
  return head.subarray(0, end);
}

/** The admin's allow-list (comma or space separated types) as a set. */
export function allowList(setting: unknown): Set<string> {
  return new Set(
    String(setting ?? '')
      .toLowerCase()
      .split(/[\s,]+/)
      .filter(Boolean),
  );
}
