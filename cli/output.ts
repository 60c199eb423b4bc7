/**
 * How the CLI talks: results on stdout, problems as one `ruche: <message>` line on stderr.
 * Stack traces only with RUCHE_DEBUG=1.
 */
import path from 'node:path';
import { CommanderError } from 'commander';
import { StartupError } from '../core';

/** A refused command: the message is the whole line shown to the user. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function say(line = ''): void {
  process.stdout.write(line + '\n');
}

export function fail(message: string): void {
  process.stderr.write(`ruche: ${message}\n`);
}

const debug = (): boolean => process.env.RUCHE_DEBUG === '1';

/** Prints an error as one line (plus the stack under RUCHE_DEBUG=1) and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode; // commander already printed it
  if (isPromptExit(e)) {
    fail('cancelled');
    return 130;
  }
  if (e instanceof StartupError) fail(e.toLine());
  else if (e instanceof Error) fail(oneLine(e.message) || e.name);
  else fail(String(e));
  if (debug() && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  return e instanceof CliError ? e.exitCode : 1;
}

/** Ctrl+C (or a closed terminal) inside an @inquirer prompt. */
function isPromptExit(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');
}

export const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

/** A plain text table: columns padded to their widest cell, a header line first. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** What a `list` command prints: the items as JSON with --json, else a table, or `empty` when there are none. */
export function printList<T>(items: T[], json: boolean, empty: string, headers: string[], row: (item: T) => string[]): void {
  if (json) say(JSON.stringify(items, null, 2));
  else if (!items.length) say(empty);
  else say(table(headers, items.map(row)));
}

/** A path as the user would type it from the working directory. */
export const rel = (file: string): string => path.relative(process.cwd(), file) || file;

/** A database URL safe to print: the password of a postgres:// URL is masked. */
export function safeUrl(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
