/**
 * Cover images of content (a blog post, an event): checked by their first bytes (never the
 * declared type), decoded and re-encoded by sharp in two 16:9 JPEG widths, stored under
 * content-addressed keys `<plugin>/covers/<sha256-20>-<width>.jpg`. A plugin serves them
 * through its own route on the item (`<plugin>.cover`, `:id` and `:file`), so a cover is
 * seen only by who sees the item.
 *
 *   const covers = coverImages('events');
 *   const { cover, error } = await covers.read(file);      // error: an i18n key and params
 *   if (cover) await covers.store(storage, cover);
 *   covers.url(ctx, id, row.cover_key, 480);               // null without a cover
 *   await covers.serve(ctx);                               // the `<plugin>.cover` route
 */
import { createHash } from 'node:crypto';
import { HttpError } from '../errors';
import type { RucheContext } from '../http/context';
import type { UploadedFile } from '../http/multipart';
import { readImage } from '../http/multipart';
import { link } from '../http/request-helpers';
import { jpegSizes } from '../images';
import { serveStored } from '../storage/serve';
import type { Storage } from '../storage/store';

export const COVER_SIZES = [480, 1200] as const;
export type CoverSize = (typeof COVER_SIZES)[number];
export const MAX_COVER_BYTES = 5 * 1024 * 1024;
const COVER_FILE = /^([a-f0-9]{20})-(480|1200)\.jpg$/;

export interface Cover {
  hash: string;
  files: Buffer[];
}

export interface CoverImages {
  key(hash: string, size: number): string;
  url(ctx: RucheContext, id: number, hash: string | null, size: CoverSize): string | null;
  /** The resized cover, or the i18n key (`<plugin>.errors.cover*`) saying why the file cannot be one. */
  read(file: UploadedFile | undefined): Promise<{ cover?: Cover; error?: { key: string; params?: Record<string, unknown> } }>;
  store(storage: Storage, cover: Cover): Promise<void>;
  /** Answers `<plugin>.cover` once the caller checked the viewer sees the item and read its `cover_key`. */
  serve(ctx: RucheContext, coverKey: string | null): Promise<void>;
}

export function coverImages(plugin: string): CoverImages {
  const key = (hash: string, size: number): string => `${plugin}/covers/${hash}-${size}.jpg`;
  return {
    key,
    url: (ctx, id, hash, size) => (hash ? link(ctx, `${plugin}.cover`, { id, file: `${hash}-${size}.jpg` }) : null),
    async read(file) {
      const image = await readImage(file, MAX_COVER_BYTES);
      if ('problem' in image) {
        if (image.problem === 'none') return {};
        if (image.problem === 'tooLarge') return { error: { key: `${plugin}.errors.coverTooLarge`, params: { max: MAX_COVER_BYTES / 1024 / 1024 } } };
        return { error: { key: `${plugin}.errors.coverType` } };
      }
      const data = image.data;
      try {
        const files = await jpegSizes(
          data,
          COVER_SIZES.map((w) => ({ width: w, height: Math.round((w * 9) / 16) })),
          82,
        );
        return { cover: { hash: createHash('sha256').update(data).digest('hex').slice(0, 20), files } };
      } catch {
        return { error: { key: `${plugin}.errors.coverUnreadable` } };
      }
    },
    async store(storage, cover) {
      for (let i = 0; i < COVER_SIZES.length; i++) await storage.put(key(cover.hash, COVER_SIZES[i]), cover.files[i], 'image/jpeg');
    },
    async serve(ctx, coverKey) {
      const m = COVER_FILE.exec(String(ctx.params?.file ?? ''));
      if (!m || m[1] !== coverKey) throw new HttpError(404);
      await serveStored(ctx, ctx.ruche.storage, key(m[1], Number(m[2])));
    },
  };
}
