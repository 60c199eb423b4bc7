// Helpers for the files tests: an app with the files plugin enabled, members, containers,
// friends, signed-in agents, uploads through the real multipart form, and sample files.
// The storage is the app's (`rt.storage`): `filesApp(db, { config })` takes config overrides,
// so the same tests run against another storage driver.
import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'supertest';
import sharp from 'sharp';
import type { ConfigInput, Runtime } from '../../../core';
import { makeApp, type TestApp } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { createMember, formGroup, memberWorld, pageAgent, redirectedId, signedIn, type MemberWorld, type PageAgent } from '../../helpers/members';
import type { PluginTestApp } from '../../helpers/plugin-app';
import { recordEvents } from '../../helpers/plugin-app';
import { eachStorageAppOf } from '../../helpers/storages';

export interface Upload {
  data: Buffer;
  name: string;
  type?: string;
}

export interface FilesApp extends PluginTestApp, MemberWorld {
  settings(values: Record<string, unknown>): Promise<void>;
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
    ...memberWorld(app, '/files'),
    async settings(values) {
      await rt.pluginState.configure('files', Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])), rt.networks.root().id);
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
export const fileId = (res: Response): number => redirectedId(res, '/files');

export function png(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .png()
    .toBuffer();
}

/** A JPEG of one colour (a photo for the browser tests). */
export function jpeg([r, g, b]: readonly [number, number, number], width = 1200, height = 800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();
}

/** Photos of these colours and sizes (width, height), for the albums and attachments walks. */
export const PHOTO_SHAPES: readonly [[number, number, number], number, number][] = [
  [[220, 120, 60], 1200, 800],
  [[60, 140, 200], 800, 1200],
  [[90, 170, 90], 1200, 1200],
  [[200, 190, 70], 1600, 900],
  [[150, 80, 160], 900, 1200],
];

/** Writes files into `<dataDir>/up` for a browser's file chooser; their paths, in order. */
export async function filesOnDisk(dataDir: string, files: [name: string, data: Buffer | string | Promise<Buffer>][]): Promise<string[]> {
  const dir = path.join(dataDir, 'up');
  fs.mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const [name, data] of files) {
    paths.push(path.join(dir, name));
    fs.writeFileSync(paths[paths.length - 1], await data);
  }
  return paths;
}

const WALKERS = { alice: 'Alice Martin', bruno: 'Bruno Lefèvre' } as const;

/** The browser walks' start: the files plugin enabled, and these of its members (alice, bruno) created; the runtime. */
export async function startFilesWalk(app: TestApp, usernames: (keyof typeof WALKERS)[]): Promise<Runtime> {
  const rt = app.app.ruche;
  await rt.pluginState.enable('files');
  for (const u of usernames) await createMember(rt, u, { displayName: WALKERS[u] });
  return rt;
}

/** alice's closed group `Festival team`, made through its form with bruno in it (both members already): its id. */
export async function festivalTeam(app: TestApp): Promise<number> {
  const alice = pageAgent(await signedIn(app, 'alice'), '/files');
  const bruno = (await app.app.ruche.users.byUsername('bruno'))!.id;
  return formGroup(alice, app.app.ruche, { name: 'Festival team', description: 'Summer festival crew', category: 'social', visibility: 'closed' }, [
    bruno,
  ]);
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
