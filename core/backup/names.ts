/** Where archives go and what they are called: `<prefix>-YYYYMMDD-HHMMSSZ.tar.gz`, sortable by time. */
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationOwner } from '../db/migrator';
import { coreMigrations } from '../db/migrations';
import { CORE_ID } from '../plugins/manifest';
import type { PluginRegistry } from '../plugins/registry';

const STAMPED = /^(?<prefix>[a-z-]+)-(?<d>\d{8})-(?<t>\d{6})Z\.tar\.gz$/;

export function stampedName(prefix: string, at: Date): string {
  return `${prefix}-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-')}.tar.gz`;
}

/** The time in a stamped archive name of this prefix, or undefined for any other name. */
export function stampOf(name: string, prefix: string): number | undefined {
  const m = STAMPED.exec(name);
  if (!m?.groups || m.groups.prefix !== prefix) return undefined;
  const { d, t } = m.groups;
  return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
}

/** `target` itself, or a new stamped archive name in it when it is a folder (or ends with a separator). */
export function archivePath(target: string, prefix: string, now = new Date()): string {
  const isDir = target.endsWith('/') || target.endsWith(path.sep) || (fs.existsSync(target) && fs.statSync(target).isDirectory());
  return isDir ? path.resolve(target, stampedName(prefix, now)) : path.resolve(target);
}

/** Every migration owner an install's code knows: the core, then each plugin found (enabled or not). */
export function knownOwners(plugins: PluginRegistry): MigrationOwner[] {
  return [{ id: CORE_ID, migrations: coreMigrations }, ...plugins.owners(plugins.list().map((p) => p.manifest.id))];
}
