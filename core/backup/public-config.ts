/**
 * The configuration as a backup keeps it: every setting but the secrets (the signing secret,
 * the database password, the SMTP password, the object store's keys), for the record of how
 * the site ran. Restoring never applies it: the target keeps its own configuration.
 */
import type { RucheConfig } from '../config';

const REMOVED = '(removed)';

export function publicConfig(config: RucheConfig): Record<string, unknown> {
  const c = structuredClone(config) as unknown as Record<string, unknown> & RucheConfig;
  const out: Record<string, unknown> = { ...c, secret: REMOVED, databaseUrl: withoutPassword(config.databaseUrl) };
  if (c.mail.smtp.pass) out.mail = { ...c.mail, smtp: { ...c.mail.smtp, pass: REMOVED } };
  if (c.storage.s3) {
    const s3 = { ...c.storage.s3 };
    if (s3.accessKeyId) s3.accessKeyId = REMOVED;
    if (s3.secretAccessKey) s3.secretAccessKey = REMOVED;
    out.storage = { ...c.storage, s3 };
  }
  delete out.configFile;
  return out;
}

function withoutPassword(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = REMOVED;
    return u.toString();
  } catch {
    return REMOVED;
  }
}
