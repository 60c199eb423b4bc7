/**
 * Tags shared by every kind of content: `#hashtags` found in a status post, the tag field
 * of a blog post or a topic. One normal form (lowercase, letters, digits, `_` and `-`, at
 * most 64 characters) so one tag page lists them all.
 */
const TAG_BODY = /^[\p{L}\p{N}_-]{1,64}$/u;
const HASHTAG = /(^|[^\p{L}\p{N}_&#/])#([\p{L}\p{N}_-]{1,64})/gu;
export const MAX_TAGS = 20;

/** The normal form of a tag, or null when it is not one (`#Été` → `été`). */
export function normaliseTag(raw: string): string | null {
  const tag = raw.trim().replace(/^#/, '').normalize('NFC').toLowerCase();
  return TAG_BODY.test(tag) && !/^[-_]+$/.test(tag) ? tag : null;
}

/** Distinct tags of a comma- or space-separated field, in order; invalid ones listed apart. */
export function parseTagField(text: string): { tags: string[]; invalid: string[] } {
  const tags: string[] = [];
  const invalid: string[] = [];
  for (const part of (text ?? '').split(/[,\s]+/)) {
    if (!part) continue;
    const tag = normaliseTag(part);
    if (!tag) invalid.push(part);
    else if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, invalid };
}

/** The `#hashtags` of a text, normalised and distinct, in order of appearance. */
export function extractHashtags(text: string): string[] {
  const tags: string[] = [];
  for (const m of (text ?? '').matchAll(HASHTAG)) {
    const tag = normaliseTag(m[2]);
    if (tag && !tags.includes(tag) && tags.length < MAX_TAGS) tags.push(tag);
  }
  return tags;
}
