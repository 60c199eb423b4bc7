/**
 * Storing a member's avatar photo (`rt.avatars`): an uploaded file is checked by its first
 * bytes (never the declared type), decoded and re-encoded by sharp as three square JPEG sizes
 * (`AVATAR_SIZES`), stored under content-addressed keys (`avatarKey`), and made the member's
 * photo (`users.photo_key`). The profile edit page (a person's own photo) and Admin → Bots (a
 * bot's) both go through it; cards and pages read the key through `personCards`/`avatarUrl`.
 *
 *   const { image, problem } = await rt.avatars.read(file);   // problem: i18n key, params, status
 *   if (problem) return form(422/413, t(ctx, problem.key, problem.params));
 *   if (image) await rt.db.transaction((trx) => rt.avatars.store(userId, image, trx));
 *   await rt.avatars.remove(userId);                          // back to the initials
 *
 * The previous photo's files are removed once the change is committed: at once without a
 * transaction, after the caller's transaction commits otherwise (tracked by `rt.background`;
 * a rolled-back change keeps them).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { BackgroundWork } from '../background';
import { readImage, type UploadedFile } from '../http/multipart';
import { jpegSizes } from '../images';
import type { Storage } from '../storage/store';
import { AVATAR_SIZES, avatarKey, setPhotoKey } from './people';

export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

/** An uploaded photo, resized: its content hash (the key) and one JPEG per `AVATAR_SIZES`. */
export interface AvatarImage {
  hash: string;
  files: Buffer[];
}

/** Why a file cannot be an avatar: an i18n key (`core.avatar.error.*`), its params and the status to answer. */
export interface AvatarProblem {
  key: string;
  params?: Record<string, string | number>;
  status: 413 | 422;
}

/** The transaction a commit of `trx` ends: its outermost one (a savepoint commits nothing). */
function committed(trx: Knex.Transaction): Promise<unknown> {
  let outer = trx;
  while (outer.parentTransaction) outer = outer.parentTransaction;
  return outer.executionPromise;
}

export class Avatars {
  constructor(
    private readonly db: Knex,
    private readonly storage: Storage,
    private readonly background: BackgroundWork,
  ) {}

  /**
   * The uploaded file checked and resized; `{}` when no file was sent (`required` makes that a
   * problem too), else the problem: too large (413), not an image or unreadable (422).
   */
  async read(file: UploadedFile | undefined, required = false): Promise<{ image?: AvatarImage; problem?: AvatarProblem }> {
    const found = await readImage(file, MAX_AVATAR_BYTES);
    if ('problem' in found) {
      if (found.problem === 'none') return required ? { problem: { key: 'core.avatar.error.missing', status: 422 } } : {};
      if (found.problem === 'tooLarge')
        return { problem: { key: 'core.avatar.error.tooLarge', params: { max: MAX_AVATAR_BYTES / 1024 / 1024 }, status: 413 } };
      return { problem: { key: 'core.avatar.error.type', status: 422 } };
    }
    try {
      const boxes = AVATAR_SIZES.map((size) => ({ width: size, height: size }));
      const files = await jpegSizes(found.data, boxes, 85);
      return { image: { hash: createHash('sha256').update(found.data).digest('hex').slice(0, 20), files } };
    } catch {
      return { problem: { key: 'core.avatar.error.unreadable', status: 422 } };
    }
  }

  /**
   * Stores the sizes and makes them the member's photo (inside `trx` when given); answers the
   * previous photo key, whose files go once the change is committed.
   */
  async store(userId: number, image: AvatarImage, trx?: Knex.Transaction): Promise<string | null> {
    for (let i = 0; i < AVATAR_SIZES.length; i++)
      await this.storage.put(avatarKey(userId, image.hash, AVATAR_SIZES[i]), image.files[i], 'image/jpeg');
    return this.change(userId, image.hash, trx);
  }

  /** Clears the member's photo (back to the initials); answers the previous key, whose files go once committed. */
  async remove(userId: number, trx?: Knex.Transaction): Promise<string | null> {
    return this.change(userId, null, trx);
  }

  private async change(userId: number, photoKey: string | null, trx?: Knex.Transaction): Promise<string | null> {
    const previous = await setPhotoKey(trx ?? this.db, userId, photoKey);
    if (!previous || previous === photoKey) return previous;
    if (!trx) await this.discard(userId, previous);
    else
      void this.background.track(
        committed(trx).then(
          () => this.discard(userId, previous),
          () => undefined,
        ),
      );
    return previous;
  }

  /** Removes the stored sizes of a photo key no longer used. */
  private async discard(userId: number, photoKey: string): Promise<void> {
    for (const size of AVATAR_SIZES) await this.storage.delete(avatarKey(userId, photoKey, size)).catch(() => undefined);
  }
}
