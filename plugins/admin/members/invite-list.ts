/**
 * Bulk invitations from the members console: addresses pasted one or more a line, or a CSV
 * file (the cell of each row holding an @; a line naming the columns, such as
 * `Name;Email;Team`, is skipped). Every line is checked: a line without an address, with a
 * malformed one, or repeating one is named with its number.
 */
import { isValidEmail } from '../../../core';

/** At most this many lines in one submission (the admins' daily invitation cap is lower). */
export const MAX_INVITE_LINES = 1000;

export interface LineProblem {
  line: number;
  /** i18n key under admin.members.invite.line. */
  key: 'noAddress' | 'bad' | 'repeated';
  text: string;
}

export interface InviteList {
  emails: string[];
  problems: LineProblem[];
  /** More lines than MAX_INVITE_LINES. */
  tooLong: boolean;
}

const HEADER = /^(e-?mail|courriel|adresse|address)$/i;

const cells = (line: string): string[] =>
  line.split(/[,;\t]/).map((c) =>
    c
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );

/** A CSV's first line naming its columns (one of them the address), not an address itself. */
const isHeader = (line: string): boolean => !line.includes('@') && cells(line).some((c) => HEADER.test(c));

/** Reads the addresses of a pasted list or a CSV file's text (or both, one after the other). */
export function readInviteList(text: string): InviteList {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const emails: string[] = [];
  const problems: LineProblem[] = [];
  const seen = new Set<string>();
  lines.forEach((raw, i) => {
    if (!raw.trim() || isHeader(raw)) return;
    // The cells holding an @: one in a CSV row, one or more on a pasted line.
    const found = raw
      .split(/[\s,;]+/)
      .map((c) => c.replace(/^["'<(]+|["'>)]+$/g, '').toLowerCase())
      .filter((c) => c.includes('@'));
    if (!found.length) {
      problems.push({ line: i + 1, key: 'noAddress', text: raw.trim().slice(0, 120) });
      return;
    }
    for (const email of found) {
      if (!isValidEmail(email)) problems.push({ line: i + 1, key: 'bad', text: email.slice(0, 120) });
      else if (seen.has(email)) problems.push({ line: i + 1, key: 'repeated', text: email });
      else {
        seen.add(email);
        emails.push(email);
      }
    }
  });
  return { emails, problems, tooLong: lines.filter((l) => l.trim() !== '').length > MAX_INVITE_LINES };
}
