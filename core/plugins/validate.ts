/** Validates a plugin manifest's shape; errors name the plugin and the field. */
import semver from 'semver';
import { z } from 'zod';
import { TOKEN_SCOPES } from '../auth/api-tokens';
import { StartupError } from '../errors';
import { GRANT_ROLES } from '../auth/viewer';
import type { PluginManifest } from './manifest';

/** A zod schema (an API route's params, query, body or response). */
const zodSchema = z.custom<z.ZodType>((v) => typeof (v as { safeParse?: unknown } | null)?.safeParse === 'function', 'must be a zod schema');
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');
const id = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2-40 lowercase letters, digits or dashes, starting with a letter');
const accessLevel = z.enum(['private', 'friends', 'group', 'network', 'members', 'public']);

const manifestSchema = z.strictObject({
  id,
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semver version such as 1.0.0'),
  name: z.string().min(1),
  description: z.string().min(1),
  core: z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range such as ^1.0.0'),
  dependsOn: z.array(id).optional(),
  integrations: z.array(id).optional(),
  defaultEnabled: z.boolean().optional(),
  entities: z
    .array(
      z.strictObject({
        type: z.string().regex(/^[a-z][a-z0-9_-]*$/),
        accessLevels: z.array(accessLevel).min(1),
        viewRoute: z.string().min(1).optional(),
        traits: z.array(z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'must be a word such as "commentable"')).optional(),
        search: z
          .strictObject({
            tab: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a word such as "posts"'),
            kind: z.string().min(1).optional(),
            read: fn,
          })
          .optional(),
      }),
    )
    .optional(),
  pieces: z
    .array(
      z.strictObject({
        kind: z.string().regex(/^[a-z][a-z0-9_]{1,9}$/, 'must be a word of 2-10 lowercase letters such as "comment"'),
        subject: z.string().min(1),
        read: fn,
        canSee: fn.optional(),
        withhold: fn,
        remove: fn,
      }),
    )
    .optional(),
  searchAttached: z
    .array(z.strictObject({ trait: z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'must be a word such as "commentable"'), read: fn }))
    .optional(),
  permissions: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9-]*\.[a-zA-Z0-9.]+$/, 'must look like <plugin>.<action>'),
        defaultRoles: z.array(z.enum(GRANT_ROLES as [string, ...string[]])),
        description: z.string().min(1),
      }),
    )
    .optional(),
  routes: z
    .array(
      z
        .strictObject({
          name: z.string().regex(/^[a-z][a-z0-9-]*\.[a-zA-Z0-9.]+$/, 'must look like <plugin>.<name>'),
          method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
          path: z.string().regex(/^\//, 'must start with /'),
          handler: fn,
          capability: z.string().optional(),
          public: z.literal(true).optional(),
          csrf: z.literal(false).optional(),
          outsiders: z.literal(true).optional(),
          scope: z.literal('installation').optional(),
          api: z
            .strictObject({
              summary: z.string().min(1),
              scope: z.enum(TOKEN_SCOPES).optional(),
              params: zodSchema.optional(),
              query: zodSchema.optional(),
              body: zodSchema.optional(),
              response: zodSchema.optional(),
              status: z.number().int().min(200).max(299).optional(),
              page: z.union([z.string().min(1), z.literal(false)]).optional(),
            })
            .optional(),
        })
        .refine((r) => (r.capability === undefined) !== (r.public === undefined), 'must declare exactly one of capability or public: true')
        .refine((r) => r.scope === undefined || r.capability !== undefined, 'scope: installation needs a capability')
        .refine((r) => r.path.startsWith('/api/') === (r.api !== undefined), 'a path under /api/ declares api: { summary, ... } (and only those do)')
        .refine(
          (r) => r.csrf === undefined || (r.public === true && r.method === 'POST'),
          'csrf: false is only for a public POST authorised by a signed token',
        ),
    )
    .optional(),
  templates: z.array(z.string().regex(/^[a-z0-9][a-z0-9/_.-]*$/i, 'must be a relative template name without .hbs')).optional(),
  hooks: z
    .array(
      z.object({ kind: z.enum(['event', 'filter']), name: z.string().min(1), handler: fn, options: z.object({ priority: z.number().optional() }) }),
    )
    .optional(),
  menus: z
    .array(
      z.strictObject({
        menu: z.enum(['main', 'user', 'admin']),
        id: z.string().min(1),
        label: z.string().min(1),
        route: z.string().min(1),
        capability: z.string().optional(),
        order: z.number().optional(),
        visible: fn.optional(),
        guests: z.literal(true).optional(),
      }),
    )
    .optional(),
  settings: z
    .record(
      z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
      z.object({ type: z.enum(['string', 'text', 'number', 'boolean', 'choice']), label: z.string(), default: z.unknown() }).loose(),
    )
    .optional(),
  settingsRights: z.enum(['network', 'installation']).optional(),
  migrations: z.array(z.object({ name: z.string().min(1), up: fn, down: fn })).optional(),
  jobs: z
    .array(
      z.strictObject({
        kind: z.string().regex(/^[a-z][a-z0-9-]*\.[a-zA-Z0-9.]+$/, 'must look like <plugin>.<what>'),
        handler: fn,
        maxAttempts: z.number().int().min(1).max(100).optional(),
        everyMs: z.number().int().min(60_000).optional(),
        personal: z.boolean().optional(),
      }),
    )
    .optional(),
  sockets: z
    .array(
      z
        .strictObject({
          path: z.string().regex(/^\//, 'must start with /'),
          handler: fn,
          capability: z.string().optional(),
          public: z.literal(true).optional(),
          outsiders: z.literal(true).optional(),
        })
        .refine((s) => (s.capability === undefined) !== (s.public === undefined), 'must declare exactly one of capability or public: true'),
    )
    .optional(),
  webhooks: z
    .array(
      z.strictObject({
        event: z.string().regex(/^[a-z][a-z0-9-]*\.[a-zA-Z0-9.]+$/, 'must look like <plugin>.<what>'),
        label: z.string().min(1),
        hook: z.string().min(1),
        payload: fn,
      }),
    )
    .optional(),
  i18n: z.string().optional(),
  templatesDir: z.string().optional(),
  services: fn.optional(),
  seed: fn.optional(),
});

/** Checks the manifest found at `where`; throws StartupError(E_PLUGIN_MANIFEST) naming the plugin and field. */
export function validateManifest(raw: unknown, where: string): PluginManifest {
  const result = manifestSchema.safeParse(raw);
  const label =
    raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? `plugin "${(raw as { id: string }).id}"`
      : `plugin at ${where}`;
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.join(', ') : 'manifest';
    throw new StartupError('E_PLUGIN_MANIFEST', `${label} (${where}): invalid manifest field "${field}": ${issue.message}`);
  }
  const m = raw as PluginManifest;
  const problem = crossCheck(m);
  if (problem) throw new StartupError('E_PLUGIN_MANIFEST', `${label} (${where}): ${problem}`);
  return m;
}

/** Rules that span fields: namespaces, uniqueness, references to declared things. */
function crossCheck(m: PluginManifest): string | undefined {
  const ns = `${m.id}.`;
  for (const p of m.permissions ?? []) if (!p.id.startsWith(ns)) return `invalid manifest field "permissions": ${p.id} must start with "${ns}"`;
  const names = new Set<string>();
  for (const r of m.routes ?? []) {
    if (!r.name.startsWith(ns)) return `invalid manifest field "routes": route name ${r.name} must start with "${ns}"`;
    if (names.has(r.name)) return `invalid manifest field "routes": route name ${r.name} is used twice`;
    names.add(r.name);
  }
  for (const menu of m.menus ?? []) {
    if (!names.has(menu.route)) return `invalid manifest field "menus": ${menu.id} links to unknown route ${menu.route}`;
  }
  for (const e of m.entities ?? []) {
    const view = e.viewRoute ? m.routes?.find((r) => r.name === e.viewRoute) : undefined;
    if (e.viewRoute && (view?.method !== 'GET' || !view.path.includes(':id')))
      return `invalid manifest field "entities": the view route of ${e.type} must be one of its GET routes taking :id (${e.viewRoute})`;
  }
  if (m.dependsOn?.includes(m.id)) return 'invalid manifest field "dependsOn": a plugin cannot depend on itself';
  for (const other of m.integrations ?? []) {
    if (other === m.id || m.dependsOn?.includes(other))
      return `invalid manifest field "integrations": ${other} is this plugin or one it depends on (list optional plugins only)`;
  }
  const migrationNames = new Set<string>();
  for (const mig of m.migrations ?? []) {
    if (migrationNames.has(mig.name)) return `invalid manifest field "migrations": ${mig.name} is listed twice`;
    migrationNames.add(mig.name);
  }
  return undefined;
}
