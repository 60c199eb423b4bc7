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

/** The newest message to `to`, and the first link in its text. */
export async function lastMailTo(dataDir: string, to: string): Promise<ReadMail & { link: string }> {
  const mails = (await readMails(dataDir)).filter((m) => m.to.includes(to));
  const mail = mails[mails.length - 1];
  if (!mail) throw new Error(`no mail to ${to}`);
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0] ?? '';
  return { ...mail, link };
}

/** The path and query of a link, for supertest. */
export const pathOf = (link: string): string => {
  const u = new URL(link);
  return u.pathname + u.search;
};
