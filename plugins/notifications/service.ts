/**
 * Notifications: recording (with every refusal rule: own acts, inactive or blocking
 * recipients, items they cannot see), the grouped list, unread counts, read marks and
 * members' email choices. Emails are queued through `Mailouts` (mail.ts).
 */
import { preparedRead, visibleEntityHref, zoneOr, type Runtime, type Viewer } from '../../core';
import { isFrequency, type Frequency, type NotificationKind, type NotificationRef, type NotifyInput, type RegisteredKind } from './hooks';
import { Mailouts } from './mail';

/** The header's badge, on every page a member sees: kept prepared (core/db/statements.ts). */
const UNREAD = preparedRead<{ n: number | string }>(
  'select count(distinct group_key) as n from notifications where user_id = ? and network_id = ? and read_at is null',
);

export interface NotificationRow {
  id: number;
  user_id: number;
  kind: string;
  actor_id: number | null;
  entity_id: number | null;
  object_id: number | null;
  group_key: string;
  network_id: number;
  created_at: number;
  read_at: number | null;
  emailed_at: number | null;
}

/** One line of the list: a group of notifications with the same key. */
export interface NotificationLine {
  id: number;
  kind: string;
  sentence: string;
  href: string;
  unread: boolean;
  at: number;
  /** The people who acted, latest first, with their photo key (core avatars, `avatarUrl`). */
  actors: { id: number; name: string; photoKey: string | null }[];
  groupKey: string;
}

export const toRef = (r: NotificationRow): NotificationRef => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  kind: r.kind,
  actorId: r.actor_id === null ? null : Number(r.actor_id),
  entityId: r.entity_id === null ? null : Number(r.entity_id),
  objectId: r.object_id === null ? null : Number(r.object_id),
  networkId: Number(r.network_id),
  groupKey: r.group_key,
});

/** The default link of a kind: the notification's entity, when the recipient may see it now. */
const entityLink: RegisteredKind['resolve'] = async (rt, n, recipient, basePath) => {
  const href = await visibleEntityHref(rt, n.entityId, recipient, basePath);
  return href ? { href } : null;
};

/** The members who acted in these notifications, once each, in order. */
const actorsOf = (rows: NotificationRow[]): number[] => [...new Set(rows.flatMap((r) => (r.actor_id === null ? [] : [Number(r.actor_id)])))];

export class NotificationsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts); kinds' `resolve` get them too. */
  static readonly uses = ['access', 'container', 'db', 'entities', 'hooks', 'i18n', 'networks', 'plugins', 'pluginState', 'routes', 'users'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof NotificationsService.uses)[number]>) {}

  /** The kinds registered in a network (plugins disabled there are left out). */
  /** The kinds whose emails members choose (those a plugin emails itself are left out). */
  async choosableKinds(networkId: number): Promise<RegisteredKind[]> {
    return [...(await this.kinds(networkId)).values()].filter((k) => k.emails !== false);
  }

  async kinds(networkId: number): Promise<Map<string, RegisteredKind>> {
    const list = await this.rt.hooks.filter('notifications:kinds', [], { networkId });
    return new Map(
      list
        .map((k) => this.registered(k))
        .filter((k) => !k.plugin || this.rt.pluginState.isEnabled(k.plugin, networkId))
        .map((k) => [k.id, k]),
    );
  }

  /** The kind with its defaults: owner plugin and i18n keys from its id `<plugin>.<what>`, a link to its entity. */
  private registered(k: NotificationKind): RegisteredKind {
    const dot = k.id.indexOf('.');
    const prefix = dot > 0 ? k.id.slice(0, dot) : k.id;
    const keys = `${prefix}.notifications.${k.id.slice(dot + 1)}`;
    const plugin = k.plugin ?? (this.rt.plugins.has(prefix) ? prefix : undefined);
    return { ...k, plugin, label: k.label ?? `${keys}.label`, sentence: k.sentence ?? `${keys}.sentence`, resolve: k.resolve ?? entityLink };
  }

  basePath(networkId: number): string {
    const n = this.rt.networks.get(networkId);
    return !n || n.id === this.rt.networks.root().id ? '' : `/n/${n.slug}`;
  }

  /** Records a notification unless a rule forbids it; returns its id or null. */
  async notify(input: NotifyInput, now = Date.now()): Promise<number | null> {
    const { networkId, userId } = input;
    const actorId = input.actorId ?? null;
    if (!userId || actorId === userId) return null;
    const kind = (await this.kinds(networkId)).get(input.kind);
    if (!kind) return null;
    const recipient = await this.rt.users.viewer(userId);
    if (!recipient || recipient.status !== 'active' || recipient.roles[networkId] === undefined) return null;
    if (actorId !== null && (await this.rt.hooks.filter('notifications:blocked', false, { networkId, recipientId: userId, actorId }))) return null;
    const row = {
      user_id: userId,
      kind: kind.id,
      actor_id: actorId,
      entity_id: input.entityId ?? null,
      object_id: input.objectId ?? null,
      group_key: (input.groupKey ?? `${kind.id}:${input.entityId ?? ''}`).slice(0, 200),
      network_id: networkId,
    };
    if (
      !(await kind.resolve(this.rt, toRef({ ...row, id: 0, created_at: now, read_at: null, emailed_at: null }), recipient, this.basePath(networkId)))
    )
      return null;
    const frequency = kind.emails === false ? 'never' : await this.frequency(userId, kind, networkId);
    const [inserted] = await this.rt
      .db('notifications')
      .insert({ ...row, created_at: now, read_at: null, emailed_at: frequency === 'never' ? now : null })
      .returning('id');
    const id = Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
    await this.rt.container.resolve(Mailouts).queue(userId, row.group_key, networkId, frequency, now);
    return id;
  }

  /** The member's choice for a kind, else the network admins' default, else the kind's. */
  async frequency(userId: number, kind: NotificationKind, networkId: number): Promise<Frequency> {
    const own = (await this.rt.db('notification_prefs').where({ user_id: userId, kind: kind.id }).first('frequency')) as
      { frequency: string } | undefined;
    if (own && isFrequency(own.frequency)) return own.frequency;
    return (await this.defaults(networkId)).get(kind.id) ?? kind.defaultFrequency;
  }

  async defaults(networkId: number): Promise<Map<string, Frequency>> {
    const rows = (await this.rt.db('notification_defaults').where({ network_id: networkId }).select('kind', 'frequency')) as {
      kind: string;
      frequency: string;
    }[];
    return new Map(rows.filter((r) => isFrequency(r.frequency)).map((r) => [r.kind, r.frequency as Frequency]));
  }

  async setDefaults(networkId: number, choices: Record<string, Frequency>): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      await trx('notification_defaults').where({ network_id: networkId }).delete();
      const rows = Object.entries(choices).map(([kind, frequency]) => ({ network_id: networkId, kind, frequency }));
      if (rows.length) await trx('notification_defaults').insert(rows);
    });
  }

  /** The member's own choices (kinds without a row follow the defaults). */
  async prefs(userId: number): Promise<Map<string, Frequency>> {
    const rows = (await this.rt.db('notification_prefs').where({ user_id: userId }).select('kind', 'frequency')) as {
      kind: string;
      frequency: string;
    }[];
    return new Map(rows.filter((r) => isFrequency(r.frequency)).map((r) => [r.kind, r.frequency as Frequency]));
  }

  async setPref(userId: number, kind: string, frequency: Frequency, trx = this.rt.db): Promise<void> {
    await trx('notification_prefs')
      .insert({ user_id: userId, kind, frequency, updated_at: Date.now() })
      .onConflict(['user_id', 'kind'])
      .merge({ frequency, updated_at: Date.now() });
  }

  async setPrefs(userId: number, choices: Record<string, Frequency>): Promise<void> {
    await this.rt.db.transaction(async (trx) => {
      for (const [kind, frequency] of Object.entries(choices)) await this.setPref(userId, kind, frequency, trx);
    });
  }

  /** The member's time zone for digests and email times (their account's), else the network's setting, else UTC. */
  async timezone(userId: number, networkId: number): Promise<string> {
    return zoneOr(await this.rt.users.timeZone(userId), this.rt.pluginState.settings('notifications', networkId).timezone);
  }

  /** Unread lines (groups) for the bell: one query. */
  async unreadCount(userId: number, networkId: number): Promise<number> {
    const row = await UNREAD.first(this.rt.db, [userId, networkId]);
    return Number(row?.n ?? 0);
  }

  /**
   * The member's notifications in a network, grouped by key (latest first), each line
   * re-checked for access; lines the member may no longer see are left out and marked read.
   */
  async lines(viewer: Viewer, networkId: number, locale: string, limit = 40): Promise<NotificationLine[]> {
    const rows = (await this.rt
      .db('notifications')
      .where({ user_id: viewer.id, network_id: networkId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(500)) as NotificationRow[];
    return this.group(rows, viewer, networkId, locale, limit);
  }

  /** Groups rows (newest first) into lines for `viewer`, dropping what they may not see. */
  /** `basePath`: where the links start (default: the network's path on the site's host; '' on its own host). */
  async group(
    rows: NotificationRow[],
    viewer: Viewer,
    networkId: number,
    locale: string,
    limit = 1000,
    basePath = this.basePath(networkId),
  ): Promise<NotificationLine[]> {
    const kinds = await this.kinds(networkId);
    const groups = new Map<string, NotificationRow[]>();
    for (const r of rows) {
      const list = groups.get(r.group_key);
      if (list) list.push(r);
      else if (groups.size < limit) groups.set(r.group_key, [r]);
    }
    const actorIds = actorsOf(rows);
    const people = new Map<number, { name: string; photoKey: string | null }>();
    if (actorIds.length) {
      for (const u of (await this.rt.db('users').whereIn('id', actorIds).select('id', 'display_name', 'photo_key')) as {
        id: number;
        display_name: string;
        photo_key: string | null;
      }[])
        people.set(Number(u.id), { name: u.display_name, photoKey: u.photo_key ?? null });
    }
    const lines: NotificationLine[] = [];
    const hidden: string[] = [];
    for (const [groupKey, list] of groups) {
      const latest = list[0];
      const kind = kinds.get(latest.kind);
      const resolved = kind ? await kind.resolve(this.rt, toRef(latest), viewer, basePath) : null;
      if (!kind || !resolved) {
        if (list.some((r) => r.read_at === null)) hidden.push(groupKey);
        continue;
      }
      const actors = actorsOf(list).map((id) => ({ id, name: people.get(id)?.name ?? '?', photoKey: people.get(id)?.photoKey ?? null }));
      lines.push({
        id: Number(latest.id),
        kind: kind.id,
        sentence: this.rt.i18n.t(locale, resolved.sentence ?? kind.sentence, {
          ...Object.fromEntries(Object.entries(resolved.terms ?? {}).map(([name, key]) => [name, this.rt.i18n.t(locale, key)])),
          ...resolved.values,
          actor: actors[0]?.name ?? '',
          count: Math.max(actors.length - 1, 0),
        }),
        href: resolved.href,
        unread: list.some((r) => r.read_at === null),
        at: Number(latest.created_at),
        actors,
        groupKey,
      });
    }
    if (hidden.length)
      await this.rt
        .db('notifications')
        .where({ user_id: viewer.id, network_id: networkId })
        .whereIn('group_key', hidden)
        .whereNull('read_at')
        .update({ read_at: Date.now() });
    return lines;
  }

  async find(userId: number, id: number): Promise<NotificationRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    return (await this.rt.db('notifications').where({ id, user_id: userId }).first()) as NotificationRow | undefined;
  }

  async markGroupRead(row: NotificationRow): Promise<void> {
    await this.markKeyRead(row.user_id, row.network_id, row.group_key);
  }

  /** Marks a member's unread lines of one group read (`notifications:seen`). */
  async markKeyRead(userId: number, networkId: number, groupKey: string): Promise<void> {
    await this.rt
      .db('notifications')
      .where({ user_id: userId, network_id: networkId, group_key: groupKey })
      .whereNull('read_at')
      .update({ read_at: Date.now() });
  }

  async markAllRead(userId: number, networkId: number): Promise<number> {
    return Number(
      await this.rt.db('notifications').where({ user_id: userId, network_id: networkId }).whereNull('read_at').update({ read_at: Date.now() }),
    );
  }
}
