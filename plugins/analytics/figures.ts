/**
 * What the dashboard shows: the shapes of its figures (service.ts, rankings.ts) and the
 * scope they are read for.
 */
import type { ValueHolders } from '../profiles/hooks';
export interface Scope {
  networkId: number;
  /** 0: the whole network; else the group's entity id. */
  containerId: number;
}

export interface Funnel {
  members: number;
  active: number;
  participating: number;
  contributing: number;
}

export interface MemberFacts {
  /** Active accounts among the members now. */
  members: number;
  /** Members who joined during the period. */
  registered: number;
  /** Invitations sent during the period (null for a group). */
  invited: number | null;
}

export interface DayFigures {
  day: number;
  dau: number;
  wau: number;
  mau: number;
  contributions: number;
  comments: number;
  reactions: number;
}

export interface Ranked {
  id: number;
  acts: number;
}

export interface ContentRow extends Ranked {
  type: string;
  ownerName: string;
  createdAt: number;
}

export interface ContributorRow {
  id: number;
  username: string;
  name: string;
  contributions: number;
  participations: number;
}

export interface Responses {
  topics: number;
  answered: number;
  /** Median time to the first reply of the answered ones, ms (null: none answered). */
  medianMs: number | null;
}

/** A profile field's values and who holds them (`profiles:valueHolders`; null where the profiles plugin does not answer). */
export interface ChoiceValues {
  /** The field's key (`profiles:audienceFields`). */
  key: string;
  values: readonly string[];
  holders: ValueHolders | null;
}

/** One value's row of the adoption table: its members in the scope, and how many were active, participating, contributing. */
export interface AdoptionRow extends Funnel {
  /** Null for the members who hold none of the values. */
  value: string | null;
}

export const num = (v: unknown): number => Number(v ?? 0);
