/**
 * Connect codes: 8 characters from an alphabet without 0/O and 1/I (easy to read aloud and to
 * type from a badge), drawn from the system's secure random source. A typed code is forgiving:
 * case, spaces and dashes do not matter.
 */
import { randomInt } from 'node:crypto';

/** 32 characters: digits 2-9 and letters without I and O. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** A new random code. */
export function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** A typed code in its stored form (`abcd-efgh ` → `ABCDEFGH`), or `''` when it cannot be a code. */
export function normaliseCode(typed: string): string {
  const code = String(typed)
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  if (code.length !== CODE_LENGTH) return '';
  return [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : '';
}

/** How a code is shown and read aloud: two groups of four (`ABCD-EFGH`). */
export const shownCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;
