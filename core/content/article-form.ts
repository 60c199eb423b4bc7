/**
 * The new/edit form of a long-form content type (a blog post, a discussion topic…) as four
 * routes built from one description, so every such plugin answers its forms the same way:
 *
 * - `<plugin>.new`    GET  `<path>/new` (`?container=<id>` writes inside a container)
 * - `<plugin>.create` POST `<path>`     (field `container`)
 * - `<plugin>.edit`   GET  `<path>/:id/edit`
 * - `<plugin>.update` POST `<path>/:id/edit`
 * - `<plugin>.delete` POST `<path>/:id/delete`, when the form declares `remove`
 *
 * and, when the form declares `api`, its JSON API twin:
 *
 * - `<plugin>.api.create` POST `/api/v1<path>` (JSON `title`, `body`, `tags`, `access`,
 *   `container` and the plugin's own `api.fields`): the same checks and saving as the form,
 *   answered `{ id, href }` (201) or a 400 `invalid` with the form's messages per field.
 *
 * They render the view `<plugin>/edit` with the shared fields (values, a localised message
 * per field, the access levels offered), titled `<plugin>.form.newTitle` / `editTitle`, and
 * go to `<plugin>.view` once saved. A refused form is shown again with the member's input and
 * a 400; a container the viewer may not post in answers as the plugin's `requireContainer`
 * says (a 404 for forged ids). The plugin keeps what is its own: its extra fields, its
 * validation, how it saves and deletes.
 */
import { z, type ZodType } from 'zod';
import { isAccessLevel, type AccessLevel } from '../access/access';
import type { Viewer } from '../auth/viewer';
import { apiBody, apiProblems } from '../http/api/validation';
import { field } from '../http/body';
import type { RucheContext } from '../http/context';
import { queryParam } from '../http/params';
import { link, t } from '../http/request-helpers';
import type { RouteDef, RouteResult } from '../plugins/manifest';
import type { Runtime } from '../runtime';
import type { ArticleInput, ArticleRow, FieldProblems } from './article';
import { acceptAttachments, attachmentField, type AttachmentBatch } from './attachments';
import { contentScreened, screenContent, screeningHolds, screeningRefused, type Screening } from './screening';

/** The form's shared fields, and the container it writes into (null: the network). */
export interface ArticleFormInput extends ArticleInput {
  containerId: number | null;
}

/** The shared fields of an empty form: what `blank` starts from. */
export const blankArticle = (access: AccessLevel, containerId: number | null): ArticleFormInput => ({
  title: '',
  body: '',
  tags: '',
  access,
  containerId,
});

/** The shared fields as posted: what `read` starts from. */
export const postedArticle = (ctx: RucheContext, containerId: number | null): ArticleFormInput => ({
  title: field(ctx, 'title'),
  body: field(ctx, 'body'),
  tags: field(ctx, 'tags'),
  access: field(ctx, 'access'),
  containerId,
});

/** What the routes need of the plugin's service. */
export interface ArticleFormService {
  /** Levels offered outside a container (inside one, always `group`). */
  accessLevels(networkId: number): AccessLevel[];
  defaultAccess(networkId: number): AccessLevel;
  /** Throws (404, 403) unless the viewer may post into the container. */
  requireContainer(viewer: Viewer, containerId: number, networkId: number): Promise<void>;
}

/**
 * The usual `ArticleFormService` of a plugin whose pieces are personal or posted in a container
 * (blogs, events): the default level is the plugin's `defaultAccess` setting (any level but
 * `group`; `members` when unset), the levels offered are the core's for personal content
 * (`access.offeredLevels`), and a container takes a piece from its members while it takes posts
 * (`containers.requirePoster`): a 404 `<plugin>.errors.noContainer` otherwise (forged ids
 * included), a 403 `<plugin>.errors.containerClosed` when it is closed. A plugin with other
 * rules (discussions: no personal levels) writes its own.
 */
export function personalOrContainerPosting(rt: Pick<Runtime, 'access' | 'containers' | 'pluginState'>, plugin: string): ArticleFormService {
  return {
    defaultAccess(networkId) {
      const level = rt.pluginState.settings(plugin, networkId).defaultAccess;
      return isAccessLevel(level) && level !== 'group' ? level : 'members';
    },
    accessLevels: (networkId) => rt.access.offeredLevels(networkId),
    async requireContainer(viewer, containerId, networkId) {
      await rt.containers.requirePoster(viewer, containerId, networkId, {
        notMember: `${plugin}.errors.noContainer`,
        closed: `${plugin}.errors.containerClosed`,
      });
    },
  };
}

export interface ArticleForm<Row extends ArticleRow, Input extends ArticleFormInput, Value> {
  /** The plugin id: route names, the view `<plugin>/edit` and the texts `<plugin>.form.*`. */
  plugin: string;
  /** What is written, for the core's screening (`content:saving`): the entity type (`blog`, `topic`…). */
  kind: string;
  /** Where the content lives, e.g. `/blogs`. */
  path: string;
  capability: string;
  service(ctx: RucheContext): ArticleFormService;
  /** The row of `:id` when the viewer may edit it; throws otherwise. */
  editable(ctx: RucheContext): Promise<Row>;
  /** The empty form, at the network's default level. */
  blank(access: AccessLevel, containerId: number | null): Input;
  /** The form as posted. */
  read(ctx: RucheContext, containerId: number | null): Input;
  /** The form of an existing row (for the member editing it: `ctx`). */
  inputOf(row: Row, tags: string[], ctx: RucheContext): Input;
  /** Checks the form (its uploads included): what to save, or the problems to show. */
  check(ctx: RucheContext, input: Input, row?: Row): Promise<{ value?: Value; problems: FieldProblems }>;
  /**
   * Saves a new one: its id, and the key of the flash message saying so. `held`: the core's
   * screening holds it for review (see `publishes`), so it is saved withheld (the entity's
   * `withheld`: its author's and moderators' only) and nobody is told of it; the reviewer
   * publishes it. `also`: other entities saved with it from the same texts (a recurring
   * event's other dates), screened like it.
   */
  create(ctx: RucheContext, containerId: number | null, value: Value, held: boolean): Promise<{ id: number; flash: string; also?: number[] }>;
  /** Saves an edit: the key of the flash message saying so (`held` as for `create`). */
  update(ctx: RucheContext, row: Row, value: Value, held: boolean): Promise<string>;
  /**
   * Whether saving this value publishes the piece (not a draft): a piece the screening holds
   * is then saved withheld (`held` for create and update). Absent: never held on save — the
   * moderation plugin withholds a held piece once it is saved.
   */
  publishes?(value: Value): boolean;
  /**
   * Deletes the row of `:id` (`editable`): the route `<plugin>.delete` then goes to the list with
   * the flash `<plugin>.flash.deleted`. Absent: no delete route.
   */
  remove?(ctx: RucheContext, row: Row): Promise<void>;
  /** After a delete, the list of the row's container when it has one (else the network's, as without it). */
  deletedToContainer?: boolean;
  /** The plugin's own data for the page (a status choice, a cover…). */
  fields?(ctx: RucheContext, input: Input, row?: Row): Record<string, unknown>;
  /**
   * The kind of parent files attached to the article name (its entity type): the form gets the
   * attachments field (`attach`, `{{> core/partials/attachments-field field=attach}}` inside the
   * multipart form) and files sent are judged with the form and attached once it is saved
   * (core/content/attachments.ts). Absent: no attachments.
   */
  attachments?: string;
  /** The JSON API's creation route (see above): its summary, and the plugin's own fields' schemas (read by `read` as posted). */
  api?: { summary: string; fields?: Record<string, ZodType> };
}

/** `container` as posted: a container id, null when absent, -1 (no container has it) when forged. */
const containerOf = (raw: string): number | null => (/^\d{1,15}$/.test(raw) ? Number(raw) : raw ? -1 : null);

export function articleFormRoutes<Row extends ArticleRow, Input extends ArticleFormInput, Value>(form: ArticleForm<Row, Input, Value>): RouteDef[] {
  const { plugin, path, capability } = form;

  /** The list of a container (its id), or of the network (null). */
  const listOf = (ctx: RucheContext, containerId: number | null): string =>
    containerId ? link(ctx, `${plugin}.container`, { containerId }) : link(ctx, `${plugin}.network`);

  async function page(ctx: RucheContext, input: Input, problems: FieldProblems = {}, row?: Row, status?: number): Promise<RouteResult> {
    const errors = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(ctx, p.key, p.params)]));
    const levels: string[] = input.containerId ? ['group'] : form.service(ctx).accessLevels(ctx.state.network.id);
    // An edited row keeps its level even when it is no longer offered.
    if (row && !input.containerId && !levels.includes(row.access)) levels.push(row.access);
    const title = t(ctx, row ? `${plugin}.form.editTitle` : `${plugin}.form.newTitle`);
    const list = listOf(ctx, input.containerId);
    return {
      view: `${plugin}/edit`,
      title,
      status: status ?? (Object.keys(problems).length ? 400 : undefined),
      data: {
        pageTitle: title,
        action: row ? link(ctx, `${plugin}.update`, { id: row.id }) : link(ctx, `${plugin}.create`),
        cancelHref: row ? link(ctx, `${plugin}.view`, { id: row.id }) : list,
        values: input,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        inContainer: !!input.containerId,
        accessOptions: levels.map((v) => ({
          value: v,
          label: t(ctx, `core.access.${v}`),
          selected: v === (input.containerId ? 'group' : input.access),
        })),
        isEdit: !!row,
        attach: form.attachments ? await attachmentField(ctx, form.attachments) : null,
        ...form.fields?.(ctx, input, row),
      },
    };
  }

  /** The posted form, checked: what to save, or the problems to show (and the status to answer them with). */
  async function submitted(
    ctx: RucheContext,
    input: Input,
    containerId: number | null,
    row?: Row,
  ): Promise<{ value: Value; files: AttachmentBatch | null; screened: Screening } | { problems: FieldProblems; status?: number }> {
    // The title and body go through the core's screening (`content:saving`) before the plugin's checks.
    const screened = await screenContent(ctx.ruche, {
      networkId: ctx.state.network.id,
      authorId: row ? Number(row.owner_id) : ctx.state.viewer!.id,
      kind: form.kind,
      texts: { title: input.title, body: input.body },
    });
    const checked = await form.check(ctx, { ...input, ...screened.texts }, row);
    const problems = { ...checked.problems, ...screened.problems };
    if (checked.value === undefined || screeningRefused(screened)) return { problems };
    const value = checked.value;
    // Attached files, judged once the rest is valid and before anything is saved.
    const files = form.attachments
      ? await acceptAttachments(ctx, form.attachments, { networkId: ctx.state.network.id, containerId, access: input.access })
      : null;
    if (files?.problems.length)
      return { problems: { attachments: { key: 'core.attachments.refused', params: { problems: files.problems.join(' ') } } }, status: files.status };
    return { value, files, screened };
  }

  /** The form shown again with its problems. */
  const again = (ctx: RucheContext, input: Input, refused: { problems: FieldProblems; status?: number }, row?: Row): Promise<RouteResult> =>
    page(ctx, input, { ...refused.problems, _form: { key: 'core.form.hasErrors' } }, row, refused.status);

  /** Saves a new one, checked: its id. */
  async function created(
    ctx: RucheContext,
    containerId: number | null,
    posted: { value: Value; files: AttachmentBatch | null; screened: Screening },
  ) {
    const held = heldOnSave(posted);
    const { id, flash, also = [] } = await form.create(ctx, containerId, posted.value, held);
    for (const entityId of [id, ...also]) await contentScreened(ctx.ruche, posted.screened, { entityId, heldOnSave: held });
    await posted.files?.save({ kind: form.attachments!, id, entityId: id });
    return { id, flash };
  }

  /** The container to write into, once the viewer may post there. */
  async function container(ctx: RucheContext, raw: string): Promise<number | null> {
    const containerId = containerOf(raw);
    if (containerId !== null) await form.service(ctx).requireContainer(ctx.state.viewer!, containerId, ctx.state.network.id);
    return containerId;
  }

  /** Whether the piece, about to be published, is held for review by the screening: saved withheld. */
  const heldOnSave = (posted: { value: Value; screened: Screening }): boolean =>
    screeningHolds(posted.screened) && (form.publishes?.(posted.value) ?? false);

  const saved = (ctx: RucheContext, flash: string, id: number): RouteResult => ({ redirect: link(ctx, `${plugin}.view`, { id }), flash });

  const route = (what: string, method: 'GET' | 'POST', at: string, handler: RouteDef['handler']): RouteDef => ({
    name: `${plugin}.${what}`,
    method,
    path: at,
    capability,
    handler,
  });

  const deleteRoutes: RouteDef[] = [];
  const remove = form.remove;
  if (remove)
    deleteRoutes.push(
      route('delete', 'POST', `${path}/:id/delete`, async (ctx) => {
        const row = await form.editable(ctx);
        await remove(ctx, row);
        return { redirect: listOf(ctx, form.deletedToContainer ? row.container_id : null), flash: `${plugin}.flash.deleted` };
      }),
    );

  const apiRoutes: RouteDef[] = [];
  if (form.api) {
    const body = z.object({
      title: z.string(),
      body: z.string(),
      tags: z.string().optional(),
      access: z.string().optional(),
      container: z.number().int().positive().optional(),
      ...form.api.fields,
    });
    apiRoutes.push({
      ...route('api.create', 'POST', `/api/v1${path}`, async (ctx) => {
        const posted = apiBody(ctx, body);
        const containerId = await container(ctx, posted.container === undefined ? '' : String(posted.container));
        const access = posted.access ?? (containerId ? 'group' : form.service(ctx).defaultAccess(ctx.state.network.id));
        const checked = await submitted(ctx, { ...form.read(ctx, containerId), access }, containerId);
        if ('problems' in checked) throw apiProblems(ctx, checked.problems);
        const { id } = await created(ctx, containerId, checked);
        return { status: 201, json: { id, href: link(ctx, `${plugin}.view`, { id }) } };
      }),
      api: { summary: form.api.summary, body, response: z.object({ id: z.number().int(), href: z.string() }) },
    });
  }

  return [
    route('new', 'GET', `${path}/new`, async (ctx) => {
      const containerId = await container(ctx, queryParam(ctx, 'container'));
      return page(ctx, form.blank(form.service(ctx).defaultAccess(ctx.state.network.id), containerId));
    }),
    route('create', 'POST', path, async (ctx) => {
      const containerId = await container(ctx, field(ctx, 'container'));
      const input = form.read(ctx, containerId);
      const posted = await submitted(ctx, input, containerId);
      if ('problems' in posted) return again(ctx, input, posted);
      const { id, flash } = await created(ctx, containerId, posted);
      return saved(ctx, flash, id);
    }),
    route('edit', 'GET', `${path}/:id/edit`, async (ctx) => {
      const row = await form.editable(ctx);
      const tags = await ctx.ruche.entities.tagsOf([row.id]);
      return page(ctx, form.inputOf(row, tags.get(row.id) ?? [], ctx), {}, row);
    }),
    route('update', 'POST', `${path}/:id/edit`, async (ctx) => {
      const row = await form.editable(ctx);
      const input = form.read(ctx, row.container_id);
      const posted = await submitted(ctx, input, row.container_id, row);
      if ('problems' in posted) return again(ctx, input, posted, row);
      const held = heldOnSave(posted);
      const flash = await form.update(ctx, row, posted.value, held);
      await contentScreened(ctx.ruche, posted.screened, { entityId: row.id, heldOnSave: held });
      await posted.files?.save({ kind: form.attachments!, id: row.id, entityId: row.id });
      return saved(ctx, flash, row.id);
    }),
    ...deleteRoutes,
    ...apiRoutes,
  ];
}
