// Helpers for the files tests: an app with the files plugin enabled, members, containers,
// friends, signed-in agents, uploads through the real multipart form, and sample files.
// The storage is the app's (`rt.storage`): `filesApp(db, { config })` takes config overrides,
// so the same tests run against another storage driver.
import type { Response } from 'supertest';
import sharp from 'sharp';
import type { ConfigInput } from '../../../core';
import { makeApp, type TestAgent } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { befriend, capitalised, createMember, pageAgent, signedIn, testContainer, type PageAgent } from '../../helpers/members';
import type { PluginTestApp } from '../../helpers/plugin-app';
import { recordEvents } from '../../helpers/plugin-app';
import { eachStorageAppOf } from '../../helpers/storages';

export interface Upload {
  data: Buffer;
  name: string;
  type?: string;
}

export interface FilesApp extends PluginTestApp {
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin' }): Promise<number>;
  as(username: string): Promise<PageAgent>;
  guest(): TestAgent;
  container(ownerId: number, memberIds: number[], ownerRole?: 'member' | 'admin'): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  settings(values: Record<string, unknown>): Promise<void>;
  allowGuests(allow: boolean): Promise<void>;
}

export async function filesApp(db: TestDatabase, options: { config?: ConfigInput } = {}): Promise<FilesApp> {
  const app = await makeApp(db, { config: options.config });
  const rt = app.app.ruche;
  await rt.pluginState.enable('files');
  const events = recordEvents(rt, ['files:shared', 'files:deleted']);
  return {
    ...app,
    rt,
    db: rt.db,
    events,
    member: (username, opts = {}) => createMember(rt, username, { displayName: capitalised(username), ...opts }),
    as: async (username) => pageAgent(await signedIn(app, username), '/files'),
    guest: () => app.agent(),
    container: (ownerId, memberIds, ownerRole = 'member') => testContainer(rt, ownerId, memberIds, { ownerRole }),
    befriend: (a, b) => befriend(rt, a, b),
    async settings(values) {
      await rt.pluginState.configure('files', Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])), rt.networks.root().id);
    },
    async allowGuests(allow) {
      await rt.networks.update(rt.networks.root().id, { allowGuests: allow });
    },
  };
}

/** One test per database and storage driver (local folder, S3 on s3rver), on an app with the files plugin. */
export const eachFilesApp = eachStorageAppOf((db, config) => filesApp(db, { config }));

/** Posts files through the upload form (multipart, with the CSRF field), with extra fields. */
export async function upload(who: PageAgent, files: Upload[], fields: Record<string, string> = {}, accept?: string): Promise<Response> {
  const req = who.agent.http.post('/files').field('_csrf', await who.token());
  if (accept) req.set('Accept', accept);
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  for (const f of files) req.attach('files', f.data, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
  return req;
}

/** The id of the file an upload of one file redirected to. */
export function fileId(res: Response): number {
  const m = /\/files\/(\d+)$/.exec(String(res.headers.location ?? ''));
  if (!m) throw new Error(`no file in redirect (status ${res.status}, location ${res.headers.location}): ${res.text?.slice(0, 300)}`);
  return Number(m[1]);
}

export function png(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

/** A minimal valid PDF (one empty page). */
export function pdf(text = 'Minutes'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** Reads a response body as bytes whatever its type. */
export function bytes(req: import('supertest').Test): Promise<Response> {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

/** Posts a content plugin's form (multipart, with the CSRF field) with files in its `attachments` field. */
export async function postWithAttachments(who: PageAgent, path: string, fields: Record<string, string>, files: Upload[]): Promise<Response> {
  const req = who.agent.http.post(path).field('_csrf', await who.token());
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  for (const f of files) req.attach('attachments', f.data, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
  return req;
}

/** The files attached to a parent, oldest first. */
export async function attachedFiles(
  app: FilesApp,
  kind: string,
  id: number,
): Promise<{ entity_id: number; key: string; thumb_key: string | null; name: string }[]> {
  const rows = await app.db('files_items').where({ parent_kind: kind, parent_id: id }).orderBy('entity_id');
  return rows.map((r) => ({ ...r, entity_id: Number(r.entity_id) }));
}
