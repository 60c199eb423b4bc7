/**
 * Notification emails. Each is claimed before it is sent (`emailed_at` set only where it
 * was still null, row by row), so a retried or concurrent job never sends a notification
 * twice; a failed send gives its claims back and throws, and the job runner retries with
 * backoff. Access is re-checked with the recipient's viewer when the email is built.
 */
import crypto from 'node:crypto';
import { networkUrl, plainTextOf, type JobContext, type PluginHandle, type Runtime, type Viewer } from '../../core';
import { nextDigestAt } from './clock';
import type { Frequency } from './hooks';
import { NotificationsService, toRef, type NotificationLine, type NotificationRow } from './service';
import { ALL_KINDS, UNSUBSCRIBE_TTL, unsubscribeToken } from './unsubscribe';

export const SEND_JOB = 'notifications.send';
export const DIGEST_JOB = 'notifications.digest';

const shortKey = (s: string): string => (s.length <= 120 ? s : crypto.createHash('sha256').update(s).digest('hex'));
export const sendKey = (userId: number, groupKey: string): string => `${SEND_JOB}:${userId}:${shortKey(groupKey)}`;
export const digestKey = (userId: number, frequency: string): string => `${DIGEST_JOB}:${userId}:${frequency}`;

/** Longest excerpt of the content in an email about one thing, and per line of a digest (characters). */
const EXCERPT = 800;
const DIGEST_EXCERPT = 240;

/** Text cut at `max` characters (at a word when one ends near), blank lines squeezed. */
export function clip(text: string, max: number): string {
  const t = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

export class Mailouts {
  private readonly plugin: PluginHandle;
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['config', 'db', 'i18n', 'jobs', 'mailer', 'networks', 'routes', 'users', 'pluginHandles', 'container'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof Mailouts.uses)[number]>) {
    this.plugin = rt.pluginHandles.for('notifications');
  }

  private get notifications(): NotificationsService {
    return this.rt.container.resolve(NotificationsService);
  }

  /** Schedules the email a new notification calls for. */
  async queue(userId: number, groupKey: string, networkId: number, frequency: Frequency, now: number): Promise<void> {
    if (frequency === 'never') return;
    if (frequency === 'immediately') {
      await this.rt.jobs.schedule(SEND_JOB, { userId, groupKey }, { key: sendKey(userId, groupKey), runAt: now });
      return;
    }
    const runAt = nextDigestAt(now, await this.notifications.timezone(userId, networkId), this.digestHour(networkId), frequency);
    await this.rt.jobs.schedule(DIGEST_JOB, { userId, frequency }, { key: digestKey(userId, frequency), runAt });
  }

  digestHour(networkId: number): number {
    const h = Number(this.plugin.settings(networkId).digestHour);
    return Number.isInteger(h) && h >= 0 && h <= 23 ? h : 8;
  }

  /** Job `notifications.send`: one email for a group's notifications not emailed yet. */
  async sendGroup(payload: Record<string, unknown>, job: JobContext): Promise<void> {
    const userId = Number(payload.userId);
    const groupKey = String(payload.groupKey ?? '');
    const rows = (await this.rt
      .db('notifications')
      .where({ user_id: userId, group_key: groupKey })
      .whereNull('emailed_at')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])) as NotificationRow[];
    if (!rows.length) return;
    await this.deliver(userId, rows, 'notification', job.now);
  }

  /** Job `notifications.digest`: one email gathering the member's unread notifications of that frequency. */
  async digest(payload: Record<string, unknown>, job: JobContext): Promise<void> {
    const userId = Number(payload.userId);
    const frequency = payload.frequency === 'weekly' ? 'weekly' : 'daily';
    const rows = (await this.rt
      .db('notifications')
      .where({ user_id: userId })
      .whereNull('emailed_at')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])) as NotificationRow[];
    const due: NotificationRow[] = [];
    const settled: number[] = [];
    for (const r of rows) {
      const kind = (await this.notifications.kinds(Number(r.network_id))).get(r.kind);
      const f = kind ? await this.notifications.frequency(userId, kind, Number(r.network_id)) : 'never';
      if (r.read_at !== null || f === 'never') settled.push(Number(r.id));
      // Rows of this frequency, and late ones whose member switched to immediately meanwhile.
      else if (f === frequency || f === 'immediately') due.push(r);
    }
    if (settled.length) await this.rt.db('notifications').whereIn('id', settled).whereNull('emailed_at').update({ emailed_at: job.now });
    if (due.length) await this.deliver(userId, due, 'digest', job.now, frequency);
  }

  /** Claims the rows, re-checks access, sends one email; gives the claims back if sending fails. */
  private async deliver(userId: number, rows: NotificationRow[], template: 'notification' | 'digest', now: number, period?: string): Promise<void> {
    const claimed: NotificationRow[] = [];
    for (const r of rows) {
      const n = await this.rt.db('notifications').where({ id: r.id }).whereNull('emailed_at').update({ emailed_at: now });
      if (Number(n) === 1) claimed.push(r);
    }
    if (!claimed.length) return;
    const recipient = await this.rt.users.viewer(userId);
    if (!recipient || recipient.status !== 'active') return; // settled: suspended members get nothing
    try {
      await this.compose(recipient, claimed, template, period);
    } catch (err) {
      await this.rt
        .db('notifications')
        .whereIn(
          'id',
          claimed.map((r) => r.id),
        )
        .where({ emailed_at: now })
        .update({ emailed_at: null });
      throw err;
    }
  }

  private async compose(recipient: Viewer, rows: NotificationRow[], template: 'notification' | 'digest', period?: string): Promise<void> {
    const networkId = Number(rows[0].network_id);
    const network = this.rt.networks.get(networkId) ?? this.rt.networks.root();
    const locale = recipient.locale ?? network.locale;
    const byNetwork = new Map<number, NotificationRow[]>();
    for (const r of rows) byNetwork.set(Number(r.network_id), [...(byNetwork.get(Number(r.network_id)) ?? []), r]);
    const lines: (NotificationLine & { address: string; when: string; excerpt: string })[] = [];
    const home = (id: number): string => networkUrl(this.rt.config.siteUrl, this.rt.networks.get(id) ?? this.rt.networks.root());
    const fmt = new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: await this.notifications.timezone(recipient.id, networkId),
    });
    for (const [nid, list] of byNetwork) {
      const kinds = await this.notifications.kinds(nid);
      for (const line of await this.notifications.group(list, recipient, nid, locale, 1000, '')) {
        // The text itself, for a line the recipient may see now (group() re-checked it).
        const row = list.find((r) => Number(r.id) === line.id);
        const text = row ? await kinds.get(line.kind)?.excerpt?.(this.rt, toRef(row)) : null;
        // Members write Markdown: the mail quotes its words, sanitised, without the markup.
        const excerpt = clip(plainTextOf(text ?? ''), template === 'digest' ? DIGEST_EXCERPT : EXCERPT);
        lines.push({ ...line, excerpt, address: home(nid) + line.href, when: fmt.format(new Date(line.at)) });
      }
    }
    if (!lines.length) return; // nothing the recipient may still see
    const site = home(networkId);
    const kind = template === 'digest' ? ALL_KINDS : lines[0].kind;
    const token = unsubscribeToken(this.rt.config.secret, recipient.id, kind, Date.now() + UNSUBSCRIBE_TTL);
    const unsubscribeUrl = `${site}${this.rt.routes.build('notifications.unsubscribe', {}, '')}?token=${encodeURIComponent(token)}`;
    const settingsUrl = site + this.rt.routes.build('notifications.settings', {}, '');
    const kindLabel =
      template === 'digest' ? '' : this.rt.i18n.t(locale, (await this.notifications.kinds(networkId)).get(lines[0].kind)?.label ?? '');
    await this.rt.mailer.send({
      to: recipient.email,
      locale,
      template: `notifications/${template}`,
      siteName: network.name,
      siteUrl: site,
      theme: network.theme,
      data: {
        name: recipient.displayName,
        sentence: lines[0].sentence,
        excerpt: lines[0].excerpt,
        link: lines[0].address,
        lines,
        count: lines.length,
        period: period === 'weekly' ? 'weekly' : 'daily',
        unsubscribeUrl,
        settingsUrl,
        kindLabel,
      },
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
  }
}
