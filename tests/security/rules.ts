/**
 * Who may act on what in the security walks: the rule of each route (stated by name, or the
 * default its definition implies) and `mayAct`, which judges an actor of the world against a
 * route's target in the network a request is addressed to.
 */
import type { Target, WalkedRoute } from './routes';
import type { Actor, ActorName, NetKey, Scope, WorldObject } from './world-model';

/**
 * The rules of who may act, by the kind of power a route exercises:
 *   public       open to anyone signed in or not; a guest writes only where GUEST_WRITES says
 *   self         any signed-in member of the network, on their own account or content they add there
 *   member       any member of a network the object belongs to (follow, react, comment, join)
 *   own          only the one person the object belongs to (a session, a token, an invitation)
 *   participant  only the people the object belongs to (a conversation's participants, an alert's recipients)
 *   recipient    the people the object belongs to, and the admins of its network (an alert: its recipients, and its senders)
 *   author       the object's author, or an admin of its network (moderation)
 *   moderator    an admin of the object's network
 *   groupMember  the group's members (a group's chat room)
 *   groupAdmin   the group's owner and co-admins, or an admin of its network
 *   groupOwner   the group's owner, or an admin of its network
 *   admin        an admin of the object's scope: the network, or the installation (root only)
 *   inviter      an admin of the network, or any member where it admits people by invitation
 * Root admins hold every power except on what belongs to one person (own, participant).
 */
export type Rule =
  | 'public'
  | 'self'
  | 'member'
  | 'own'
  | 'participant'
  | 'recipient'
  | 'author'
  | 'moderator'
  | 'groupAdmin'
  | 'groupOwner'
  | 'admin'
  | 'inviter'
  | 'groupMember';

/** Capabilities that are administration powers (sending urgent alerts and reading the analytics: a network's admins). */
const ADMIN_CAPABILITIES = new Set(['admin.access', 'core.admin', 'subnetworks.manage', 'notifications.manage', 'alerts.send', 'analytics.view']);

/**
 * Routes whose power is not the default for their capability. Everything else: `public`
 * routes are public, admin capabilities are `admin`, a route on an object is `author` (the
 * strictest), a route without one is `self`.
 */
const RULES: Record<string, Rule> = {
  'moderation.words': 'admin',
  'moderation.words.add': 'admin',
  'moderation.words.remove': 'admin',
  'core.account.sessions.end': 'own',
  'core.account.tokens.revoke': 'own',
  'core.account.data.download': 'own',
  'notifications.read': 'own',
  'groups.invitation.accept': 'own',
  'groups.invitation.decline': 'own',
  'connections.request.accept': 'own',
  'connections.request.decline': 'own',
  'connections.request.cancel': 'own',
  'connections.api.request.accept': 'own',
  'connections.api.request.decline': 'own',
  'connections.api.request.cancel': 'own',
  'messages.reply': 'participant',
  'messages.unread': 'participant',
  'messages.archive': 'participant',
  'messages.unarchive': 'participant',
  'messages.leave': 'participant',
  'messages.api.reply': 'participant',
  'connections.follow': 'member',
  'connections.unfollow': 'member',
  'connections.connect': 'member',
  'connections.disconnect': 'member',
  'connections.api.follow': 'member',
  'connections.api.unfollow': 'member',
  'connections.api.connect': 'member',
  'connections.api.disconnect': 'member',
  // Any member of the network opens a member's code and asks to connect; its QR is its owner's.
  'connect.open': 'member',
  'connect.scan': 'member',
  'connect.qr': 'own',
  'messages.block': 'member',
  'messages.unblock': 'member',
  'likes.react': 'member',
  'likes.unreact': 'member',
  'likes.api.react': 'member',
  'likes.api.withdraw': 'member',
  'comments.create': 'member',
  'comments.api.create': 'member',
  'discussions.reply': 'member',
  'discussions.api.reply': 'member',
  'discussions.subscribe': 'member',
  'polls.vote': 'member',
  'events.rsvp': 'member',
  'polls.idea.vote': 'member',
  'activity.tag.follow': 'member',
  'activity.tag.unfollow': 'member',
  'groups.join': 'member',
  'groups.cancelRequest': 'member',
  'groups.leave': 'member',
  'groups.api.join': 'member',
  'groups.api.leave': 'member',
  'activity.status.pin': 'moderator',
  'activity.status.unpin': 'moderator',
  'discussions.lock': 'moderator',
  'discussions.moveTo': 'moderator',
  'discussions.pin': 'moderator',
  'polls.idea.status': 'moderator',
  'groups.update': 'groupAdmin',
  'groups.invite': 'groupAdmin',
  'groups.request.approve': 'groupAdmin',
  'groups.request.decline': 'groupAdmin',
  'groups.member.promote': 'groupAdmin',
  'groups.member.demote': 'groupAdmin',
  'groups.member.remove': 'groupAdmin',
  'groups.archive': 'groupAdmin',
  'groups.unarchive': 'groupAdmin',
  'groups.transfer': 'groupOwner',
  'core.invitations.send': 'inviter',
  'chat.group.start': 'groupMember',
  // A group's library: its members make folders; its admins (and the network's) manage its files.
  'files.folder.create': 'groupMember',
  'files.folder.rename': 'groupAdmin',
  'files.edit': 'groupAdmin',
  'files.delete': 'groupAdmin',
  'files.version.upload': 'groupAdmin',
  'files.version.restore': 'groupAdmin',
  'files.album.edit': 'groupAdmin',
  'files.album.delete': 'groupAdmin',
  'groups.delete': 'groupOwner',
  // Any member reports what they see; the network's moderators (here its admins) decide.
  'moderation.report.entity.submit': 'member',
  'moderation.report.member.submit': 'member',
  'moderation.report.piece.submit': 'member',
  'moderation.decide.entity': 'moderator',
  'moderation.decide.member': 'moderator',
  'moderation.decide.piece': 'moderator',
  'moderation.restore': 'moderator',
  // An alert is read by its recipients and by those who send alerts in its network (its dashboard); answered by its recipients only.
  'alerts.view': 'recipient',
  'alerts.answer': 'participant',
  // A group's analytics: its admins, and the network's (analytics README).
  'analytics.group': 'groupAdmin',
  'analytics.group.export': 'groupAdmin',
};

/**
 * The public routes on which a guest writes rows by design; on every other route, public
 * ones included (sign-out, language, setup once installed, a reset or unsubscribe without
 * its signed token, joining a network), a guest changes nothing.
 *   core.login.submit             a failed sign-in is counted (the throttle), a good one opens a session
 *   core.register.submit          registration creates the account
 *   core.password.forgot.submit   a reset link is issued (for a known address)
 */
export const GUEST_WRITES = new Set(['core.login.submit', 'core.register.submit', 'core.password.forgot.submit']);

/**
 * The GET pages the scope matrix checks like admin pages (a refused actor is not served the
 * page, the weakest permitted actor is): those of an admin power, and those whose rule is
 * stated above (a page other GET routes' default, `author`, would not describe).
 */
export const gatedPage = (route: WalkedRoute, rule: Rule): boolean => route.method === 'GET' && (rule === 'admin' || route.name in RULES);

export function ruleOf(route: WalkedRoute): Rule {
  if (RULES[route.name]) return RULES[route.name];
  if (route.def.public) return 'public';
  if (route.def.capability && ADMIN_CAPABILITIES.has(route.def.capability)) return 'admin';
  return route.params.length ? 'author' : 'self';
}

const belongs = (actor: Actor, net: NetKey): boolean => actor.isRoot || !!actor.roles[net];
const adminOf = (actor: Actor, scope: Scope | 'installation'): boolean =>
  actor.isRoot || (scope !== 'installation' && actor.roles[scope] === 'admin');
const is = (actor: Actor, who: ActorName | string | undefined): boolean => who !== undefined && actor.name === who;

/** Networks a person-object (a resident, an author) belongs to: their scope, and the root. */
const networksOf = (o: WorldObject): NetKey[] => (o.scope === 'installation' ? ['root'] : [o.scope, 'root']);

/** Whether `actor` may act on `target` through a request addressed to network `net`. */
export function mayAct(route: WalkedRoute, rule: Rule, actor: Actor, target: Target, net: NetKey): boolean {
  if (actor.name === 'guest') return rule === 'public' && GUEST_WRITES.has(route.name);
  if (rule === 'public') return true;
  // The outsider gate: a network's pages are for its members, except routes open to outsiders.
  if (!route.def.outsiders && !belongs(actor, net)) return false;
  const o = target.object;
  const scope = target.scope;
  switch (rule) {
    case 'self':
      return true;
    case 'member':
      if (!o) return true;
      return target.kind === 'resident' || target.kind === 'author' ? networksOf(o).some((n) => belongs(actor, n)) : belongs(actor, target.net);
    case 'own':
      return is(actor, o?.user);
    case 'participant':
      return (o?.users ?? []).some((u) => is(actor, u));
    case 'recipient':
      return (o?.users ?? []).some((u) => is(actor, u)) || adminOf(actor, scope);
    case 'author':
      return is(actor, o?.user) || adminOf(actor, scope);
    case 'moderator':
    case 'admin':
      return adminOf(actor, scope);
    case 'groupAdmin':
      return (o?.groupAdmins ?? []).some((u) => is(actor, u)) || adminOf(actor, scope);
    case 'groupOwner':
      return is(actor, o?.groupOwner) || adminOf(actor, scope);
    case 'groupMember':
      // The actors among a group's members are its admins (the other members are residents).
      return (o?.groupAdmins ?? []).some((u) => is(actor, u));
    case 'inviter':
      return target.joinPolicy === 'invitation' || adminOf(actor, scope);
  }
}
