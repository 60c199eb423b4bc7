/**
 * The notifications page (grouped lines, mark read, open), the member's email choices,
 * the admins' defaults and the signed unsubscribe link (no sign-in needed). Handlers are
 * thin; refusals are localised 4xx.
 */
import { adminPage, avatarUrl, field, HttpError, idParam, link, t, type RouteDef, type RouteResult, type RucheContext, titledPage } from '../../core';
import { FREQUENCIES, isFrequency, type Frequency, type RegisteredKind } from './hooks';
import { NotificationsService } from './service';
import { ALL_KINDS, checkUnsubscribe } from './unsubscribe';
import { notificationsApiRoutes } from './api-routes';

export const USE = 'notifications.use';
export const MANAGE = 'notifications.manage';

const service = (ctx: RucheContext): NotificationsService => ctx.ruche.container.resolve(NotificationsService);
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

function notificationId(ctx: RucheContext): number {
  const id = idParam(ctx);
  if (!id) throw new HttpError(404, 'notifications.errors.notFound');
  return id;
}

async function listPage(ctx: RucheContext): Promise<RouteResult> {
  const viewer = ctx.state.viewer!;
  const lines = await service(ctx).lines(viewer, networkId(ctx), ctx.state.locale);
  return titledPage(ctx, 'notifications/list', 'notifications.page.title', {
    lines: lines.map((l) => ({
      ...l,
      openHref: link(ctx, 'notifications.open', { id: l.id }),
      readAction: link(ctx, 'notifications.read', { id: l.id }),
      // The latest actor's picture, as the header and the feed show them (core avatarUrl).
      avatar: l.actors[0] ? avatarUrl(ctx, { id: l.actors[0].id, photo_key: l.actors[0].photoKey }, 64) : null,
    })),
    anyUnread: lines.some((l) => l.unread),
    readAllAction: link(ctx, 'notifications.readAll'),
    settingsHref: link(ctx, 'notifications.settings'),
  });
}

/** Opens a line: marks its group read and goes to the item, if the member may still see it. */
async function openLine(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const row = await s.find(ctx.state.viewer!.id, notificationId(ctx));
  if (!row || Number(row.network_id) !== networkId(ctx)) throw new HttpError(404, 'notifications.errors.notFound');
  await s.markGroupRead(row);
  const [line] = await s.group([row], ctx.state.viewer!, networkId(ctx), ctx.state.locale);
  if (!line) throw new HttpError(404, 'notifications.errors.notFound');
  return { redirect: line.href };
}

async function readLine(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const row = await s.find(ctx.state.viewer!.id, notificationId(ctx));
  if (!row || Number(row.network_id) !== networkId(ctx)) throw new HttpError(404, 'notifications.errors.notFound');
  await s.markGroupRead(row);
  return { redirect: link(ctx, 'notifications.list') };
}

async function readAll(ctx: RucheContext): Promise<RouteResult> {
  await service(ctx).markAllRead(ctx.state.viewer!.id, networkId(ctx));
  return { redirect: link(ctx, 'notifications.list'), flash: 'notifications.flash.allRead' };
}

/** The kinds as form rows: label, the chosen frequency, and the options. */
/** Form field of a kind's choice (dots would be read as nested fields). */
export const freqField = (kindId: string): string => `freq_${kindId.replace(/\./g, '__')}`;

function kindRows(
  ctx: RucheContext,
  kinds: RegisteredKind[],
  chosen: (k: RegisteredKind) => Frequency,
  withDefault?: (k: RegisteredKind) => Frequency,
) {
  return kinds.map((k) => ({
    id: k.id,
    field: freqField(k.id),
    label: t(ctx, k.label),
    options: FREQUENCIES.map((f) => ({ value: f, label: t(ctx, `notifications.frequency.${f}`), selected: chosen(k) === f })),
    defaultLabel: withDefault ? t(ctx, `notifications.frequency.${withDefault(k)}`) : '',
  }));
}

/** Frequencies posted as `freq_<kind id>` fields, for known kinds only. */
function postedChoices(ctx: RucheContext, kinds: RegisteredKind[]): Record<string, Frequency> {
  const out: Record<string, Frequency> = {};
  for (const k of kinds) {
    const v = field(ctx, freqField(k.id));
    if (!v) continue;
    if (!isFrequency(v)) throw new HttpError(400, 'notifications.errors.frequency');
    out[k.id] = v;
  }
  return out;
}

async function settingsPage(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const viewer = ctx.state.viewer!;
  const kinds = await s.choosableKinds(networkId(ctx));
  const [prefs, defaults, zone] = await Promise.all([s.prefs(viewer.id), s.defaults(networkId(ctx)), s.timezone(viewer.id, networkId(ctx))]);
  const def = (k: RegisteredKind): Frequency => defaults.get(k.id) ?? k.defaultFrequency;
  return titledPage(ctx, 'notifications/settings', 'notifications.settings.title', {
    kinds: kindRows(ctx, kinds, (k) => prefs.get(k.id) ?? def(k), def),
    zone,
    accountHref: `${link(ctx, 'core.account')}#account-zone`,
    digestHour: ctx.ruche.pluginState.settings('notifications', networkId(ctx)).digestHour ?? 8,
    action: link(ctx, 'notifications.settings.save'),
    backHref: link(ctx, 'notifications.list'),
  });
}

async function saveSettings(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const kinds = await s.choosableKinds(networkId(ctx));
  await s.setPrefs(ctx.state.viewer!.id, postedChoices(ctx, kinds));
  return { redirect: link(ctx, 'notifications.settings'), flash: 'notifications.flash.saved' };
}

async function defaultsPage(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const kinds = await s.choosableKinds(networkId(ctx));
  const defaults = await s.defaults(networkId(ctx));
  return adminPage(ctx, 'notifications/defaults', t(ctx, 'notifications.defaults.title'), 'notifications.defaults', {
    kinds: kindRows(ctx, kinds, (k) => defaults.get(k.id) ?? k.defaultFrequency),
    action: link(ctx, 'notifications.defaults.save'),
  });
}

async function saveDefaults(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const kinds = await s.choosableKinds(networkId(ctx));
  await s.setDefaults(networkId(ctx), postedChoices(ctx, kinds));
  return { redirect: link(ctx, 'notifications.defaults'), flash: 'notifications.flash.defaultsSaved' };
}

/** The unsubscribe page: a valid link shows one button; a changed or expired one a 400. */
async function unsubscribe(ctx: RucheContext, post: boolean): Promise<RouteResult> {
  const fromQuery = String((ctx.query as Record<string, unknown>).token ?? '');
  const token = post ? field(ctx, 'token') || fromQuery : fromQuery;
  const check = checkUnsubscribe(ctx.ruche.config.secret, token);
  const title = t(ctx, 'notifications.unsubscribe.title');
  if (!check.ok)
    return {
      view: 'notifications/unsubscribe',
      title,
      status: 400,
      data: { pageTitle: title, error: t(ctx, `notifications.unsubscribe.${check.reason}`) },
    };
  const s = service(ctx);
  const kinds = await s.kinds(networkId(ctx));
  const kind = check.kind === ALL_KINDS ? null : kinds.get(check.kind);
  if (check.kind !== ALL_KINDS && !kind)
    return { view: 'notifications/unsubscribe', title, status: 400, data: { pageTitle: title, error: t(ctx, 'notifications.unsubscribe.invalid') } };
  const what = kind ? t(ctx, 'notifications.unsubscribe.kind', { kind: t(ctx, kind.label) }) : t(ctx, 'notifications.unsubscribe.all');
  if (post) {
    const ids = kind ? [kind.id] : [...kinds.keys()];
    await s.setPrefs(check.userId, Object.fromEntries(ids.map((id) => [id, 'never' as Frequency])));
    return {
      view: 'notifications/unsubscribe',
      title,
      data: { pageTitle: title, done: true, what, settingsHref: link(ctx, 'notifications.settings') },
    };
  }
  return {
    view: 'notifications/unsubscribe',
    title,
    data: { pageTitle: title, token, what, action: link(ctx, 'notifications.unsubscribe.confirm') },
  };
}

export const notificationsRoutes: RouteDef[] = [
  { name: 'notifications.list', method: 'GET', path: '/notifications', capability: USE, handler: listPage },
  { name: 'notifications.readAll', method: 'POST', path: '/notifications/read-all', capability: USE, handler: readAll },
  { name: 'notifications.settings', method: 'GET', path: '/notifications/settings', capability: USE, handler: settingsPage },
  { name: 'notifications.settings.save', method: 'POST', path: '/notifications/settings', capability: USE, handler: saveSettings },
  { name: 'notifications.defaults', method: 'GET', path: '/notifications/defaults', capability: MANAGE, handler: defaultsPage },
  { name: 'notifications.defaults.save', method: 'POST', path: '/notifications/defaults', capability: MANAGE, handler: saveDefaults },
  {
    name: 'notifications.unsubscribe',
    method: 'GET',
    path: '/notifications/unsubscribe',
    public: true,
    outsiders: true,
    handler: (ctx) => unsubscribe(ctx, false),
  },
  // A mail client's one-click unsubscribe (RFC 8058) posts with no cookie: the signed token authorises it.
  {
    name: 'notifications.unsubscribe.confirm',
    method: 'POST',
    path: '/notifications/unsubscribe',
    public: true,
    csrf: false,
    outsiders: true,
    handler: (ctx) => unsubscribe(ctx, true),
  },
  { name: 'notifications.open', method: 'GET', path: '/notifications/:id/open', capability: USE, handler: openLine },
  { name: 'notifications.read', method: 'POST', path: '/notifications/:id/read', capability: USE, handler: readLine },
  ...notificationsApiRoutes(USE),
];
