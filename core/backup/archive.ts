/**
 * The archive file itself: a gzip-compressed tar of a staging folder (manifest.json, tables/,
 * files/, files.jsonl, config.json), written next to its destination and renamed into place,
 * so that a reader never sees half an archive. Entries are checked by SHA-256.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { BackupRefused, MANIFEST, type Manifest } from './manifest';

/** A fresh folder for an archive's entries, beside `near` (same disk), removed by `dispose`. */
export async function stagingDir(near: string, prefix: string): Promise<{ dir: string; dispose: () => Promise<void> }> {
  await fs.mkdir(near, { recursive: true });
  const dir = await fs.mkdtemp(path.join(near, prefix));
  return { dir, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
}

export async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export async function listEntries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  }
  return out.sort();
}

/** Packs the staged entries (manifest first) into `output`, replacing it only once complete. */
export async function pack(dir: string, entries: string[], output: string): Promise<void> {
  const partial = `${output}.partial`;
  try {
    await tar.c({ gzip: true, file: partial, cwd: dir, portable: true }, [MANIFEST, ...entries.filter((e) => e !== MANIFEST)]);
    await fs.rename(partial, output);
  } finally {
    await fs.rm(partial, { force: true });
  }
}

/** Extracts an archive into `dir`; a file that is not a whole gzip tar is refused. */
export async function unpack(file: string, dir: string): Promise<void> {
  try {
    await tar.x({ file, cwd: dir, strict: true });
  } catch (e) {
    throw new BackupRefused(`it is not a readable backup archive (${(e as Error).message})`);
  }
}

/** Refuses an extracted archive whose entries are missing or differ from the manifest's checksums. */
export async function verifyChecksums(dir: string, manifest: Manifest): Promise<void> {
  for (const t of manifest.tables) {
    if (!manifest.checksums[t.entry]) throw new BackupRefused(`its manifest lists ${t.entry} without a checksum`);
  }
  for (const [entry, want] of Object.entries(manifest.checksums)) {
    const file = path.join(dir, ...entry.split('/'));
    if (entry.split('/').includes('..')) throw new BackupRefused(`its manifest names an entry outside the archive (${entry})`);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) throw new BackupRefused(`${entry} is missing from it`);
    if (stat.size !== want.bytes || (await sha256(file)) !== want.sha256)
      throw new BackupRefused(`${entry} does not match its checksum: the archive is damaged`);
  }
}
