/**
 * French elision: "de", "que" (and "jusque", "lorsque", "puisque") lose their "e" before a word
 * that starts with a vowel or a mute h — "Billets d’Alice", "d’Hélène", "qu’Yves" — but not
 * before an aspirated h ("de Hollande", "de Hauteville"). The aspirated-h words are the few a network's names are made of (places, things, numbers);
 * anything else starting with h is taken as mute, as people's first names are.
 */

const VOWEL = /^[aeiouyàâäæéèêëîïôöœùûüÿ]/iu;
/** Words (and the start of their family: "haut" for "Haute-Savoie") that begin with an aspirated h. */
const ASPIRATED_H = [
  'hache',
  'haie',
  'haine',
  'hall',
  'halte',
  'hamac',
  'hameau',
  'hamster',
  'hanche',
  'handball',
  'handicap',
  'hangar',
  'hareng',
  'haricot',
  'harpe',
  'hasard',
  'hâte',
  'hausse',
  'haut',
  'havre',
  'hérisson',
  'héros',
  'hêtre',
  'hibou',
  'hiérarchie',
  'hockey',
  'hollande',
  'homard',
  'hongrie',
  'honte',
  'hoquet',
  'hors',
  'hotte',
  'houx',
  'hublot',
  'huit',
  'hurl',
  'hutte',
];

/** Whether a French "de"/"que" before `word` elides: a vowel, or an h that is not aspirated. */
export function frenchElidesBefore(word: string): boolean {
  if (VOWEL.test(word)) return true;
  if (!/^h/iu.test(word)) return false;
  const lower = word.toLocaleLowerCase('fr');
  return VOWEL.test(lower.slice(1)) && !ASPIRATED_H.some((w) => lower.startsWith(w));
}

/** `word` ("de", "que", "jusque"...) followed by `value`, elided where French elides: "d’Alice", "de Bob". */
export function frenchJoin(word: string, value: string): string {
  return frenchElidesBefore(value) ? `${word.slice(0, -1)}’${value}` : `${word} ${value}`;
}
