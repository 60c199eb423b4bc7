/** View models: alert rows → what the banner, the alert's page and the dashboard show. */
import type { PageBanner, Runtime } from '../../core';
import { ANSWER_SETS } from './constants';
import type { PendingAlert } from './service';
import type { AlertCounts, AlertRow, RecipientLine } from './types';

type Tr = (key: string, params?: Record<string, unknown>) => string;

/** The buttons an alert offers its recipients: its answers, or "Acknowledge". */
export function answerButtons(
  alert: Pick<AlertRow, 'answers'>,
  tr: Tr,
  current: string | null = null,
): { value: string; label: string; chosen: boolean; tone: string }[] {
  const offered: readonly string[] = ANSWER_SETS[alert.answers];
  if (!offered.length) return [{ value: 'ack', label: tr('alerts.answer.ack'), chosen: false, tone: 'primary' }];
  return offered.map((a) => ({ value: a, label: tr(`alerts.answer.${a}`), chosen: a === current, tone: a === 'help' ? 'danger' : 'primary' }));
}

/** The banners of a member's pending alerts; `next` is the page they are on (the forms come back to it). */
export function banners(rt: Pick<Runtime, 'routes'>, tr: Tr, pending: PendingAlert[], basePath: string, next: string): PageBanner[] {
  return pending.map((a, i) => ({
    id: `alert-${a.id}`,
    template: 'alerts/partials/banner',
    order: i,
    data: {
      id: a.id,
      severity: a.severity,
      severityLabel: tr(`alerts.severity.${a.severity}`),
      title: a.title,
      message: a.message,
      update: a.update,
      href: rt.routes.build('alerts.view', { id: a.id }, basePath),
      action: rt.routes.build('alerts.answer', { id: a.id }, basePath),
      buttons: answerButtons(a, tr),
      next,
      first: i === 0,
    },
  }));
}

const pct = (n: number, of: number): number => (of ? Math.round((n * 100) / of) : 0);

/** The dashboard's figures with their shares, and one line per answer offered. */
export function countsView(alert: AlertRow, c: AlertCounts, tr: Tr) {
  const stat = (key: string, n: number, tone = '') => ({ label: tr(`alerts.dashboard.${key}`), n, pct: pct(n, c.recipients), tone });
  return {
    recipients: c.recipients,
    delivery: [stat('mailSent', c.mailSent), stat('mailPending', c.mailPending), stat('mailFailed', c.mailFailed, c.mailFailed ? 'bad' : '')],
    reach: [stat('seen', c.seen), stat('acknowledged', c.acknowledged)],
    answers: (ANSWER_SETS[alert.answers] as readonly string[]).map((a) => ({
      ...stat('answerCount', c.answers[a] ?? 0, a === 'help' && c.answers[a] ? 'bad' : a === 'safe' ? 'good' : ''),
      label: tr(`alerts.answer.${a}`),
    })),
    waiting: c.recipients - (ANSWER_SETS[alert.answers].length ? c.answered : c.acknowledged),
  };
}

/** Who has not answered yet, with what the sender may use to reach them. */
export function waitingView(lines: RecipientLine[], tr: Tr, showEmail: boolean, profileHref: (userId: number) => string | null) {
  return lines.map((l) => ({
    name: l.displayName,
    username: l.username,
    href: profileHref(l.userId),
    email: showEmail ? l.email : null,
    mail: tr(`alerts.mailState.${l.mailState}`),
    mailFailed: l.mailState === 'failed',
    seen: l.seenAt !== null,
  }));
}
