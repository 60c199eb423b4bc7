/**
 * The catalogue of reactions. Admins choose the enabled subset in the plugin's settings
 * (one checkbox per reaction); members may only use an enabled one.
 */
import type { SettingsSchema, SettingsValues } from '../../core';

export interface Reaction {
  id: string;
  emoji: string;
}

export const CATALOGUE: readonly Reaction[] = [
  { id: 'like', emoji: '👍' },
  { id: 'love', emoji: '❤️' },
  { id: 'celebrate', emoji: '🎉' },
  { id: 'insightful', emoji: '💡' },
  { id: 'laugh', emoji: '😄' },
  { id: 'support', emoji: '🙌' },
  { id: 'curious', emoji: '🤔' },
  { id: 'sad', emoji: '😢' },
];

const ON_BY_DEFAULT = new Set(['like', 'love', 'celebrate', 'insightful', 'laugh', 'support']);

export const isKnownReaction = (v: unknown): v is string => typeof v === 'string' && CATALOGUE.some((r) => r.id === v);

export const emojiOf = (id: string): string => CATALOGUE.find((r) => r.id === id)?.emoji ?? '';

/** One boolean setting per reaction of the catalogue. */
export const reactionSettings: SettingsSchema = Object.fromEntries(
  CATALOGUE.map((r) => [r.id, { type: 'boolean' as const, default: ON_BY_DEFAULT.has(r.id), label: `likes.settings.${r.id}` }]),
);

/** The enabled reactions, in catalogue order. */
export function enabledReactions(settings: SettingsValues): string[] {
  return CATALOGUE.filter((r) => settings[r.id] === true).map((r) => r.id);
}
