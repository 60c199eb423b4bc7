/**
 * Screening content before it is saved, the one place every kind of content goes through
 * (a status, a blog post, a topic, a reply, a comment, a message, a file's caption…): the
 * plugin writing it asks `screenContent` with the texts of its form, then
 *
 * - shows `problems` on the form like its own (the member's words kept, a 4xx) when there
 *   are any: a plugin filtering the texts refused them;
 * - saves `texts` (a filter may have rewritten them) instead of what was posted;
 * - saves a piece the screening holds (`screeningHolds`) withheld (`entities.withheld`: its
 *   author's and moderators' only) when it would have published it, so that nobody else sees
 *   it for an instant, nor hears of it (no notification, no "published" event), and says so
 *   (`heldOnSave`);
 * - once saved, tells the core with `contentScreened`: when some filter asked to hold the
 *   piece for review or to flag it, the `content:screened` event carries where it was saved
 *   and the plugin that asked acts on it (the moderation plugin queues a held entity until a
 *   moderator approves it — withholding it if it was saved visible — and queues a flagged one).
 *
 *   const screened = await screenContent(rt, { networkId, authorId, kind: 'status', texts: { body } });
 *   if (screened.problems.body) → the form again, with screened.problems
 *   const id = await save(screened.texts.body);
 *   await contentScreened(rt, screened, { entityId: id });
 *
 * Filters run through the `content:saving` hook (only plugins enabled in the network).
 */
import type { Runtime } from '../runtime';
import type { FieldProblems } from './article';

/** What a plugin is about to save. */
export interface ContentDraft {
  networkId: number;
  authorId: number;
  /** What is saved (`status`, `blog`, `topic`, `reply`, `comment`, `message`, `file`…). */
  kind: string;
  /** The texts by form field (`body`, `title`, `caption`…). */
  texts: Record<string, string>;
}

/** The answer of the `content:saving` filters. */
export interface Screening {
  draft: ContentDraft;
  /** The texts to save, rewritten by the filters or as posted. */
  texts: Record<string, string>;
  /** Fields refused (a localised message each): nothing may be saved. */
  problems: FieldProblems;
  /** Why a filter wants the piece held for review before anyone else sees it (empty: no hold). */
  hold: string[];
  /** Why a filter wants the piece published and reviewed (empty: no flag). */
  flag: string[];
}

/** Where a screened piece was saved: its entity and the piece inside it (0 or absent: the entity's own text). */
export interface ScreenedPlace {
  entityId: number | null;
  objectId?: number;
  /** The plugin saved it withheld because the screening holds it: publishing it is the reviewer's decision. */
  heldOnSave?: boolean;
}

/** Runs the `content:saving` filters over what a plugin is about to save. */
export async function screenContent(rt: Pick<Runtime, 'hooks'>, draft: ContentDraft): Promise<Screening> {
  const start: Screening = { draft, texts: { ...draft.texts }, problems: {}, hold: [], flag: [] };
  return rt.hooks.filter('content:saving', start, draft);
}

/** Whether a filter holds the piece for review: save it withheld (and say `heldOnSave`). */
export const screeningHolds = (screened: Screening | undefined): boolean => !!screened && screened.hold.length > 0;

/** Whether the form must be shown again with `screened.problems`. */
export const screeningRefused = (screened: Screening): boolean => Object.keys(screened.problems).length > 0;

/** After the save: hands a held or flagged piece to the plugins that asked (`content:screened`); nothing otherwise. */
export async function contentScreened(rt: Pick<Runtime, 'hooks'>, screened: Screening, place: ScreenedPlace): Promise<void> {
  if (!screened.hold.length && !screened.flag.length) return;
  const { networkId, authorId, kind } = screened.draft;
  await rt.hooks.emit('content:screened', {
    networkId,
    authorId,
    kind,
    entityId: place.entityId,
    objectId: place.objectId ?? 0,
    heldOnSave: place.heldOnSave ?? false,
    texts: screened.texts,
    hold: screened.hold,
    flag: screened.flag,
  });
}
