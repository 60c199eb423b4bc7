/**
 * What the security walks know about routes, derived from the app's route table: every route
 * registered (core and every enabled plugin) with its definition, the objects its `:params`
 * name in each scope of the world, the form body a request sends, and who may act on it.
 *
 * A route nobody described is still walked: its parameters are filled by their place in the
 * path (an unknown parameter fails the walk with a message saying where to add it), and the
 * rule of who may act defaults to the strictest sensible one for its capability.
 */
import { coreRoutes } from '../../core/routes';
import type { RouteDef } from '../../core';
import type { NamedRoute } from '../../core/http/route-table';
import { ruleOf } from './rules';
import { AUTHOR, NEW_PASSWORD, PASSWORD, RESIDENTS, SCOPES, type Actor, type NetKey, type Scope, type World, type WorldObject } from './world-model';

export interface WalkedRoute extends NamedRoute {
  def: RouteDef;
  params: string[];
}

/** Every route of the route table with its definition. */
export function walkedRoutes(world: World): WalkedRoute[] {
  const rt = world.app.ruche;
  const defs = new Map<string, RouteDef>(coreRoutes.map((r) => [r.name, r]));
  for (const p of rt.plugins.list()) for (const r of p.manifest.routes ?? []) defs.set(r.name, r);
  // Routes of a plugin off at the root answer nowhere in this world (every plugin on by default is on).
  const root = rt.networks.root().id;
  const enabled = (owner: string) => owner === 'core' || rt.pluginState.isEnabled(owner, root);
  return rt.routes
    .all()
    .filter((r) => enabled(r.owner))
    .map((r) => {
      const def = defs.get(r.name);
      if (!def) throw new Error(`route ${r.name} has no definition`);
      return { ...r, def, params: [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]) };
    });
}

export type ObjectKind =
  keyof World['objects']['A'] | 'plugin' | 'tag' | 'profileField' | 'file' | 'author' | 'variant' | 'calendarSecret' | 'pieceKind' | 'analyticsTable';

/**
 * The kind of object a parameter names, from the path before it. Ordered: the first match wins.
 * A parameter that matches nothing is an error of the walk (extend this table and the world).
 */
const PARAM_KINDS: [RegExp, string, ObjectKind][] = [
  [/\/moderation\/(report\/entity|entities)$/, 'id', 'status'],
  [/\/moderation\/(report\/member|members)$/, 'username', 'resident'],
  // A piece inside content (`/moderation/report/piece/:kind/:id`, `/moderation/pieces/:kind/:id/decide`): the comment.
  [/\/moderation\/(report\/piece|pieces)$/, 'kind', 'pieceKind'],
  [/\/moderation\/(report\/piece|pieces)\/comment$/, 'id', 'comment'],
  [/\/moderation\/warnings$/, 'id', 'warning'],
  [/\/moderation\/history$/, 'id', 'moderationDecision'],
  [/\/admin\/moderation\/words$/, 'id', 'watchedWord'],
  [/\/account\/sessions$/, 'id', 'session'],
  [/\/account\/tokens$/, 'id', 'apiToken'],
  [/\/account\/data$/, 'id', 'memberExport'],
  [/\/members\/requests$/, 'id', 'membershipRequest'],
  [/\/admin\/plugins$/, 'id', 'plugin'],
  [/\/admin\/webhooks$/, 'id', 'webhook'],
  [/\/admin\/webhooks\/\d+\/deliveries$/, 'delivery', 'webhookDelivery'],
  [/\/admin\/members\/banned$/, 'id', 'banned'],
  [/\/admin\/bots\/\d+\/tokens$/, 'tokenId', 'botToken'],
  [/\/admin\/bots$/, 'id', 'bot'],
  [/\/admin\/members$/, 'id', 'managed'],
  [/\/admin\/profile-fields$/, 'id', 'profileField'],
  [/\/admin\/networks$/, 'slug', 'network'],
  [/^\/api\/v1\/entities$/, 'id', 'apiStatus'],
  [/^\/api\/v1\/status$/, 'id', 'apiStatus'],
  [/^\/api\/v1\/comments$/, 'id', 'apiComment'],
  [/\/status$/, 'id', 'status'],
  [/\/blogs$/, 'id', 'blog'],
  [/\/blogs\/by$/, 'username', 'author'],
  [/\/(blogs|discussions|files|polls|events|ideas)\/in$/, 'containerId', 'group'],
  [/\/polls$/, 'id', 'poll'],
  [/\/ideas$/, 'id', 'idea'],
  [/\/events\/feed$/, 'secret', 'calendarSecret'],
  [/\/connect\/(c|qr)$/, 'code', 'connectCode'],
  [/\/connect\/badges$/, 'id', 'event'],
  [/\/events$/, 'id', 'event'],
  [/\/files\/folders$/, 'folderId', 'folder'],
  [/\/files\/albums$/, 'id', 'album'],
  [/\/files\/\d+\/versions$/, 'versionId', 'fileVersion'],
  [/\/files\/\d+\/image$/, 'variant', 'variant'],
  [/\/files$/, 'id', 'document'],
  [/\/entities$/, 'id', 'status'],
  [/\/comments$/, 'id', 'comment'],
  [/\/discussions\/replies$/, 'id', 'reply'],
  [/\/discussions$/, 'id', 'topic'],
  [/\/groups\/invitations$/, 'invitation', 'invitation'],
  [/\/groups\/\d+\/requests$/, 'user', 'joinRequester'],
  [/\/groups\/\d+\/members$/, 'user', 'groupMember'],
  [/\/groups$/, 'id', 'group'],
  [/\/chat\/group$/, 'id', 'group'],
  [/\/chat$/, 'id', 'conversation'],
  [/\/messages\/(block|unblock)$/, 'username', 'resident'],
  [/\/messages$/, 'id', 'conversation'],
  [/^\/api\/v1\/conversations$/, 'id', 'conversation'],
  [/\/connections\/requests$/, 'id', 'connectionRequest'],
  [/\/notifications$/, 'id', 'notification'],
  [/\/people$/, 'username', 'resident'],
  [/\/tags$/, 'tag', 'tag'],
  [/\/avatars$/, 'userId', 'author'],
  [/\/alerts$/, 'id', 'alert'],
  [/\/analytics\/export$/, 'table', 'analyticsTable'],
  [/./, 'file', 'file'],
];

export interface Target {
  /** Whose object it is: a network, or the installation. */
  scope: Scope | 'installation';
  /** The network whose address the request uses when it is made "where the object lives". */
  net: NetKey;
  url: string;
  /** The first parameter's object (the one the action is on), absent for a route without parameters. */
  object?: WorldObject;
  kind?: ObjectKind;
  /** Values of the form fields that depend on the object (a group's name to confirm its deletion). */
  fields: Record<string, string>;
  /** How people join the network the request is addressed to. */
  joinPolicy: string;
}

/**
 * Routes without parameters whose object is site-wide whatever network the request names,
 * besides those that declare `scope: 'installation'`: creating a network (the page itself
 * shows a sub-network's admins their own network's adoption).
 */
const INSTALLATION_COLLECTIONS: [string, RegExp][] = [['POST', /^\/admin\/networks$/]];

function objectOf(world: World, kind: ObjectKind, scope: Scope, routeName: string): WorldObject | undefined {
  const o = world.objects[scope];
  switch (kind) {
    case 'plugin':
      // Chat: the admin routes disable it, then enable it again (see the matrix's order); its settings
      // are a network's own. A sign-in plugin's settings take installation rights in every network
      // (`settingsRights: 'installation'`): tests/plugins/admin/settings-rights walks them.
      return { value: 'chat', scope, named: true };
    case 'analyticsTable':
      // A table of an analytics dashboard every scope has, as CSV.
      return { value: 'days', scope, named: true };
    case 'tag':
      return { value: 'matrix', scope, named: true };
    case 'profileField':
      return world.profileField;
    case 'file':
      return { value: 'missing.png', scope, named: true };
    case 'variant':
      return { value: 'thumb', scope, named: true };
    case 'pieceKind':
      // The kind of piece a moderation route names: the world's comment, which the next parameter (:id) names.
      return { ...o.comment, value: 'comment' };
    case 'calendarSecret':
      // A well-formed calendar secret nobody holds: the feed answers it like a revoked link.
      return { value: 'A'.repeat(43), scope, named: true };
    case 'author': {
      const a = world.actors[AUTHOR[scope]];
      // By name (`/blogs/by/:username`), or by id for an avatar (`/avatars/:userId/:file`).
      return { value: routeName === 'core.avatar' ? String(a.userId) : a.username!, scope, user: AUTHOR[scope] };
    }
    case 'managed':
      // A member's role is their network's; their account (suspension, reset link, sessions) reaches
      // the root network too (every resident is a member there), so it is the installation's.
      return routeName === 'admin.member' || routeName === 'admin.member.role' ? o.managed : { ...o.managed, scope: 'installation' };
    case 'resident':
      // Each action on a person has its person: one to connect with, one already connected.
      return routeName.endsWith('.connect') ? o.stranger : routeName.endsWith('.disconnect') ? o.friend : o.resident;
    case 'connectionRequest':
      return routeName.endsWith('.decline') ? o.connectionRequest2 : routeName.endsWith('.cancel') ? o.connectionSent : o.connectionRequest;
    case 'invitation':
      return routeName.endsWith('.decline') ? o.invitation2 : o.invitation;
    case 'joinRequester':
      return routeName.endsWith('.decline') ? o.joinRequester2 : o.joinRequester;
    case 'group':
      // Leaving and handing over use the open group; the rest (deletion last) the closed one.
      return routeName === 'groups.leave' || routeName === 'groups.api.leave' || routeName === 'groups.transfer' ? o.openGroup : o.group;
    case 'network':
      return routeName === 'subnetworks.archive' ? o.spareNetwork : o.network;
    case 'poll':
      // Edited before anyone votes in it: the poll the votes go to can no longer be changed.
      return routeName === 'polls.edit' || routeName === 'polls.update' ? o.pollToEdit : o.poll;
    case 'conversation':
      // People are added to a group conversation only.
      return routeName === 'messages.add' ? o.groupConversation : o.conversation;
    case 'groupMember':
      // Promoted, then demoted: the same member (the co-admin stays one for the actions after).
      return routeName.endsWith('.remove') ? o.groupOtherMember : o.groupMember;
    default:
      return o[kind];
  }
}

/** The targets of a route: one per scope (or one site-wide), with its URL filled. */
export function targetsOf(world: World, route: WalkedRoute): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  // One's own account is the same object at every network's address: tried once, at the root.
  const personal = route.def.outsiders && ruleOf(route) === 'self';
  for (const scope of personal ? (['root'] as const) : SCOPES) {
    let url = route.path;
    let first: { object: WorldObject; kind: ObjectKind } | undefined;
    let missing = false;
    for (const param of route.params) {
      const before = url.slice(0, url.indexOf(`:${param}`)).replace(/\/$/, '');
      const find = (path: string) => PARAM_KINDS.find(([re, name]) => name === param && re.test(path));
      const entry = find(before) ?? find(before.replace(/^\/api\/v1/, '')) ?? find(before.replace(/\/\d+$/, ''));
      if (!entry) throw new Error(`${route.name}: no world object for :${param} after "${before}" (extend PARAM_KINDS and the world)`);
      const object = objectOf(world, entry[2], scope, route.name);
      if (!object) {
        missing = true;
        break;
      }
      first ??= { object, kind: entry[2] };
      url = url.replace(new RegExp(`:${param}(\\([^)]*\\))?\\??`), encodeURIComponent(object.value));
    }
    if (missing) continue;
    const siteWide =
      route.def.scope === 'installation' ||
      INSTALLATION_COLLECTIONS.some(([method, re]) => (method === '*' || method === route.method) && re.test(route.path));
    const targetScope: Scope | 'installation' = first ? first.object.scope : siteWide ? 'installation' : scope;
    // Site-wide objects are the root's to manage (the walk also tries them from every network).
    const net: NetKey = targetScope === 'installation' ? 'root' : first ? (first.object.scope as NetKey) : scope;
    const key = `${net} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      scope: targetScope,
      net,
      url,
      object: first?.object,
      kind: first?.kind,
      fields: first?.object.fields ?? {},
      joinPolicy: world.nets[net].joinPolicy,
    });
  }
  return out;
}

// --- Form bodies --------------------------------------------------------------------------

/**
 * Plausible values for every form field of the application, by field name: a permitted
 * actor's request with them really succeeds. Each route reads the fields it knows.
 */
export const FIELD_VALUES: Record<string, string> = {
  body: 'Matrix text #matrix',
  title: 'Matrix title',
  access: 'network',
  status: 'published',
  tags: 'matrix',
  name: 'Matrix name',
  description: 'A description from the matrix.',
  category: 'social',
  visibility: 'closed',
  reaction: 'like',
  subject: 'Matrix subject',
  emails: 'invited.by.matrix@example.com',
  currentPassword: PASSWORD,
  newPassword: NEW_PASSWORD,
  newPasswordConfirm: NEW_PASSWORD,
  emailPassword: PASSWORD,
  locale: 'en',
  siteName: 'Matrix site',
  theme: 'default',
  policy: 'approval',
  joinPolicy: 'approval',
  domains: '',
  host: '',

  label_en: 'Matrix label',
  label_fr: 'Libellé matrice',
  type: 'text',
  choices: '',
  direction: 'down',
  decision: 'approve',
  charter: 'Be kind to one another.',
  timeZone: 'Europe/Paris',
  headline: 'Matrix headline',
  department: 'Matrix department',
  location: 'Lyon',
  about: 'About the matrix.',
  skills: 'testing',
  languages: 'French',
  displayName: 'Matrix Person',
  on: '1',
  until: '2099-12-31',
  primary: '#0b6e4f',
  accent: '#aa3300',
  // The first charter a network publishes is its version 1.
  version: '1',
  // An event's start, its answer and the events a calendar link holds.
  starts: '2099-06-01T10:00',
  answer: 'going',
  scope: 'answered',
};

/** Where one field name means different things on different forms: the value this route wants. */
const ROUTE_FIELDS: Record<string, Record<string, unknown>> = {
  // Blog posts need moderators' grant only: a real change of the grants, harmless for the rest of the walk.
  'admin.permissions.save': { roles: { 'blogs.write': ['', 'moderator'] } },
  'profiles.fields.create': { visibility: 'members' },
  // Its own labels: the create route's field already holds the default ones, and labels are unique.
  'profiles.fields.update': { visibility: 'members', label_en: 'Matrix label renamed', label_fr: 'Libellé matrice renommé' },
  // The pages' reaction is a like; the API's, on its own status, a different one.
  'likes.api.react': { reaction: 'love' },
  // Replying subscribed the member: the change left to make is leaving.
  'discussions.subscribe': { on: '0' },
  // A poll in the network (not on the entity `on` names elsewhere).
  'polls.create': { on: '', question: 'A matrix poll?', options: 'Yes\nNo', results: 'always' },
  'polls.update': { question: 'A matrix poll, edited?', options: 'Yes\nNo\nMaybe', results: 'always' },
  'polls.idea.vote': { value: 'up' },
  'polls.idea.status': { status: 'planned', reply: 'A matrix reply.' },
  // The members console: a role to give, a suspension's reason, every session to end.
  'admin.member.role': { role: 'moderator' },
  'admin.member.suspend': { reason: 'A matrix reason.' },
  'admin.member.sessions.end': { session: 'all' },
  // A token's scope (the events' calendar link calls its own field `scope` too).
  'core.account.tokens.create': { scope: 'read' },
  // A bot of the network (its username is the walk's own, below) and a token for it.
  'admin.bots.create': { scope: 'network', displayName: 'Matrix bot' },
  'admin.bot.update': { scope: 'network', displayName: 'Matrix bot renamed' },
  'admin.bot.tokens.create': { scope: 'read' },
  // A webhook to a public documentation address (TEST-NET-3: no lookup, not private).
  'core.webhooks.create': { url: 'https://203.0.113.10/matrix-new', events: 'core.member.joined' },
  // Reports with a reason; decisions that leave the world's content in place.
  'moderation.report.entity.submit': { reason: 'spam', note: '' },
  'moderation.report.member.submit': { reason: 'harassment', note: '' },
  'moderation.report.piece.submit': { reason: 'spam', note: '' },
  'moderation.decide.entity': { decision: 'dismiss' },
  'moderation.decide.member': { decision: 'dismiss' },
  'moderation.decide.piece': { decision: 'dismiss' },
  'moderation.words.add': { words: 'matrixaddedword', action: 'flag' },
  // An urgent alert to the whole network, asking whether people are safe; an answer to one; an update.
  'alerts.create': { message: 'A matrix alert.', severity: 'warning', answers: 'safety', audience: 'network' },
  'alerts.answer': { answer: 'safe' },
  'alerts.update': { message: 'A matrix update.' },
};

/** Files some forms need, by route: field name and a small PNG. */
export const ROUTE_FILES: Record<string, string> = { 'profiles.photo': 'photo', 'files.upload': 'files', 'files.version.upload': 'files' };

let serial = 0;

/** The body of a request by `actor` on `target`: the shared values, the object's own, and who it concerns. */
export function bodyFor(world: World, route: WalkedRoute, target: Target, actor: Actor): Record<string, unknown> {
  const scope: Scope = target.net === 'P' ? 'A' : (target.net as Scope);
  const residents: Record<Scope, { resident: string; other: string }> = {
    A: { resident: 'alice', other: 'ivan' },
    B: { resident: 'bob', other: 'dave' },
    root: { resident: 'rita', other: 'sam' },
  };
  const dynamic: Record<string, unknown> = {
    to: residents[scope].resident,
    // A group is handed over to a member of the open group; an invitation goes to someone outside it.
    user: RESIDENTS[scope].extra,
    username: residents[scope].other,
    access: scope === 'root' ? 'members' : 'network',
    email: `${actor.username ?? 'guest'}.changed@example.com`,
    slug: `matrix${++serial}`,
    key: `matrix_${++serial}`,
  };
  if (route.name === 'admin.bots.create') dynamic.username = `matrixbot${++serial}`;
  // A topic moves into its network's group.
  if (route.name === 'discussions.moveTo') dynamic.container = world.objects[scope].group.value;
  return { ...FIELD_VALUES, ...world.formFields, ...dynamic, ...ROUTE_FIELDS[route.name], ...target.fields, _csrf: actor.token };
}
