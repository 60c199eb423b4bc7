/**
 * "Download my data": a member asks (`requestExport`), the `core.memberExport` job builds a ZIP
 * of everything they created or received — `core/*.json` (the account, memberships, the
 * networks that banned them, sessions, tokens, relations, entities, acts, mentions), one `<plugin>/<name>.json` per part the plugins
 * give through `member:export` (core/members/contract.ts), and the files under `files/` — stores
 * it under `exports/<userId>/`, and mails them a link valid for 48 hours. The link leads to
 * `/account/data/:id`, which serves the archive only to that member, signed in (the route checks
 * the session's member against the archive's, every time). Expired archives are removed by the
 * job that purges them (`purgeExpiredExports`, from the hourly housekeeping).
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { Runtime } from '../runtime';
import { AVATAR_SIZES, avatarKey } from '../content/people';
import { networkUrl } from '../network-url';
import type { MemberDataPart, MemberFile } from './contract';

export const EXPORT_JOB = 'core.memberExport';
export const EXPORT_VALID_MS = 48 * 3_600_000;

export interface ExportRow {
  id: number;
  status: 'pending' | 'ready';
  size: number | null;
  requestedAt: number;
  expiresAt: number | null;
}

const exportRow = (r: Record<string, unknown>): ExportRow => ({
  id: Number(r.id),
  status: r.status as ExportRow['status'],
  size: r.size === null ? null : Number(r.size),
  requestedAt: Number(r.requested_at),
  expiresAt: r.expires_at === null ? null : Number(r.expires_at),
});

/** The member's latest archive still pending or downloadable at `now`, if any. */
export async function currentExport(rt: Runtime, userId: number, now = Date.now()): Promise<ExportRow | undefined> {
  const row = await rt
    .db('member_exports')
    .where({ user_id: userId })
    .andWhere((q) => q.where({ status: 'pending' }).orWhere('expires_at', '>', now))
    .orderBy('id', 'desc')
    .first();
  return row ? exportRow(row) : undefined;
}

/** Asks for an archive; while one is pending or valid, answers it instead (a double click builds one). */
export async function requestExport(rt: Runtime, userId: number, networkId: number, now = Date.now()): Promise<ExportRow> {
  const current = await currentExport(rt, userId, now);
  if (current) return current;
  const [row] = await rt
    .db('member_exports')
    .insert({ user_id: userId, network_id: networkId, status: 'pending', requested_at: now })
    .returning('id');
  const id = Number(typeof row === 'object' ? row.id : row);
  await rt.jobs.schedule(EXPORT_JOB, { exportId: id }, { key: `${EXPORT_JOB}:${id}` });
  return { id, status: 'pending', size: null, requestedAt: now, expiresAt: null };
}

/** The archive `id` if it is `userId`'s and still downloadable: the download route's check. */
export async function downloadableExport(
  rt: Runtime,
  id: number,
  userId: number,
  now = Date.now(),
): Promise<{ key: string; expired: boolean } | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const row = await rt.db('member_exports').where({ id, user_id: userId, status: 'ready' }).first();
  if (!row) return undefined;
  return { key: String(row.storage_key), expired: Number(row.expires_at) <= now };
}

/** The job: builds the archive, stores it and mails the link (nothing when already built). */
export async function runExportJob(payload: Record<string, unknown>, rt: Runtime, now: number): Promise<void> {
  const row = await rt
    .db('member_exports')
    .where({ id: Number(payload.exportId), status: 'pending' })
    .first();
  if (!row) return;
  const userId = Number(row.user_id);
  const key = `exports/${userId}/${randomBytes(12).toString('hex')}.zip`;
  const head = await rt.storage.put(key, await buildArchive(rt, userId, now), 'application/zip');
  const expiresAt = now + EXPORT_VALID_MS;
  await rt
    .db('member_exports')
    .where({ id: row.id })
    .update({ status: 'ready', storage_key: key, size: head.size, ready_at: now, expires_at: expiresAt });
  await mailExportLink(rt, userId, Number(row.network_id), Number(row.id), expiresAt);
}

/** The ZIP of the member's data, as a stream the storage writes. */
export async function buildArchive(rt: Runtime, userId: number, now = Date.now()): Promise<Readable> {
  const zip = new ZipFile();
  const mtime = new Date(now);
  const json = (name: string, value: unknown) => zip.addBuffer(Buffer.from(JSON.stringify(value, null, 2)), name, { mtime });
  const core = await coreParts(rt, userId);
  const parts = [...core.parts, ...(await rt.hooks.filter('member:export', [], { rt, userId }))];
  const used = new Set<string>();
  const index: { file: string; rows: number; files: number }[] = [];
  for (const part of parts) {
    const file = uniqueName(used, `${safeName(part.plugin)}/${safeName(part.name)}.json`);
    json(file, part.rows);
    const files = [...(part.files ?? []), ...(part.plugin === 'core' && part.name === 'account' ? core.files : [])];
    for (const f of files) addStored(rt, zip, uniqueName(used, `files/${safeName(part.plugin)}/${safeName(f.name)}`), f, mtime);
    index.push({ file, rows: part.rows.length, files: files.length });
  }
  json('index.json', { userId, createdAt: now, parts: index });
  zip.end();
  return zip.outputStream as Readable;
}

/** Adds a stored file, read when the ZIP reaches it (one open at a time); a missing one becomes an empty entry. */
function addStored(rt: Runtime, zip: ZipFile, name: string, file: MemberFile, mtime: Date): void {
  zip.addReadStreamLazy(name, { mtime }, (done) => {
    rt.storage.stream(file.key).then(
      (stored) => done(null, stored ? stored.body : (Readable.from([]) as NodeJS.ReadableStream)),
      (err: unknown) => done(err, undefined as unknown as NodeJS.ReadableStream),
    );
  });
}

const safeName = (name: string): string =>
  name
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120) || '_';

function uniqueName(used: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = name.replace(/(\.[^./]*)?$/, (ext) => ` (${n})${ext}`);
  used.add(candidate);
  return candidate;
}

/** What the core keeps of the member, from its own tables. */
async function coreParts(rt: Runtime, userId: number): Promise<{ parts: MemberDataPart[]; files: MemberFile[] }> {
  const db = rt.db;
  const user = await db('users')
    .where({ id: userId })
    .first('id', 'username', 'email', 'display_name', 'locale', 'time_zone', 'status', 'created_at', 'email_verified_at', 'photo_key');
  const part = (name: string, rows: object[]): MemberDataPart => ({ plugin: 'core', name, rows: rows.map((r) => ({ ...r })) });
  const account = { ...user };
  delete account.photo_key;
  const photo = user?.photo_key as string | null | undefined;
  return {
    files: photo ? [{ key: avatarKey(userId, photo, AVATAR_SIZES[AVATAR_SIZES.length - 1]), name: 'avatar.jpg' }] : [],
    parts: [
      part('account', user ? [account] : []),
      part(
        'memberships',
        await db('memberships as m')
          .join('networks as n', 'n.id', 'm.network_id')
          .where({ 'm.user_id': userId })
          .select('n.slug', 'n.name', 'm.role', 'm.created_at'),
      ),
      part('sessions', await db('sessions').where({ user_id: userId }).select('created_at', 'last_seen_at', 'ip', 'user_agent')),
      part('api-tokens', await db('api_tokens').where({ user_id: userId }).select('name', 'created_at', 'last_used_at')),
      part('identities', await db('user_identities').where({ user_id: userId }).select('provider', 'subject', 'created_at', 'last_used_at')),
      part('relations', await db('user_relations').where({ user_id: userId }).orWhere({ other_id: userId }).select()),
      part('container-memberships', await db('container_members').where({ user_id: userId }).select()),
      part('charter-acceptances', await db('charter_acceptances').where({ user_id: userId }).select()),
      part('network-bans', await rt.bans.of(userId)),
      part('mentions-received', await db('content_mentions').where({ user_id: userId }).select()),
      part(
        'content',
        await db('entities')
          .where({ owner_id: userId })
          .select('id', 'type', 'network_id', 'container_id', 'access', 'published', 'withheld', 'created_at', 'updated_at', 'deleted_at'),
      ),
      part('acts', await db('activity').where({ actor_id: userId }).select('id', 'verb', 'entity_id', 'object_id', 'network_id', 'created_at')),
    ],
  };
}

async function mailExportLink(rt: Runtime, userId: number, networkId: number, exportId: number, expiresAt: number): Promise<void> {
  const user = await rt.db('users').where({ id: userId }).first('email', 'display_name', 'locale');
  const network = rt.networks.get(networkId) ?? rt.networks.root();
  if (!user) return;
  const home = networkUrl(rt.config.siteUrl, network);
  const locale = (user.locale as string | null) ?? network.locale;
  await rt.mailer.send({
    to: String(user.email),
    locale,
    template: 'core/data-export',
    siteName: network.name,
    siteUrl: home,
    theme: network.theme,
    data: {
      name: user.display_name,
      link: `${home}/account/data/${exportId}`,
      expires: new Date(expiresAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    },
  });
}

/** Removes archives past their 48 hours (bytes and rows); answers how many went. */
export async function purgeExpiredExports(rt: Pick<Runtime, 'db' | 'storage'>, now: number): Promise<number> {
  const rows = await rt.db('member_exports').where('expires_at', '<=', now).select('id', 'storage_key');
  for (const row of rows) {
    if (row.storage_key) await rt.storage.delete(String(row.storage_key));
    await rt.db('member_exports').where({ id: row.id }).delete();
  }
  return rows.length;
}
