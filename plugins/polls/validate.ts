/**
 * What members type, checked: the new-poll form (question, options one per line, choices of
 * how it runs) and a ballot against the poll's options. Every problem is an i18n key under
 * `polls.errors.`, shown beside its field; the input is kept for the form shown again.
 */
import { fromLocalInput, valuesOf, type AccessLevel } from '../../core';
import type { Ballot, OptionRow, PollRow, ResultsWhen } from './service';

export const MAX_QUESTION = 300;
export const MAX_OPTION = 200;
export const MAX_OPTIONS = 20;
export const RESULTS: ResultsWhen[] = ['always', 'voted', 'closed'];

export interface PollInput {
  question: string;
  options: string[];
  multiple: boolean;
  other: boolean;
  anonymous: boolean;
  results: ResultsWhen;
  closesAt: number | null;
  access: AccessLevel;
}

/** The form as typed (strings and ticks), to show it again. */
export interface PollFormValues {
  question: string;
  options: string;
  multiple: boolean;
  other: boolean;
  anonymous: boolean;
  results: string;
  closes: string;
  access: string;
}

export type Problems = Partial<Record<'question' | 'options' | 'how' | 'results' | 'closes' | 'access', string>>;

const text = (body: Record<string, unknown>, name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');
const ticked = (body: Record<string, unknown>, name: string): boolean => body[name] !== undefined && body[name] !== '';

export function formValues(body: Record<string, unknown>): PollFormValues {
  return {
    question: text(body, 'question'),
    options: text(body, 'options'),
    multiple: ticked(body, 'multiple'),
    other: ticked(body, 'other'),
    anonymous: ticked(body, 'anonymous'),
    results: text(body, 'results') || 'always',
    closes: text(body, 'closes'),
    access: text(body, 'access'),
  };
}

export function checkPoll(v: PollFormValues, c: { levels: AccessLevel[]; zone: string; now: number }): { input: PollInput; problems: Problems } {
  const problems: Problems = {};
  const question = v.question.trim();
  if (!question) problems.question = 'polls.errors.questionRequired';
  else if (question.length > MAX_QUESTION) problems.question = 'polls.errors.questionTooLong';
  const options = v.options
    .split(/\r?\n/)
    .map((o) => o.trim())
    .filter(Boolean);
  const distinct = new Set(options.map((o) => o.toLowerCase()));
  const least = v.other ? 1 : 2;
  if (options.length < least) problems.options = v.other ? 'polls.errors.optionsOne' : 'polls.errors.optionsTwo';
  else if (options.length > MAX_OPTIONS) problems.options = 'polls.errors.optionsTooMany';
  else if (options.some((o) => o.length > MAX_OPTION)) problems.options = 'polls.errors.optionTooLong';
  else if (distinct.size !== options.length) problems.options = 'polls.errors.optionsTwice';
  if (v.anonymous && v.other) problems.how = 'polls.errors.anonymousOther';
  const results = RESULTS.find((r) => r === v.results);
  if (!results) problems.results = 'polls.errors.results';
  let closesAt: number | null = null;
  if (v.closes.trim()) {
    const at = fromLocalInput(v.closes.trim(), c.zone);
    if (at === null || Number.isNaN(at)) problems.closes = 'polls.errors.closesInvalid';
    else if (at <= c.now) problems.closes = 'polls.errors.closesPast';
    else closesAt = at;
  }
  if (results === 'closed' && closesAt === null && !problems.closes) problems.closes = 'polls.errors.closesNeeded';
  const access = c.levels.find((l) => l === v.access) ?? (v.access ? undefined : c.levels[0]);
  if (!access) problems.access = 'polls.errors.access';
  return {
    input: {
      question,
      options,
      multiple: v.multiple,
      other: v.other,
      anonymous: v.anonymous,
      results: results ?? 'always',
      closesAt,
      access: access ?? c.levels[0] ?? 'private',
    },
    problems,
  };
}

/** A ballot from the vote form, or the i18n key of what is wrong with it. */
export function checkBallot(body: Record<string, unknown>, poll: PollRow, options: OptionRow[]): { ballot: Ballot } | { problem: string } {
  const picked = valuesOf(body.option).map((x) => (typeof x === 'string' ? Number(x) : NaN));
  const ids = [...new Set(picked)];
  if (!ids.length) return { problem: 'polls.errors.pickOne' };
  if (!ids.every((id) => options.some((o) => o.id === id))) return { problem: 'polls.errors.unknownOption' };
  if (!poll.multiple && ids.length > 1) return { problem: 'polls.errors.onlyOne' };
  const otherOption = options.find((o) => o.is_other);
  const choseOther = !!otherOption && ids.includes(otherOption.id);
  const other = choseOther ? text(body, 'other').trim().replace(/\s+/g, ' ') : '';
  if (choseOther && !other) return { problem: 'polls.errors.otherRequired' };
  if (other.length > MAX_OPTION) return { problem: 'polls.errors.otherTooLong' };
  return { ballot: { optionIds: ids, other, otherId: otherOption?.id } };
}
