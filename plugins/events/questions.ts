/**
 * Questions to attendees: an organiser may ask up to five (one a line on the form: "Dietary
 * needs?", "Which workshop?"); whoever answers going, maybe or the waiting list may reply to
 * each with a line of text, on the same form as their answer. The replies are seen by those
 * who may change the event (its organisers, and the moderators the core lets edit it), on the
 * event's page and as CSV; never by other members, in a list, a feed or a calendar. A question
 * whose words change loses the replies given to its old words; "not going" drops the member's.
 */
import type { Knex } from 'knex';
import type { FieldProblems, Runtime } from '../../core';
import { onTheList } from './rsvp';

export const MAX_QUESTIONS = 5;
export const MAX_QUESTION = 200;
export const MAX_REPLY = 500;

/** The form field of the reply to question `i` (0-based). */
export const replyField = (i: number): string => `reply_${i}`;

/** The questions typed one a line: trimmed, blank lines left out; a problem when too many or too long. */
export function readQuestions(raw: string, problems: FieldProblems): string[] {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > MAX_QUESTIONS) problems.questions = { key: 'events.errors.questionsTooMany', params: { max: MAX_QUESTIONS } };
  else if (lines.some((l) => l.length > MAX_QUESTION)) problems.questions = { key: 'events.errors.questionTooLong', params: { max: MAX_QUESTION } };
  return lines;
}

/** The replies as typed (one per question, trimmed), or the i18n key of what is wrong with them. */
export function checkReplies(typed: string[]): { replies: string[]; problem: string | null } {
  const replies = typed.map((r) => r.trim());
  return { replies, problem: replies.some((r) => r.length > MAX_REPLY) ? 'events.errors.replyTooLong' : null };
}

/** A member's replies, for the organisers' table and CSV. */
export interface ReplyRow {
  userId: number;
  username: string;
  name: string;
  answer: string;
  replies: string[];
}

export async function questionsOf(db: Knex, eventId: number): Promise<string[]> {
  const rows = (await db('event_questions').where({ event_id: eventId }).orderBy('position').select('question')) as { question: string }[];
  return rows.map((r) => r.question);
}

/** Replaces an event's questions (in the event's transaction); the replies to a question removed or reworded go with it. */
export async function saveQuestions(trx: Knex, eventId: number, questions: string[]): Promise<void> {
  const old = await questionsOf(trx, eventId);
  const gone = old.flatMap((q, i) => (questions[i] === q ? [] : [i]));
  if (gone.length) await trx('event_question_replies').where({ event_id: eventId }).whereIn('position', gone).del();
  await trx('event_questions').where({ event_id: eventId }).del();
  if (questions.length) await trx('event_questions').insert(questions.map((question, position) => ({ event_id: eventId, position, question })));
}

export class QuestionsService {
  static readonly uses = ['db'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof QuestionsService.uses)[number]>) {}

  of(eventId: number): Promise<string[]> {
    return questionsOf(this.rt.db, eventId);
  }

  /** The member's replies, one per question ('' where none). */
  async repliesOf(eventId: number, userId: number, count: number): Promise<string[]> {
    const rows = (await this.rt.db('event_question_replies').where({ event_id: eventId, user_id: userId }).select('position', 'reply')) as {
      position: number;
      reply: string;
    }[];
    const out = Array.from({ length: count }, () => '');
    for (const r of rows) if (Number(r.position) < count) out[Number(r.position)] = r.reply;
    return out;
  }

  /** Stores the member's replies (a blank one removes theirs); the same twice changes nothing. */
  async saveReplies(eventId: number, userId: number, replies: string[]): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      await trx('event_question_replies').where({ event_id: eventId, user_id: userId }).del();
      const rows = replies.flatMap((reply, position) => (reply ? [{ event_id: eventId, user_id: userId, position, reply }] : []));
      if (rows.length) await trx('event_question_replies').insert(rows);
    });
  }

  async clearReplies(eventId: number, userId: number): Promise<void> {
    await this.rt.db('event_question_replies').where({ event_id: eventId, user_id: userId }).del();
  }

  /** Everyone on the event's list (going, maybe, waiting; active members) with their replies, by name. */
  async table(eventId: number, count: number): Promise<ReplyRow[]> {
    const people = (await onTheList(this.rt.db, eventId)
      .orderBy('u.display_name')
      .orderBy('u.id')
      .limit(5000)
      .select('u.id', 'u.username', 'u.display_name', 'r.answer')) as { id: number; username: string; display_name: string; answer: string }[];
    const replies = (await this.rt.db('event_question_replies').where({ event_id: eventId }).select('user_id', 'position', 'reply')) as {
      user_id: number;
      position: number;
      reply: string;
    }[];
    const byUser = new Map<number, string[]>();
    for (const r of replies) {
      const list = byUser.get(Number(r.user_id)) ?? Array.from({ length: count }, () => '');
      if (Number(r.position) < count) list[Number(r.position)] = r.reply;
      byUser.set(Number(r.user_id), list);
    }
    return people.map((p) => ({
      userId: Number(p.id),
      username: p.username,
      name: p.display_name,
      answer: p.answer,
      replies: byUser.get(Number(p.id)) ?? Array.from({ length: count }, () => ''),
    }));
  }
}
