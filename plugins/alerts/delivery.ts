/**
 * Delivery jobs. `alerts.mail` mails a batch of recipients at once (whatever their digest
 * choices: an alert is urgent by nature) and records each one's state — sent, or failed with
 * the SMTP error — then throws when any failed, so the runner retries the batch with backoff
 * and only the failed ones are mailed again. A reminder (`reminder` in the payload, its time)
 * mails those still waiting who were not reminded at that time yet. `alerts.bell` puts the
 * alert in the notification bell (the notifications plugin's, where enabled) through its
 * `notifications:notify` event: the kind sends no email of its own (`emails: false`).
 */
import { networkUrl, onFilter, plainTextOf, type HookRegistration, type JobContext, type Runtime } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import { ANSWER_SETS } from './constants';
import { toAlert } from './service';
import type { AlertRow } from './types';

const ids = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0) : []);

async function alertOf(rt: Runtime, id: unknown): Promise<AlertRow | undefined> {
  const row = (await rt.db('alerts_alerts as a').where('a.id', Number(id)).first()) as Record<string, unknown> | undefined;
  return row ? toAlert(row) : undefined;
}

export async function mailJob(payload: Record<string, unknown>, rt: Runtime, job: JobContext): Promise<void> {
  const alert = await alertOf(rt, payload.alertId);
  if (!alert || alert.closed_at !== null) return;
  const reminder = typeof payload.reminder === 'number' ? payload.reminder : null;
  const q = rt
    .db('alerts_recipients as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('r.alert_id', alert.id)
    .whereIn('r.user_id', ids(payload.userIds))
    .where('u.status', 'active')
    .select('r.user_id', 'u.email', 'u.locale', 'u.display_name');
  if (reminder === null) q.whereNot('r.mail_state', 'sent');
  else
    q.whereNull(ANSWER_SETS[alert.answers].length ? 'r.answer' : 'r.acked_at').where((w) =>
      w.whereNull('r.reminded_at').orWhere('r.reminded_at', '<', reminder),
    );
  const rows = (await q) as { user_id: number; email: string; locale: string | null; display_name: string }[];
  const network = rt.networks.get(alert.network_id) ?? rt.networks.root();
  const site = networkUrl(rt.config.siteUrl, network);
  const href = site + rt.routes.build('alerts.view', { id: alert.id }, '');
  const updates = (await rt.db('alerts_updates').where({ alert_id: alert.id }).orderBy('id').pluck('message')) as string[];
  let failed = 0;
  for (const r of rows) {
    const locale = r.locale ?? network.locale;
    const at = Date.now();
    const mine = rt.db('alerts_recipients').where({ alert_id: alert.id, user_id: r.user_id });
    try {
      await rt.mailer.send({
        to: r.email,
        locale,
        template: 'alerts/alert',
        siteName: network.name,
        siteUrl: site,
        theme: network.theme,
        data: {
          title: alert.title,
          message: plainTextOf(alert.message),
          updates: updates.map((u) => plainTextOf(u)),
          severity: rt.i18n.t(locale, `alerts.severity.${alert.severity}`),
          reminder: reminder !== null,
          asks: ANSWER_SETS[alert.answers].length > 0,
          href,
          name: r.display_name,
        },
      });
      await mine.update(
        reminder === null ? { mail_state: 'sent', mailed_at: at, mail_error: null, mail_attempts: job.attempt } : { reminded_at: reminder },
      );
    } catch (e) {
      failed++;
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 300);
      if (reminder === null) await mine.update({ mail_state: 'failed', mail_error: error, mail_attempts: job.attempt });
      rt.logger.warn({ err: e, alertId: alert.id, userId: r.user_id }, 'alerts: mail failed');
    }
  }
  if (failed) throw new Error(`alerts: ${failed} of ${rows.length} mails failed`);
}

export async function bellJob(payload: Record<string, unknown>, rt: Runtime): Promise<void> {
  const alert = await alertOf(rt, payload.alertId);
  if (!alert || alert.closed_at !== null) return;
  // No actor: a safety alert reaches even a member who blocked its sender.
  await rt.hooks.emit('notifications:notify', {
    networkId: alert.network_id,
    kind: 'alerts.alert',
    userIds: ids(payload.userIds),
    actorId: null,
    objectId: alert.id,
    groupKey: `alerts.alert:${alert.id}`,
  });
}

/** The bell's line: the alert's title, linking to it while the member is one of its recipients. */
const resolve: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  const row = (await rt
    .db('alerts_alerts as a')
    .join('alerts_recipients as r', 'r.alert_id', 'a.id')
    .where({ 'a.id': n.objectId ?? 0, 'r.user_id': recipient.id, 'a.network_id': n.networkId })
    .first('a.id', 'a.title', 'a.severity')) as { id: number; title: string; severity: string } | undefined;
  if (!row) return null;
  return {
    href: rt.routes.build('alerts.view', { id: Number(row.id) }, basePath),
    values: { title: row.title },
    terms: { severity: `alerts.severity.${row.severity}` },
  };
};

const excerpt: NotificationKind['excerpt'] = async (rt, n) =>
  (
    (await rt
      .db('alerts_alerts')
      .where({ id: n.objectId ?? 0 })
      .first('message')) as { message: string } | undefined
  )?.message ?? null;

const kinds: NotificationKind[] = [{ id: 'alerts.alert', defaultFrequency: 'never', emails: false, resolve, excerpt }];

export const alertsNotifications: HookRegistration[] = [onFilter('notifications:kinds', (list) => [...list, ...kinds])];
