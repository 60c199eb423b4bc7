/**
 * The member-data contract: how every plugin gives a member their data and takes it back.
 *
 * The core keeps no list of plugins' tables. When a member downloads their data, it asks the
 * `member:export` filter: each plugin appends the parts it keeps of that member (its own rows,
 * as JSON, and the stored files they refer to). When an account is deleted, it asks the
 * `member:erasing` filter first: each plugin removes (mode `erase`) or detaches (mode
 * `anonymise`) what it keeps of the member, then the core removes the account. Both filters
 * carry no `networkId`: every loaded plugin answers, enabled in a network or not, since data
 * outlives a plugin being switched off.
 */
import type { Runtime } from '../runtime';
import { oneOf } from '../one-of';

/** What happens to a deleted member's content. */
export type ErasureMode = 'erase' | 'anonymise';
export const ERASURE_MODES: readonly ErasureMode[] = ['erase', 'anonymise'];
export const isErasureMode = oneOf(ERASURE_MODES);

/** A file of the member's to put in their archive: a storage key and its name there. */
export interface MemberFile {
  key: string;
  /** The name under `files/<plugin>/` in the archive (made unique by the core). */
  name: string;
}

/** One part of a member's archive: `<plugin>/<name>.json` holding `rows`, plus `files`. */
export interface MemberDataPart {
  plugin: string;
  /** A word naming the rows: `posts`, `comments`, `received`... */
  name: string;
  rows: Record<string, unknown>[];
  files?: MemberFile[];
}

export interface MemberExportContext {
  rt: Runtime;
  userId: number;
}

export interface MemberErasureContext {
  rt: Runtime;
  userId: number;
  mode: ErasureMode;
  /**
   * The installation's former-member account (core/members/former-member.ts): what must stay
   * readable by others in mode `erase` (a message in a conversation) is given to it.
   */
  formerMemberId: number;
}

/**
 * What the plugins did, for the job's log and the admin's audit entry: rows removed or
 * kept anonymised per plugin, and storage keys to remove once the account is gone.
 */
export interface MemberErasure {
  removed: Record<string, number>;
  /** Stored files whose bytes go after the core's transaction (variants included). */
  storageKeys: string[];
}

/** Counts `n` rows under `plugin` in an erasure report (for a plugin's `member:erasing` handler). */
export function erased(report: MemberErasure, plugin: string, n: number): MemberErasure {
  return { ...report, removed: { ...report.removed, [plugin]: (report.removed[plugin] ?? 0) + n } };
}
