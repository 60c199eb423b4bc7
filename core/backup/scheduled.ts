/**
 * Scheduled backups (`backup.everyHours`, `backup.keep`, `backup.dir` in the configuration):
 * a core job looks every hour whether the newest scheduled archive is `everyHours` old, writes
 * a new one if so, and deletes the oldest beyond `keep`. Only archives it named
 * (`ruche-<time>.tar.gz`) are counted and deleted. It reads through a connection of its own,
 * so a long snapshot never holds the serving connection (SQLite's pool has one).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { connectDatabase } from '../db/database';
import type { JobDef } from '../jobs/runner';
import type { Runtime } from '../runtime';
import { createBackup, type BackupResult } from './create';
import { knownOwners, stampedName, stampOf } from './names';

const HOUR = 3_600_000;
const PREFIX = 'ruche';

export interface ScheduledRun {
  written?: BackupResult;
  deleted: string[];
}

export async function scheduledBackup(rt: Pick<Runtime, 'config' | 'appRoot' | 'storage' | 'plugins'>, now: number): Promise<ScheduledRun> {
  const { everyHours, keep, dir } = rt.config.backup;
  if (!everyHours) return { deleted: [] };
  const stamped = async (): Promise<{ name: string; at: number }[]> =>
    (await fs.readdir(dir).catch(() => [] as string[]))
      .map((name) => ({ name, at: stampOf(name, PREFIX) }))
      .filter((a): a is { name: string; at: number } => a.at !== undefined)
      .sort((a, b) => b.at - a.at);
  const newest = (await stamped())[0];
  // A minute of slack: the job runs an hour after the previous run ended, never exactly on time.
  if (newest && now - newest.at < everyHours * HOUR - 60_000) return { deleted: [] };
  const db = await connectDatabase(rt.config.databaseUrl);
  let written: BackupResult;
  try {
    const source = { db, config: rt.config, appRoot: rt.appRoot, storage: rt.storage, owners: knownOwners(rt.plugins) };
    written = await createBackup(source, path.join(dir, stampedName(PREFIX, new Date(now))));
  } finally {
    await db.destroy();
  }
  const deleted = (await stamped()).slice(keep).map((a) => a.name);
  for (const name of deleted) await fs.rm(path.join(dir, name), { force: true });
  return { written, deleted };
}

export const scheduledBackupJob: JobDef = {
  kind: 'core.backup',
  everyMs: HOUR,
  maxAttempts: 1,
  handler: async (_payload, rt, job) => {
    const run = await scheduledBackup(rt, job.now);
    if (run.written) rt.logger.info({ file: run.written.file, bytes: run.written.bytes, deleted: run.deleted }, 'scheduled backup written');
  },
};
