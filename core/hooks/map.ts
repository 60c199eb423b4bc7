/**
 * The typed hook map. Plugins add their own hooks by declaration merging:
 *
 *   declare module '<path to>/core/hooks/map' {
 *     interface HookEvents { 'blogs:published': { postId: number; networkId: number } }
 *   }
 *
 * so `hooks.emit('blogs:published', ...)` with a wrong name or payload is a compile error.
 * Payloads and contexts that carry a `networkId` only reach plugins enabled in that network.
 */
import type { Knex } from 'knex';
import type { MenuItem } from '../views/menu';
import type { ViewContext } from '../views/context';
import type { RucheContext } from '../http/context';
import type { Viewer } from '../auth/viewer';
import type { ContainerPolicy } from '../content/containers';
import type { ContentDraft, Screening } from '../content/screening';
import type { PieceRef } from '../content/pieces';
import type { Runtime } from '../runtime';
import type { NetworkInfo } from '../http/context';
import type {
  AttachmentBatch,
  AttachmentCard,
  AttachmentField,
  AttachmentParent,
  AttachmentParentView,
  AttachmentPlace,
} from '../content/attachments';
import type { UploadRefusal } from '../http/body';
import type { AuditLink, AuditRow } from '../audit/audit-log';
import type { MemberDataPart, MemberErasure, MemberErasureContext, MemberExportContext } from '../members/contract';

export interface HookEvents {
  /** The app is built and about to serve. */
  'app:ready': { networkId?: undefined };
  /**
   * The app is closing, before its jobs, caches and database: a plugin that started background
   * work (at `app:ready`, say) stops it here and resolves once it is over, so nothing waits on a
   * closed database and the process can exit.
   */
  'app:closing': { networkId?: undefined };
  /** A plugin was enabled or disabled in a network. */
  'plugin:enabled': { pluginId: string; networkId: number };
  'plugin:disabled': { pluginId: string; networkId: number };
  /** A member account was created (setup, registration, CLI). */
  'user:created': { userId: number; networkId: number };
  /** A member signed in. */
  'user:signedIn': { userId: number; networkId: number };
  /**
   * An identity provider wrote the profile fields it keeps for a member (at sign-in or a
   * directory sync; core/auth/external-accounts.ts): the plugin keeping a field stores it
   * (profiles: `department`, `headline`). The core already wrote `displayName` and `email`.
   */
  'user:profileSynced': { userId: number; networkId: number; fields: Partial<Record<'displayName' | 'email' | 'department' | 'headline', string>> };
  /**
   * A signed-in, active member was served a page (a full page in the theme's layout, status
   * below 400) of `networkId`, of which they are a member. Fired on every such page, so a
   * handler must be cheap: the analytics plugin counts one row per member, network and day.
   */
  'page:viewed': { networkId: number; userId: number; at: number };
  /**
   * `blockerId` blocked `blockedId` (the messages plugin emits it, where the block was made).
   * A block ends every tie between the two, both ways: plugins keeping ties remove theirs
   * (connections: follows, the connection, pending requests). Unblocking restores none.
   */
  'people:blocked': { networkId: number; blockerId: number; blockedId: number };
  /**
   * A member was newly mentioned in a text they may see (core/content/mentions.ts): once per
   * member and piece. `source` says which text (`status`, `comment`, `blog`, `topic`,
   * `reply`: the plugin owning it notifies), `objectId` the piece inside the entity (0: its
   * own body); `viaGroup` when reached through a mentioned group.
   */
  'content:mentioned': {
    networkId: number;
    entityId: number;
    objectId: number;
    actorId: number;
    userId: number;
    source: string;
    viaGroup?: number;
  };
  /**
   * Parents of attachments are gone (core/content/attachments.ts, `attachmentsDeleted`): the
   * plugin keeping files removes the attachments of `parents` and of every parent following
   * one of `entityIds`, with their bytes.
   */
  'attachments:deleted': { networkId: number; parents: { kind: string; id: number }[]; entityIds: number[] };
  /**
   * A piece a `content:saving` filter asked to hold for review or to flag was saved
   * (core/content/screening.ts): `entityId` (null: a piece outside any entity, a message) and
   * `objectId` (0: the entity's own text) say where, `hold` and `flag` why. The plugin that asked
   * acts on it (the moderation plugin: withholds a held entity, queues both).
   */
  'content:screened': {
    networkId: number;
    authorId: number;
    kind: string;
    entityId: number | null;
    objectId: number;
    /** Saved withheld because it is held (core/content/screening.ts): the reviewer publishes it. */
    heldOnSave: boolean;
    texts: Record<string, string>;
    hold: string[];
    flag: string[];
  };
}

/** A profile field that made a person a result of the people search (`people:matchedFields`). */
export interface PersonMatchedField {
  label: string;
  value: string;
}

export interface HookFilters {
  /**
   * Before a form with files is read (core/http/body.ts): the plugin whose route it is may
   * refuse it from its declared length alone (`declared` bytes, the whole body), e.g. over the
   * quota left, so not a byte is received. The value is the refusal, or null to read it.
   */
  'upload:beforeRead': { value: UploadRefusal | null; context: { ctx: RucheContext; declared: number; networkId: number } };
  /** The main navigation, after the manifests' `menus` are applied. */
  'menu:main': { value: MenuItem[]; context: ViewContext };
  /** The signed-in member's menu (header). */
  'menu:user': { value: MenuItem[]; context: ViewContext };
  /**
   * Small indicators in the header beside the account menu, on every page for a
   * signed-in member: the notifications bell, unread messages... Each costs the page a
   * query, so keep it to one cheap count.
   */
  'layout:indicators': { value: HeaderIndicator[]; context: ViewContext };
  /**
   * The search box in the header, on every page: the plugin answering search gives where the
   * box sends its words (a GET form, field `q`); null (no box) where none is enabled.
   */
  'layout:search': { value: HeaderSearch | null; context: ViewContext };
  /**
   * Banners at the top of every page for a signed-in member, above the page's own content (an
   * urgent alert until it is acknowledged). Each is a template of its plugin rendered with its
   * `data`; a banner must work without JavaScript (its buttons are forms). Keep it to one cheap
   * query: it runs on every page.
   */
  'layout:banners': { value: PageBanner[]; context: ViewContext };
  /**
   * Scripts (asset URLs, with `data-*` attributes) loaded, deferred, on every page for a
   * signed-in member: what keeps a page live (the alerts plugin's realtime banners).
   */
  'layout:scripts': { value: PageScript[]; context: ViewContext };
  /**
   * `ruche search reindex`: the plugin keeping a search index rebuilds it — of network `only`,
   * or of every network when null — reporting `progress`, and answers how many entities it
   * indexed; null (an error line) where none is enabled in `networkId`.
   */
  'search:reindex': { value: number | null; context: { networkId: number; only: number | null; progress: (done: number, total: number) => void } };
  /**
   * Who may post into a container and at which levels: the plugin owning containers of
   * `type` answers (see core/content/containers.ts); others pass the value on.
   */
  'container:policy': {
    value: ContainerPolicy | null;
    context: { rt: Runtime; networkId: number; viewer: Viewer; containerId: number; type: string };
  };
  /**
   * The route showing a person's profile, taking `:username` (the profiles plugin answers):
   * `personCards` link people through it; null where no enabled plugin shows profiles.
   */
  'people:profileRoute': { value: string | null; context: { networkId: number } };
  /**
   * People search by profile fields (the profiles plugin answers): for one searched word
   * (folded, `queryWords`), subqueries selecting `user_id`s of members one of whose searchable
   * fields holds the word in a value the viewer may see (the core's access clause inside each).
   * The people search ORs them with the name: a member matches when each word is in the name
   * or such a field. Answer an array (a bare query builder would be run by `await`). The
   * subqueries' SQL must be a function of the context alone (the network, the word, the viewer's
   * access inputs: `access.visibilityKey`): the search keeps the statement built from them by
   * those and the plugins answering (`hooks.filtering`), and asks again only for a new key.
   */
  'people:searchMatches': { value: Knex.QueryBuilder[]; context: { networkId: number; viewer: Viewer | null; word: string } };
  /**
   * For results of the people search: the searchable fields of `userIds` whose value the
   * viewer may see and holds one of `words`, by user id (label in `locale`, the value as written).
   */
  'people:matchedFields': {
    value: Map<number, PersonMatchedField[]>;
    context: { networkId: number; viewer: Viewer | null; locale: string; userIds: readonly number[]; words: readonly string[] };
  };
  /**
   * Of `candidateIds`, the members who block `userId` (`blockedBy`), or also whom `userId`
   * blocks (`either`): the messages plugin answers. Blocked members cannot message, mention
   * or connect.
   */
  'people:blocks': { value: number[]; context: { userId: number; candidateIds: number[]; direction: 'blockedBy' | 'either' } };
  /**
   * Links on the member's account page to settings a plugin keeps (the messages plugin:
   * blocked members), shown under "More settings" when there are any.
   */
  'account:links': { value: AccountLink[]; context: ViewContext };
  /**
   * Links of audit entries to what they recorded, on the audit page (`/admin/audit`): the owner
   * of an entry's action (`<owner>.<what>`) that keeps its own record of it (`AuditEntry.ref`: the
   * moderation plugin's decision) adds entry id → that record's page (address and translated
   * words), for the entries whose page the viewer may open, checked as that page checks it.
   * Entries of several networks (a root admin's page) come together: no `networkId`, each
   * answer checks the entry's own network (the plugin enabled there, the viewer's rights).
   */
  'audit:links': { value: Map<number, AuditLink>; context: { ctx: RucheContext; viewer: Viewer; entries: readonly AuditRow[] } };
  /**
   * The identity providers offered on a network's sign-in page (buttons above the password
   * form): each SSO plugin adds the providers configured for `networkId`, sending back to `next`.
   */
  'login:providers': { value: SignInProvider[]; context: ViewContext & { next: string } };
  /**
   * Signing out (POST /logout) of a session opened through a provider: the plugin that opened
   * `sessionId` answers the address ending the provider's session too (OIDC's end-session
   * endpoint, which sends the browser back to Ruche), or leaves null (signed out here only).
   */
  'logout:redirect': { value: string | null; context: { ctx: RucheContext; sessionId: string } };
  /** The names of the identity providers the SSO plugins enabled in `networkId` answer to (`oidc`...), for `ruche sso`. */
  'sso:providers': { value: string[]; context: { networkId: number } };
  /** `ruche sso test <provider>`: the plugin answering to `provider` checks its configuration in `networkId`. */
  'sso:check': { value: SsoCheckReport | null; context: { provider: string; networkId: number; siteUrl: string } };
  /**
   * `ruche sso sync <provider>`: the plugin answering to `provider` reads its directory for
   * `networkId` and creates, updates and suspends members (or, with `dryRun`, only says what
   * it would do).
   */
  'sso:sync': { value: SsoSyncReport | null; context: { provider: string; networkId: number; dryRun: boolean } };
  /** The route of a tag's page, taking `:tag` (the activity plugin answers); null without one. */
  'tags:route': { value: string | null; context: { networkId: number } };
  /** Groups named by `@name` in a text, with the members to reach (the groups plugin answers). */
  'content:mentionGroups': { value: MentionedGroup[]; context: { networkId: number; posterId: number; names: string[] } };
  /**
   * Content about to be saved (core/content/screening.ts, `screenContent`), from every content
   * plugin's create and edit: a filter may rewrite `texts`, refuse a field (`problems`: the form
   * is shown again with the member's words), or ask to `hold` the piece for review or `flag` it.
   * Runs on every post: keep it to one cheap query.
   */
  'content:saving': { value: Screening; context: ContentDraft };
  /** Sections shown on the home page, in order; plugins add theirs. */
  'home:sections': { value: HomeSection[]; context: ViewContext };
  /**
   * Blocks shown under pieces of content (comments, reactions...), for many entities at
   * once: a handler loads its data for all `entities` in a fixed number of queries and
   * appends one panel per entity. The entities are already visible to the viewer.
   * `mode` is `feed` (compact, in a list) or `page` (the entity's own page).
   */
  'entity:panels': {
    value: EntityPanel[];
    context: { ctx: RucheContext; networkId: number; viewer: Viewer | null; entities: EntityRef[]; mode: 'feed' | 'page' };
  };
  /**
   * The actions menu of pieces of content ("Report", later others): for a signed-in, active
   * viewer and a list of entities they already see, each plugin adds its entries (links to a
   * page of its own, so the menu works without JavaScript) for all of them in a fixed number
   * of queries. `entityPanels` asks it with the panels and renders the menu on every card and
   * page that shows panels.
   */
  'entity:actions': {
    value: EntityAction[];
    context: { ctx: RucheContext; networkId: number; viewer: Viewer; entities: EntityRef[]; mode: 'feed' | 'page' };
  };
  /**
   * What a plugin says of its entities where they are shown away from their own page (the
   * moderation queue and its history): for a list of entities the viewer sees, in a fixed number
   * of queries, one line each — facts already translated (a file's name, type and size, the
   * folder, album or group it is in) and links through the plugin's own access-checked routes
   * (a preview, a download). `entityContexts` (core/content/panels.ts) asks it.
   */
  'entity:context': {
    value: EntityContext[];
    context: { ctx: RucheContext; networkId: number; viewer: Viewer; entities: EntityRef[] };
  };
  /**
   * The actions menu of pieces inside content (comments, replies, messages: core/content/pieces.ts,
   * `pieceActions`): for a signed-in, active viewer and pieces of one kind they already see,
   * each plugin adds its entries (links to a page of its own) in a fixed number of queries;
   * `entityId` of each entry holds the piece's id. The plugin owning the pieces renders them.
   */
  'piece:actions': {
    value: EntityAction[];
    context: { ctx: RucheContext; networkId: number; viewer: Viewer; pieces: PieceRef[] };
  };
  /**
   * Buttons offered on the 403 page a signed-in member gets in a network they do not
   * belong to (core/http/outsiders.ts), e.g. "Join Usine Lyon" when its policy lets them.
   */
  'outsider:actions': { value: OutsiderAction[]; context: ViewContext & { network: NetworkInfo } };
  /**
   * `userId` asks to join `networkId` (approval policy, address just proved): the ids of the
   * network's admins still to be told. A plugin that tells some itself (the notifications
   * plugin: the bell, and email as each admin chose) answers without them; the core mails
   * the rest.
   */
  'network:joinRequested': { value: number[]; context: { networkId: number; userId: number } };
  /**
   * Attachments (core/content/attachments.ts). The plugin keeping files answers `field` (the
   * form's file input for a parent of `kind`, null when the viewer may not attach), `accept`
   * (the files sent, judged before the parent is saved) and `cards` (what the attachments of
   * visible parents look like). The plugin owning a parent answers `parent` for its kinds:
   * whether the viewer may see it now (the value holds the core's answer for its entity) and
   * its page.
   */
  'attachments:field': { value: AttachmentField | null; context: { ctx: RucheContext; networkId: number; kind: string } };
  'attachments:accept': { value: AttachmentBatch | null; context: { ctx: RucheContext; networkId: number; kind: string; place: AttachmentPlace } };
  'attachments:cards': { value: AttachmentCard[]; context: { ctx: RucheContext; networkId: number; parents: AttachmentParent[] } };
  'attachments:parent': {
    value: AttachmentParentView;
    context: { networkId: number; viewer: Viewer | null; parent: AttachmentParent; basePath: string };
  };
  /**
   * A member's data (core/members/contract.ts): each plugin appends the parts of the member's
   * archive it keeps (its rows as JSON, the files they refer to). No `networkId`: every plugin answers.
   */
  'member:export': { value: MemberDataPart[]; context: MemberExportContext };
  /**
   * An account is being deleted: each plugin removes (`erase`) or detaches (`anonymise`) what
   * it keeps of the member before the core removes the account, and reports it. A failure
   * fails the deletion job, which runs again: handlers must be idempotent.
   */
  'member:erasing': { value: MemberErasure; context: MemberErasureContext };
}

/** A group mentioned by `@name`: the members to notify (its plugin decides who, and whether the poster may). */
export interface MentionedGroup {
  containerId: number;
  name: string;
  memberIds: number[];
}

/** A link on the account page (`account:links`): label and hint already translated. */
export interface AccountLink {
  id: string;
  label: string;
  hint?: string;
  href: string;
  order?: number;
}

/** An identity provider on the sign-in page (`login:providers`): label already translated. */
export interface SignInProvider {
  id: string;
  label: string;
  /** Where the button goes to start the sign-in (a GET). */
  href: string;
  order?: number;
}

/** One step of `ruche sso test`: what was checked, whether it passed, what was found (in English, for the CLI). */
export interface SsoCheckStep {
  label: string;
  ok: boolean;
  detail?: string;
}

/** What `ruche sso test <provider>` prints: every step, passed or not. */
export interface SsoCheckReport {
  provider: string;
  steps: SsoCheckStep[];
}

/** One change a directory sync made (or would make): `detail` in English, for the log and the CLI. */
export interface SsoSyncChange {
  action: 'create' | 'link' | 'update' | 'suspend' | 'reactivate' | 'refuse';
  /** The person, as the directory names them (login or DN). */
  who: string;
  detail?: string;
}

export interface SsoSyncReport {
  provider: string;
  dryRun: boolean;
  /** People read from the directory. */
  read: number;
  changes: SsoSyncChange[];
  /** Why the sync did not run (nothing was changed), e.g. the directory answered no one. */
  error?: string;
}

/** A button on the outsider page: a form POSTing to `action` (with the CSRF token). */
export interface OutsiderAction {
  id: string;
  /** Already translated. */
  label: string;
  action: string;
}

/** What a panel provider needs to know of a piece of content. */
export interface EntityRef {
  id: number;
  type: string;
  ownerId: number;
  networkId: number;
  containerId: number | null;
  access: string;
}

/** One entity's context line (the `entity:context` filter): facts and links, already translated. */
export interface EntityContext {
  entityId: number;
  facts: string[];
  links: { label: string; href: string }[];
  /** A small image standing for it (a photo's thumbnail), through the plugin's access-checked route. */
  thumb?: string | null;
}

/** A block rendered under one entity: `{{> (lookup panel "template") panel.data}}`. */
export interface EntityPanel {
  entityId: number;
  id: string;
  template: string;
  data?: Record<string, unknown>;
  order?: number;
  /**
   * What `data` is a function of, as plain data (issue 18), when it is smaller to tell than the
   * data: the inputs of the panel's view (counts, the viewer's own reaction, may they act, the
   * page to come back to), or the entity's version (`entities.version`) with the viewer's own
   * facts. Given, a kept card (core/cache/fragments.ts) is keyed by it in place of the data, with
   * the locale, the theme and the network's base path: two viewers, or two states, whose data
   * differ must have different keys. Leave it out when unsure: the card is then keyed by the data.
   */
  key?: unknown;
  /**
   * Promises (issue 18) that the panel is a function of the entity's row as a feed reads it (its id,
   * type, owner, network, container, access, pin) and its version (`entities.version`), the members'
   * card version (`card_generations`, core migration 050), the viewer (who, their roles, locale and
   * time zone), the in-memory caches (networks, plugins' settings, grants), the page's address and the
   * traits of the cards above it on the page (a stylesheet once per list), and of nothing else: every
   * write of a row it shows bumps the entity's version (`cardVersionTriggers`, `entities.touch`). A
   * feed then keeps the whole card by those and, on a hit, skips the describe and panel reads
   * (plugins/activity/feed.ts). Nothing time-bound (a poll closing at a date). Leave it out when unsure.
   */
  versioned?: boolean;
}

/** A banner above a page's content (`layout:banners`): `{{> (lookup banner "template") banner.data}}`. */
export interface PageBanner {
  id: string;
  /** A registered template name, e.g. `alerts/partials/banner`. */
  template: string;
  data?: Record<string, unknown>;
  order?: number;
}

/** A script on every page (`layout:scripts`): its URL and the `data-*` attributes it reads (`document.currentScript.dataset`). */
export interface PageScript {
  src: string;
  data?: Record<string, string>;
}

/** An entry of an entity's actions menu (`entity:actions`): a link, its label already translated. */
export interface EntityAction {
  entityId: number;
  id: string;
  label: string;
  href: string;
  order?: number;
  /** As `EntityPanel.versioned`: the action is a function of the same inputs only (the actions menu is then). */
  versioned?: boolean;
}

/** The header's search box: a GET form to `action` with the words in `q`. */
export interface HeaderSearch {
  action: string;
  /** Accessible label and placeholder, already translated. */
  label: string;
  placeholder: string;
  /** A JSON endpoint answering suggestions while typing (`?q=`), for `script`. */
  suggest?: string;
  /** A script (asset URL) enhancing the box: suggestions, the `/` shortcut. */
  script?: string;
  /** The words searched, kept in the box on the results page. */
  value?: string;
}

/** A header indicator: a link with an icon and an optional count badge. */
export interface HeaderIndicator {
  id: string;
  /** Accessible label, already translated (e.g. "Notifications, 3 unread"). */
  label: string;
  href: string;
  /** The plugin's own icon: SVG path data (`d`) drawn in a 24×24 box, filled with the text colour. */
  icon: string;
  /** Shown as a badge when above zero (99+ beyond). */
  count?: number;
  order?: number;
}

/** A block of the home page rendered from a template with its data. */
export interface HomeSection {
  id: string;
  /** Template name, e.g. `activity/home-feed`. */
  template: string;
  data?: Record<string, unknown>;
  order?: number;
}

export type EventName = keyof HookEvents;
export type FilterName = keyof HookFilters;
export type FilterValue<K extends FilterName> = HookFilters[K]['value'];
export type FilterContext<K extends FilterName> = HookFilters[K]['context'];
