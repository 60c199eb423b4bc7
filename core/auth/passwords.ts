/**
 * Password hashing with scrypt (node:crypto). The stored string carries its parameters
 * (`scrypt$N$r$p$salt$hash`), so they can be raised later and old hashes still verify.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const rawScrypt = promisify(crypto.scrypt) as (
  pw: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;

/**
 * Each scrypt hash holds 128·N·r bytes (32 MB with today's parameters) while it runs, on
 * libuv's thread pool. A burst of sign-ins would otherwise run four at once (the pool's
 * size) and add 128 MB to the process. One at a time per process keeps a sign-in burst to
 * 32 MB above the pages' own memory (the bench's peak RSS target is 250 MB); a machine with
 * more cores runs `ruche start --workers N`, one hash at a time in each worker. A hash takes
 * about 100 ms of one core, so a process verifies about ten sign-ins a second; the pages
 * keep being served meanwhile, on the main thread.
 */
const SCRYPT_SLOTS = 1;
let scryptRunning = 0;
const scryptWaiting: (() => void)[] = [];

async function scrypt(pw: crypto.BinaryLike, salt: crypto.BinaryLike, len: number, opts: crypto.ScryptOptions): Promise<Buffer> {
  if (scryptRunning >= SCRYPT_SLOTS) await new Promise<void>((resolve) => scryptWaiting.push(resolve));
  else scryptRunning++;
  try {
    return await rawScrypt(pw, salt, len, opts);
  } finally {
    // Hand the slot straight to the next waiter, or free it.
    const next = scryptWaiting.shift();
    if (next) next();
    else scryptRunning--;
  }
}

export interface PasswordParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** The default cost (config `passwords.cost`): N = 2^15. */
export const PASSWORD_PARAMS_COST = 15;

/** The default parameters. */
export const PASSWORD_PARAMS: PasswordParams = { N: 2 ** PASSWORD_PARAMS_COST, r: 8, p: 1, keyLength: 32 };

/** The parameters for config `passwords.cost` (N = 2^cost; r, p and the key length fixed). */
export const passwordParams = (cost: number): PasswordParams => ({ ...PASSWORD_PARAMS, N: 2 ** cost });

/**
 * A stored hash of nothing with these parameters: checked against when the account named does
 * not exist, so the answer takes as long as a real check and timing does not reveal accounts.
 */
export const absentAccountHash = (params: PasswordParams): string =>
  ['scrypt', params.N, params.r, params.p, Buffer.alloc(16).toString('base64'), Buffer.alloc(params.keyLength).toString('base64')].join('$');
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export async function hashPassword(password: string, params: PasswordParams = PASSWORD_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, params.keyLength, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 128 * params.N * params.r * 2,
  });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const N = Number(n),
    R = Number(r),
    P = Number(p);
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N,
    r: R,
    p: P,
    maxmem: 128 * N * R * 2,
  });
  return crypto.timingSafeEqual(actual, expected);
}

/** Whether a stored hash uses weaker parameters than `params` (re-hash on next sign-in). */
export function needsRehash(stored: string, params: PasswordParams = PASSWORD_PARAMS): boolean {
  const [, n, r, p] = stored.split('$');
  return Number(n) < params.N || Number(r) < params.r || Number(p) < params.p;
}

/**
 * Minimum strength: long enough, not only one kind of character, not the username or email.
 * Returns an i18n key describing the problem, or undefined when the password is acceptable.
 */
export function passwordProblem(password: string, personal: string[] = []): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'core.password.tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'core.password.tooLong';
  if (/^(.)\1+$/.test(password) || /^\d+$/.test(password)) return 'core.password.tooSimple';
  const lower = password.toLowerCase();
  if (personal.some((p) => p && p.length >= 3 && lower.includes(p.toLowerCase()))) return 'core.password.personal';
  return undefined;
}
