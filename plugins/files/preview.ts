/**
 * A PDF's preview: its first page rendered to a PNG by `pdftoppm` (poppler-utils) when the
 * tool is on the machine, then re-encoded like any image (images.ts) into the display and
 * thumbnail variants. Without the tool, or when the PDF cannot be rendered (broken,
 * encrypted, too slow), there is no preview and the file page says so.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DISPLAY_PX } from './constants';
import { makeVariants, type Variants } from './images';

const run = promisify(execFile);
/** A page that takes longer than this to render gets no preview. */
const TIMEOUT_MS = 15_000;

let tool: Promise<string | null> | undefined;

/** The path of `pdftoppm`, or null when it is not installed (looked up once per process). */
export function pdftoppm(): Promise<string | null> {
  tool ??= run('pdftoppm', ['-v'], { timeout: 5000 }).then(
    () => 'pdftoppm',
    (err: NodeJS.ErrnoException & { code?: unknown }) => (err.code === 'ENOENT' ? null : 'pdftoppm'),
  );
  return tool;
}

/** The variants of the first page of the PDF at `pdf`, or undefined when there is no preview to make. */
export async function pdfPreview(pdf: string): Promise<Variants | undefined> {
  const bin = await pdftoppm();
  if (!bin) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ruche-pdf-'));
  try {
    const args = ['-png', '-f', '1', '-l', '1', '-singlefile', '-scale-to', String(DISPLAY_PX), pdf, join(dir, 'page')];
    await run(bin, args, { timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024 });
    return await makeVariants(await readFile(join(dir, 'page.png')), 'image/png');
  } catch {
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
