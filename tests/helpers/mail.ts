/** Reads the .eml files the file mail transport wrote, as a member's inbox would show them. */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';

export interface ReadMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  file: string;
}

export async function readMails(dataDir: string): Promise<ReadMail[]> {
  const dir = path.join(dataDir, 'mail');
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  const out: ReadMail[] = [];
  for (const f of files) {
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, f)));
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
    out.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', file: f });
  }
  return out;
}

/**
 * The newest message to `to`, and the first link in its text. With `linkPath`, the newest
 * message holding a link to that path (and that link): mails sent in the background, such
 * as a notification, may land between the one a test waits for and the moment it reads.
 */
export async function lastMailTo(dataDir: string, to: string, linkPath?: string): Promise<ReadMail & { link: string }> {
  const linkOf = (text: string): string => {
    const links = text.match(/https?:\/\/\S+/g) ?? [];
    return (linkPath === undefined ? links[0] : links.find((l) => new URL(l).pathname === linkPath)) ?? '';
  };
  const mails = (await readMails(dataDir)).filter((m) => m.to.includes(to) && (linkPath === undefined || linkOf(m.text) !== ''));
  const mail = mails[mails.length - 1];
  if (!mail) throw new Error(`no mail to ${to}${linkPath === undefined ? '' : ` linking to ${linkPath}`}`);
  return { ...mail, link: linkOf(mail.text) };
}

/** The path and query of a link, for supertest. */
export const pathOf = (link: string): string => {
  const u = new URL(link);
  return u.pathname + u.search;
};
