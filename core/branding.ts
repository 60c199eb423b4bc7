/**
 * Per-network branding: a primary and an accent colour and a logo, applied to the layout.
 *
 * The CSP forbids inline styles (`style-src 'self'`), so the colours are served as a small
 * stylesheet per network, `/branding.css?v=<hash>` (`/n/<slug>/branding.css` or on the
 * network's host), linked from the layout after the theme's own styles; the hash changes
 * with the colours, so it is cached for a year. The colours become the theme's custom
 * properties (`--color-primary`, its strong and soft shades, `--color-on-primary`,
 * `--color-brand`). Text on the primary colour is white or near-black, whichever contrasts
 * more (WCAG relative luminance, so buttons stay readable); links and focus rings keep the
 * theme's colours, readable on its background in light and dark themes. The logo is any JPEG/PNG/GIF/WebP image,
 * re-encoded as a PNG at most 96 px high and 384 px wide, stored under
 * `branding/<network id>/<hash>.png` and shown in the header beside the network's name.
 */
import { createHash } from 'node:crypto';
import { loadSharp } from './images';
import { sniffImage } from './http/multipart';
import type { Storage } from './storage';

export interface Branding {
  /** `#rrggbb` or null (the theme's colour). */
  primary: string | null;
  accent: string | null;
  /** Hash naming the stored logo, or null. */
  logo: string | null;
}

export const NO_BRANDING: Branding = { primary: null, accent: null, logo: null };

const COLOUR = /^#[0-9a-f]{6}$/;

/** A colour as typed (`#ABCDEF`, `abcdef`, spaces) made canonical, or undefined when it is not `#rrggbb`. Empty → null. */
export function parseColour(raw: string): string | null | undefined {
  const v = raw.trim().toLowerCase();
  if (!v) return null;
  const c = v.startsWith('#') ? v : `#${v}`;
  return COLOUR.test(c) ? c : undefined;
}

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const toHex = (c: number[]): string =>
  `#${c
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio between two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** `hex` mixed with `other` (0 = hex, 1 = other). */
function mix(hex: string, other: string, amount: number): string {
  const a = rgb(hex);
  const b = rgb(other);
  return toHex(a.map((v, i) => v + (b[i] - v) * amount));
}

/** The text colour for the primary colour: white, or near-black when white reads worse. */
export function onColour(hex: string): string {
  return contrast(hex, '#ffffff') >= contrast(hex, '#111111') ? '#ffffff' : '#111111';
}

/**
 * The stylesheet of a network's colours (empty when it has none). It works over light and
 * dark themes alike: the soft shade is mixed with the theme's own surface colour, the hover
 * shade moves away from the text colour, and links and focus rings keep the theme's colours
 * (readable on its background whatever the primary colour).
 */
export function brandingCss(b: Branding): string {
  const lines: string[] = [];
  if (b.primary) {
    const on = onColour(b.primary);
    lines.push(
      `--color-primary: ${b.primary};`,
      `--color-primary-strong: ${mix(b.primary, on === '#ffffff' ? '#000000' : '#ffffff', 0.18)};`,
      `--color-primary-soft: color-mix(in srgb, ${b.primary} 14%, var(--color-surface, #ffffff));`,
      `--color-on-primary: ${on};`,
    );
  }
  if (b.accent) lines.push(`--color-brand: ${b.accent};`);
  return lines.length ? `/* Network branding (core/branding.ts) */\n:root {\n  ${lines.join('\n  ')}\n}\n` : '';
}

/** A short hash of the stylesheet, for `?v=` (changes whenever the colours do). */
export const brandingVersion = (b: Branding): string => createHash('sha256').update(brandingCss(b)).digest('hex').slice(0, 12);

export const logoKey = (networkId: number, hash: string): string => `branding/${networkId}/${hash}.png`;

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

export type LogoProblem = 'type' | 'tooLarge' | 'unreadable';

/**
 * Checks and stores an uploaded logo: an image (by its bytes) of at most 2 MB, re-encoded
 * as a PNG at most 96×384 px. Returns its hash, or what is wrong with it.
 */
export async function storeLogo(storage: Storage, networkId: number, data: Buffer): Promise<{ hash: string } | { problem: LogoProblem }> {
  if (data.length > MAX_LOGO_BYTES) return { problem: 'tooLarge' };
  if (!sniffImage(data)) return { problem: 'type' };
  let png: Buffer;
  const sharp = await loadSharp();
  try {
    png = await sharp(data, { limitInputPixels: 40_000_000 })
      .rotate()
      .resize({ height: 96, width: 384, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
  } catch {
    return { problem: 'unreadable' };
  }
  const hash = createHash('sha256').update(png).digest('hex').slice(0, 20);
  await storage.put(logoKey(networkId, hash), png, 'image/png');
  return { hash };
}
