/**
 * The plugin manifest: a plugin's table of contents. `definePlugin({...})` only returns
 * its argument, typed; importing a plugin runs no side effects. The loader validates the
 * manifest (validate.ts) and wires everything in.
 */
import type { DependencyContainer } from 'tsyringe';
import type { Migration } from '../db/migration';
import type { EventHandler, FilterHandler, HookOptions } from '../hooks/bus';
import type { EventName, FilterName } from '../hooks/map';
import type { GrantRole } from '../auth/viewer';
import type { RucheContext } from '../http/context';
import type { Flash } from '../http/flash';
import type { SettingsSchema } from './settings';
import type { JobDef } from '../jobs/runner';
import type { AttachedSearchDef, EntitySearchDef } from '../content/search';
import type { SocketHandler } from '../realtime/sockets';
import type { ZodType } from 'zod';
import type { TokenScope } from '../auth/api-tokens';
import type { WebhookEventDef } from '../webhooks/events';
import type { PieceKindDef } from '../content/pieces';

/** The id of the core's own manifest (core/plugin.ts): owner of its routes, capabilities, templates, migrations. */
export const CORE_ID = 'core';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A one-shot message shown on the page a redirect leads to: an i18n key (a success), or the key with its params and type. */
export type FlashMessage = string | { key: string; params?: Record<string, unknown>; type?: Flash['type'] };

/** What a route handler may return; the core renders it. */
export type RouteResult =
  | void
  /** `layout: false`: the view alone, no page around it (a fragment a script swaps into the page). */
  | { view: string; data?: Record<string, unknown>; title?: string; status?: number; layout?: string | false }
  | {
      redirect: string;
      status?: 301 | 302 | 303 | 307;
      flash?: FlashMessage;
    }
  | { json: unknown; status?: number };

export type RouteHandler = (ctx: RucheContext) => RouteResult | Promise<RouteResult>;

/**
 * What makes a route part of the JSON API (every path under `/api/` declares it). The router
 * then applies the API's conventions (core/http/api): the token scope, the rate limit, the
 * validation of `query` and `body` (a 400 `invalid` with localised `fields`), `ETag` and
 * `If-None-Match` on GET, `Idempotency-Key` on POST; and the route appears in
 * `/api/v1/openapi.json` with these schemas.
 */
export interface ApiDef {
  /** One line saying what it does (English), for the reference. */
  summary: string;
  /** Token scope needed: `read` for GET by default, `write` otherwise; `admin` for administration. */
  scope?: TokenScope;
  /** Path parameters (an object schema); strings when not given. */
  params?: ZodType;
  /** Query string (an object schema); the handler reads the parsed value with `apiQuery`. */
  query?: ZodType;
  /** JSON (or form) body (an object schema); the handler reads the parsed value with `apiBody`. */
  body?: ZodType;
  /** The successful answer's JSON; tests check answers against it. */
  response?: ZodType;
  /** Status of the successful answer (default 200, 201 for POST). */
  status?: number;
  /**
   * The name of the page route that shows the same thing (a GET route, with the same path
   * parameters), or `false` for an endpoint no page matches (the mention suggestions). Every
   * GET route of the API declares one: the API access matrix (tests/security/api-matrix)
   * checks that each viewer, on content of each access level, through each network, is
   * answered by the API as by that page.
   */
  page?: string | false;
}

export interface RouteDef {
  /** Unique name, `<plugin>.<what>`, used by the `url` helper. */
  name: string;
  method: HttpMethod;
  /** Path inside the network, e.g. `/blogs/:id`. The core adds the network prefix. */
  path: string;
  handler: RouteHandler;
  /** Capability required to use the route... */
  capability?: string;
  /** ...or an explicit statement that anyone may use it. Exactly one of the two. */
  public?: true;
  /**
   * `false` exempts a public POST from the CSRF check. Only for a request authorised by a
   * signed token it carries itself and that reads no session — a mail client's one-click
   * unsubscribe (RFC 8058) sends no cookie. The conformance tests list every such route.
   */
  csrf?: false;
  /**
   * `true` keeps the route open to a signed-in member who belongs to none of the request's
   * network (sign-in and out, language, registration and email links, account pages,
   * joining). Every other route answers such an outsider a 403 page listing the networks
   * they belong to (core/http/outsiders.ts). Guests are not concerned.
   */
  outsiders?: true;
  /**
   * `'installation'` for a route that acts only on installation-wide objects (profile field
   * definitions, ...): beyond the capability in the request's network, the viewer needs root
   * rights (core/access/scope.ts), whichever network the request comes through. Others
   * answer 403 (guests are asked to sign in), and menu entries linking to it are hidden.
   */
  scope?: 'installation';
  /** Declares a JSON API route (required for paths under `/api/`): see ApiDef. */
  api?: ApiDef;
}

/**
 * A WebSocket path on the app's server, guarded like a route: the upgrade passes the request
 * gates and the target gate (plugin enabled in the network, outsiders refused unless
 * `outsiders: true`, the capability held), and only a signed-in, active member gets a socket.
 */
export interface SocketDef {
  /** Path inside the network, e.g. `/chat/socket` (the core strips `/n/<slug>`). */
  path: string;
  /** Gets the socket, who opened it, and the app (its services: `rt.container.resolve(...)`). */
  handler: SocketHandler;
  /** Capability required to open it... */
  capability?: string;
  /** ...or an explicit statement that any signed-in member may. Exactly one of the two. */
  public?: true;
  /** `true` opens it to signed-in members of other networks too. */
  outsiders?: true;
}

export interface PermissionDef {
  /** `<plugin>.<action>`, e.g. `blogs.create`. */
  id: string;
  /** Roles that hold it by default; network admins always hold every capability. */
  defaultRoles: GrantRole[];
  /** i18n key describing it (shown on admin pages). */
  description: string;
}

export interface MenuDef {
  menu: 'main' | 'user' | 'admin';
  id: string;
  /** i18n key of the label. */
  label: string;
  /** Route name the entry links to. */
  route: string;
  /** Shown only to viewers holding this capability (default: the route's own). */
  capability?: string;
  order?: number;
  /** Shown only when this also answers true for the request (e.g. the network's join policy allows invitations). */
  visible?: (ctx: RucheContext) => boolean;
  /**
   * Its page answers guests even where the network is closed to them. Without it, a guest of
   * such a network is not offered the entry: the page would only send them to sign in.
   */
  guests?: true;
}

export interface EntityTypeDef {
  /** Unique across plugins, e.g. `blog_post`. */
  type: string;
  accessLevels: ReadonlyArray<'private' | 'friends' | 'group' | 'network' | 'members' | 'public'>;
  /**
   * Name of the route showing one entity of this type, taking `:id` (e.g. `blogs.view`): the
   * core builds any entity's URL from it (`entityHref` in core/content/entity-links.ts).
   */
  viewRoute?: string;
  /**
   * What other plugins may attach to it, as words they agree on (e.g. `commentable`,
   * `reactable`): the core does not read them; a plugin asks `rt.plugins.hasTrait(type, word)`.
   */
  traits?: string[];
  /** What a search index keeps of it and how to read that text (core/content/search.ts). */
  search?: EntitySearchDef;
}

export type HookRegistration =
  | { kind: 'event'; name: EventName; handler: (payload: never) => unknown; options: HookOptions }
  | { kind: 'filter'; name: FilterName; handler: (value: never, context: never, rt: never) => unknown; options: HookOptions };

/** Typed constructors for the manifest's `hooks` list. */
export function onEvent<K extends EventName>(name: K, handler: EventHandler<K>, options: HookOptions = {}): HookRegistration {
  return { kind: 'event', name, handler: handler as HookRegistration['handler'], options } as HookRegistration;
}
export function onFilter<K extends FilterName>(name: K, handler: FilterHandler<K>, options: HookOptions = {}): HookRegistration {
  return { kind: 'filter', name, handler: handler as never, options } as HookRegistration;
}

export interface PluginManifest {
  /** Lowercase id, also the namespace of its templates, i18n keys and capabilities. */
  id: string;
  /** The plugin's own version (semver). */
  version: string;
  /** i18n key of its display name, or a plain name. */
  name: string;
  description: string;
  /** Core API range supported, e.g. `^1.0.0`. */
  core: string;
  dependsOn?: string[];
  /**
   * Plugins this one works with when they are there, without depending on them (e.g.
   * `['groups']` for chat rooms of groups): it reaches them only through their hooks
   * (`import type` of their hooks.ts), which run only where that plugin is enabled in the
   * network, so it loads and answers without them. Never probe their tables.
   */
  integrations?: string[];
  /** Enabled when Ruche is installed. */
  defaultEnabled?: boolean;
  entities?: EntityTypeDef[];
  /**
   * Text it keeps about other plugins' entities, indexed with them by a search index (comments
   * on `commentable` entities; core/content/search.ts `AttachedSearchDef`).
   */
  searchAttached?: AttachedSearchDef[];
  /**
   * Kinds of pieces it keeps inside entities or conversations (comments, replies, messages):
   * how the core resolves, shows, withholds and deletes one for other plugins (core/content/pieces.ts).
   */
  pieces?: PieceKindDef[];
  permissions?: PermissionDef[];
  routes?: RouteDef[];
  /** Template names under `templatesDir` (without `.hbs`); registered as `<id>/<name>`. */
  templates?: string[];
  /** Folder (relative to the plugin's) holding its templates; default `templates`. */
  templatesDir?: string;
  hooks?: HookRegistration[];
  menus?: MenuDef[];
  settings?: SettingsSchema;
  /**
   * Who may read and change the settings: `network` (default) a network's admins for their own
   * network (the root's need installation rights); `installation` installation rights in every
   * network. Sign-in plugins say `installation`: their settings hold secrets and decide who
   * becomes whom (role maps, accounts linked by email) across the whole installation.
   */
  settingsRights?: 'network' | 'installation';
  migrations?: Migration[];
  /** WebSocket paths it serves, guarded like its routes. */
  sockets?: SocketDef[];
  /** Background job kinds this plugin runs (`<id>.<what>`), scheduled through `rt.jobs`. */
  jobs?: JobDef[];
  /**
   * Events webhooks may subscribe to (`<id>.<what>`, core/webhooks/events.ts): the hook that
   * fires each and its payload builder, which sees only what a member of the subscriber's
   * network may see. Build each with `webhookEvent({...})`.
   */
  webhooks?: WebhookEventDef[];
  /** Folder (relative to the plugin's) holding `en.json`, `fr.json`. */
  i18n?: string;
  /** Registers the plugin's services in the app's container (called once per app). */
  services?: (container: DependencyContainer) => void;
  /**
   * Loads the plugin's seeder for `ruche seed`: a lazy import such as `() => import('./seed')`
   * whose module exports `seeder` (seeding/seeder.ts). Only the CLI calls it, so seeding code
   * stays off the app's runtime path.
   */
  seed?: () => Promise<{ seeder: object }>;
}

export function definePlugin<const M extends PluginManifest>(manifest: M): M {
  return manifest;
}
