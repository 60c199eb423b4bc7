/**
 * Alerts: sending (every recipient's row and every channel's job written in one transaction,
 * in batches), what a member has to acknowledge, their answers, and the sender's figures. The
 * mail and bell jobs are delivery.ts's; the live pushes, realtime.ts's (the pub/sub channel).
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';
import { ANSWER_SETS, BELL_BATCH, BELL_JOB, CHANNEL, MAIL_BATCH, MAIL_JOB, SEVERITIES } from './constants';
import type { AlertCounts, AlertInput, AlertRow, RecipientLine, UpdateRow } from './types';

/** Rows per multi-row insert: far under both databases' limits on bound values. */
const INSERT_BATCH = 500;
/** Recipients per transaction of a send (a multiple of the mail and bell batches). */
const SEND_BATCH = 1000;

const num = (v: unknown): number => Number(v ?? 0);

export function toAlert(r: Record<string, unknown>): AlertRow {
  return {
    ...(r as unknown as AlertRow),
    id: num(r.id),
    network_id: num(r.network_id),
    sender_id: num(r.sender_id),
    recipients: num(r.recipients),
    created_at: num(r.created_at),
    closed_at: r.closed_at === null || r.closed_at === undefined ? null : num(r.closed_at),
    closed_by: r.closed_by === null || r.closed_by === undefined ? null : num(r.closed_by),
  };
}

/** An alert waiting for this member's acknowledgement, with its latest update. */
export interface PendingAlert extends AlertRow {
  seen_at: number | null;
  update: string | null;
}

const ALERT_COLUMNS = [
  'a.id',
  'a.network_id',
  'a.sender_id',
  'a.title',
  'a.message',
  'a.severity',
  'a.answers',
  'a.audience',
  'a.audience_ref',
  'a.audience_value',
  'a.recipients',
  'a.created_at',
  'a.closed_at',
  'a.closed_by',
];

export class AlertsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'jobs', 'pubsub'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof AlertsService.uses)[number]>) {}

  private get db(): Knex {
    return this.rt.db;
  }

  /**
   * Sends an alert to `userIds`: the alert first, then the recipients' rows with their mail and
   * bell jobs, a batch per transaction of multi-row inserts, so that pages keep being served
   * between batches (SQLite has one writer). A second submit of the same form (its key) finds the
   * first one's alert: `{ id, created: false }`.
   */
  async send(
    senderId: number,
    networkId: number,
    input: AlertInput,
    userIds: readonly number[],
    now = Date.now(),
  ): Promise<{ id: number; created: boolean }> {
    const inserted = (await this.db('alerts_alerts')
      .insert({
        network_id: networkId,
        sender_id: senderId,
        title: input.title,
        message: input.message,
        severity: input.severity,
        answers: input.answers,
        audience: input.audience,
        audience_ref: input.ref,
        audience_value: input.value,
        recipients: userIds.length,
        created_at: now,
        form_key: input.formKey,
      })
      .onConflict(['sender_id', 'form_key'])
      .ignore()
      .returning('id')) as ({ id: number } | number)[];
    if (!inserted.length) {
      const first = (await this.db('alerts_alerts').where({ sender_id: senderId, form_key: input.formKey }).first('id')) as { id: number };
      return { id: num(first.id), created: false };
    }
    const id = num(typeof inserted[0] === 'object' ? inserted[0].id : inserted[0]);
    for (let i = 0; i < userIds.length; i += SEND_BATCH) {
      const batch = userIds.slice(i, i + SEND_BATCH);
      await this.db.transaction(async (trx) => {
        for (let j = 0; j < batch.length; j += INSERT_BATCH)
          await trx('alerts_recipients').insert(batch.slice(j, j + INSERT_BATCH).map((user_id) => ({ alert_id: id, user_id })));
        for (let j = 0; j < batch.length; j += MAIL_BATCH)
          await this.rt.jobs.schedule(MAIL_JOB, { alertId: id, userIds: batch.slice(j, j + MAIL_BATCH) }, {}, trx);
        for (let j = 0; j < batch.length; j += BELL_BATCH)
          await this.rt.jobs.schedule(BELL_JOB, { alertId: id, userIds: batch.slice(j, j + BELL_BATCH) }, {}, trx);
      });
      // Let the requests waiting for the database in between.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.publish('sent', id);
    return { id, created: true };
  }

  /** Tells every process: `sent`, `changed` (an update, closed) or `answered` (by `userId`). */
  async publish(what: 'sent' | 'changed' | 'answered', alertId: number, userId?: number): Promise<void> {
    await this.rt.pubsub.publish(CHANNEL, [what, alertId, userId ?? ''].join(':'));
  }

  async alert(id: number, networkId: number): Promise<AlertRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = (await this.db('alerts_alerts as a').where({ 'a.id': id, 'a.network_id': networkId }).first(ALERT_COLUMNS)) as
      Record<string, unknown> | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** The network's alerts, newest first. */
  async list(networkId: number, limit = 50): Promise<AlertRow[]> {
    const rows = (await this.db('alerts_alerts as a')
      .where('a.network_id', networkId)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .select(ALERT_COLUMNS)) as Record<string, unknown>[];
    return rows.map(toAlert);
  }

  async updates(alertId: number): Promise<UpdateRow[]> {
    const rows = (await this.db('alerts_updates').where({ alert_id: alertId }).orderBy('id')) as UpdateRow[];
    return rows.map((r) => ({ ...r, id: num(r.id), alert_id: num(r.alert_id), author_id: num(r.author_id), created_at: num(r.created_at) }));
  }

  /** A member's row for an alert, or undefined when they are not one of its recipients. */
  async recipient(alertId: number, userId: number): Promise<{ acked_at: number | null; answer: string | null; seen_at: number | null } | undefined> {
    return (await this.db('alerts_recipients').where({ alert_id: alertId, user_id: userId }).first('acked_at', 'answer', 'seen_at')) as
      { acked_at: number | null; answer: string | null; seen_at: number | null } | undefined;
  }

  /**
   * The open alerts of a network this member has not acknowledged, most severe then newest
   * first, with their latest update: the banners on every page (one statement).
   */
  async pending(userId: number, networkId: number): Promise<PendingAlert[]> {
    const latest = this.db('alerts_updates as u').whereRaw('u.alert_id = a.id').orderBy('u.id', 'desc').limit(1).select('u.message');
    const rows = (await this.db('alerts_recipients as r')
      .join('alerts_alerts as a', 'a.id', 'r.alert_id')
      .where({ 'r.user_id': userId, 'a.network_id': networkId })
      .whereNull('r.acked_at')
      .whereNull('a.closed_at')
      .orderBy('a.id', 'desc')
      .limit(5)
      .select([...ALERT_COLUMNS, 'r.seen_at', latest.as('update')])) as Record<string, unknown>[];
    const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
    return rows
      .map((r) => ({ ...toAlert(r), seen_at: r.seen_at === null ? null : num(r.seen_at), update: (r.update as string | null) ?? null }))
      .sort((a, b) => rank(b.severity) - rank(a.severity) || b.id - a.id);
  }

  /** Records that the member saw these alerts on a page (the first time only). */
  async markSeen(userId: number, alertIds: number[], now = Date.now()): Promise<void> {
    if (!alertIds.length) return;
    await this.db('alerts_recipients').where('user_id', userId).whereIn('alert_id', alertIds).whereNull('seen_at').update({ seen_at: now });
  }

  /**
   * A recipient acknowledges (`ack`, for an alert asking no answer) or answers. The same
   * answer again changes nothing; another answer replaces it (someone safe after all).
   * False when the answer is not one the alert offers, or the alert is closed.
   */
  async answer(alert: AlertRow, userId: number, answer: string, now = Date.now()): Promise<boolean> {
    const offered: readonly string[] = ANSWER_SETS[alert.answers];
    const valid = offered.length ? offered.includes(answer) : answer === 'ack';
    if (!valid || alert.closed_at !== null) return false;
    const base = this.db('alerts_recipients').where({ alert_id: alert.id, user_id: userId });
    const changed = offered.length
      ? await base
          .clone()
          .where((w) => w.whereNull('answer').orWhere('answer', '<>', answer))
          .update({
            answer,
            answered_at: now,
            acked_at: this.db.raw('coalesce(acked_at, ?)', [now]),
            seen_at: this.db.raw('coalesce(seen_at, ?)', [now]),
          })
      : await base
          .clone()
          .whereNull('acked_at')
          .update({ acked_at: now, seen_at: this.db.raw('coalesce(seen_at, ?)', [now]) });
    if (changed) await this.publish('answered', alert.id, userId);
    return true;
  }

  /** The dashboard's figures, in one pass over the recipients. */
  async counts(alertId: number): Promise<AlertCounts> {
    const sum = (cond: string): Knex.Raw => this.db.raw(`sum(case when ${cond} then 1 else 0 end)`);
    const row = (await this.db('alerts_recipients')
      .where({ alert_id: alertId })
      .first({
        recipients: this.db.raw('count(*)'),
        mailSent: sum("mail_state = 'sent'"),
        mailFailed: sum("mail_state = 'failed'"),
        seen: sum('seen_at is not null'),
        acknowledged: sum('acked_at is not null'),
        answered: sum('answer is not null'),
      })) as Record<string, unknown>;
    const answers = (await this.db('alerts_recipients')
      .where({ alert_id: alertId })
      .whereNotNull('answer')
      .groupBy('answer')
      .select('answer', this.db.raw('count(*) as n'))) as { answer: string; n: unknown }[];
    const recipients = num(row.recipients);
    return {
      recipients,
      mailSent: num(row.mailSent),
      mailFailed: num(row.mailFailed),
      mailPending: recipients - num(row.mailSent) - num(row.mailFailed),
      seen: num(row.seen),
      acknowledged: num(row.acknowledged),
      answered: num(row.answered),
      answers: Object.fromEntries(answers.map((a) => [a.answer, num(a.n)])),
    };
  }

  /**
   * The recipients with every channel's state, by name: all of them (the export), or only those
   * who have not answered yet (acknowledged, for an alert asking no answer), up to `limit`.
   */
  async lines(alert: AlertRow, options: { waiting?: boolean; limit?: number } = {}): Promise<RecipientLine[]> {
    const q = this.db('alerts_recipients as r')
      .join('users as u', 'u.id', 'r.user_id')
      .where('r.alert_id', alert.id)
      .orderBy('u.display_name')
      .orderBy('u.id')
      .select('r.*', 'u.username', 'u.display_name', 'u.email');
    if (options.waiting) q.whereNull(ANSWER_SETS[alert.answers].length ? 'r.answer' : 'r.acked_at');
    if (options.limit) q.limit(options.limit);
    const rows = (await q) as Record<string, unknown>[];
    const at = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
    return rows.map((r) => ({
      userId: num(r.user_id),
      username: String(r.username),
      displayName: String(r.display_name),
      email: String(r.email),
      mailState: String(r.mail_state),
      mailError: (r.mail_error as string | null) ?? null,
      seenAt: at(r.seen_at),
      ackedAt: at(r.acked_at),
      answer: (r.answer as string | null) ?? null,
      answeredAt: at(r.answered_at),
    }));
  }

  /** How many have not answered (acknowledged) yet. */
  async waitingCount(alert: AlertRow): Promise<number> {
    const row = (await this.db('alerts_recipients')
      .where('alert_id', alert.id)
      .whereNull(ANSWER_SETS[alert.answers].length ? 'answer' : 'acked_at')
      .count({ n: '*' })
      .first()) as { n: unknown };
    return num(row.n);
  }

  /** Follows an alert with an update (the alert itself never changes). */
  async addUpdate(alert: AlertRow, authorId: number, message: string, now = Date.now()): Promise<void> {
    await this.db('alerts_updates').insert({ alert_id: alert.id, author_id: authorId, message, created_at: now });
    await this.publish('changed', alert.id);
  }

  /** Closes an alert: banners go, answers stop. False when it was already closed. */
  async close(alert: AlertRow, byId: number, now = Date.now()): Promise<boolean> {
    const n = await this.db('alerts_alerts').where({ id: alert.id }).whereNull('closed_at').update({ closed_at: now, closed_by: byId });
    if (n) await this.publish('changed', alert.id);
    return n > 0;
  }

  /**
   * Mails a reminder to those who have not answered (acknowledged) yet, in batches of jobs;
   * answers how many. One reminder per alert at a time: `at` names it, so a job run again sends
   * nobody twice.
   */
  async remind(alert: AlertRow, now = Date.now()): Promise<number> {
    const ids = (
      await this.db('alerts_recipients')
        .where('alert_id', alert.id)
        .whereNull(ANSWER_SETS[alert.answers].length ? 'answer' : 'acked_at')
        .orderBy('user_id')
        .pluck('user_id')
    ).map(Number);
    await this.db.transaction(async (trx) => {
      for (let i = 0; i < ids.length; i += MAIL_BATCH)
        await this.rt.jobs.schedule(MAIL_JOB, { alertId: alert.id, userIds: ids.slice(i, i + MAIL_BATCH), reminder: now }, {}, trx);
    });
    return ids.length;
  }
}
