/**
 * Cover images of blog posts, through the core's `coverImages` (core/content/covers.ts):
 * checked by their first bytes, re-encoded in two JPEG widths, stored under
 * `blogs/covers/<hash>-<width>.jpg` and served through the post (blogs.cover), so a cover is
 * seen only by who sees its post.
 */
import { coverImages, type Cover, type RucheContext, type Storage, type UploadedFile } from '../../core';

export { COVER_SIZES, MAX_COVER_BYTES, type Cover } from '../../core';

const covers = coverImages('blogs');

export const coverKey = covers.key;

export const coverUrl = (ctx: RucheContext, postId: number, hash: string | null, size: 480 | 1200): string | null =>
  covers.url(ctx, postId, hash, size);

export const readCover = (file: UploadedFile | undefined): ReturnType<typeof covers.read> => covers.read(file);

export const storeCover = (storage: Storage, cover: Cover): Promise<void> => covers.store(storage, cover);

export const serveCover = (ctx: RucheContext, coverKey: string | null): Promise<void> => covers.serve(ctx, coverKey);
