/**
 * Admin → Bots: the service accounts of the request's network (core/members/bots.ts). Its
 * admins create one (name, username, description, scope), edit it, disable or enable it,
 * delete it, and give it API tokens (shown once, revocable) on its page. The create and edit
 * forms take an avatar (multipart; stored by the core's `rt.avatars`). Every action is
 * audited (`core.bot.*`, before and after) in the transaction of the change, so a second
 * submit finds the change and its entry together and answers as the first. A bot of another
 * network is a 404; moderators and members are refused by `admin.access`.
 */
import {
  auditAction,
  avatarUrl,
  completeDeletion,
  field,
  HttpError,
  idParam,
  isUniqueViolation,
  link,
  MAX_AVATAR_BYTES,
  notFound,
  t,
  TOKEN_NAME_MAX,
  type BotInput,
  type BotRow,
  type FieldErrors,
  formNonce,
  type FormToken,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  uploadedFiles,
  type AvatarImage,
} from '../../../core';
import { ADMIN_ACCESS, type AdminPage } from '../constants';
import { botInput, emptyInput, formData, inputOf, scopeChoices, scopeSummary } from './form';

/** The token scopes a bot may hold: never `admin`. */
const BOT_TOKEN_SCOPES = ['read', 'write'] as const;
type BotTokenScope = (typeof BOT_TOKEN_SCOPES)[number];

const CREATE = 'core.bot.create';

const messages = (ctx: RucheContext, errors: FieldErrors): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, t(ctx, e.key, e.params)]));

/** The bot named by `:id` in the request's network, or a 404. */
async function botParam(ctx: RucheContext): Promise<BotRow> {
  const bot = await ctx.ruche.bots.get(ctx.state.network.id, idParam(ctx));
  if (!bot) throw notFound();
  return bot;
}

/** The avatar field of the form: the bot's current avatar when it has one (editing). */
function avatarField(ctx: RucheContext, bot?: BotRow) {
  return {
    url: bot ? avatarUrl(ctx, { id: bot.id, photo_key: bot.photoKey }, 160) : null,
    has: !!bot?.photoKey,
    maxMb: MAX_AVATAR_BYTES / 1024 / 1024,
  };
}

/** The avatar sent with the form, resized, or the localised reason it cannot be one (and the status to answer). */
async function avatarSent(ctx: RucheContext): Promise<{ image?: AvatarImage; error?: string; status?: number }> {
  const { image, problem } = await ctx.ruche.avatars.read(uploadedFiles(ctx).find((f) => f.field === 'avatar'));
  return problem ? { error: t(ctx, problem.key, problem.params), status: problem.status } : { image };
}

interface TokenForm {
  values?: { name: string; scope: string };
  errors?: Record<string, string>;
  created?: FormToken;
}

export function botRoutes(page: AdminPage): RouteDef[] {
  async function listPage(
    ctx: RucheContext,
    input: BotInput = emptyInput(),
    errors: Record<string, string> = {},
    status?: number,
  ): Promise<RouteResult> {
    const rt = ctx.ruche;
    const bots = await rt.bots.list(ctx.state.network.id);
    return page(
      ctx,
      'bots',
      t(ctx, 'admin.bots.title'),
      'admin.bots',
      {
        bots: bots.map((b) => ({
          ...b,
          href: link(ctx, 'admin.bot', { id: b.id }),
          avatarUrl: avatarUrl(ctx, { id: b.id, photo_key: b.photoKey }, 64),
          scopeLabel: t(ctx, `admin.bots.scope.${b.scope}`),
        })),
        ...(await formData(ctx, input)),
        avatar: avatarField(ctx),
        errors,
      },
      status,
    );
  }

  async function botPage(
    ctx: RucheContext,
    bot: BotRow,
    forms: { input?: BotInput; errors?: Record<string, string> } & TokenForm = {},
    status?: number,
  ) {
    const rt = ctx.ruche;
    const tokens = await rt.apiTokens.list(bot.id);
    return page(
      ctx,
      'bot',
      t(ctx, 'admin.bot.title', { name: bot.displayName }),
      'admin.bots',
      {
        bot: { ...bot, scopeLabel: t(ctx, `admin.bots.scope.${bot.scope}`) },
        ...(await formData(ctx, forms.input ?? inputOf(bot))),
        avatar: avatarField(ctx, bot),
        errors: forms.errors ?? {},
        tokens: tokens.map((tk) => ({
          ...tk,
          scopeName: t(ctx, `core.account.tokens.scopeNames.${tk.scope}`),
          revokeAction: link(ctx, 'admin.bot.tokens.revoke', { id: bot.id, tokenId: tk.id }),
        })),
        tokenScopes: BOT_TOKEN_SCOPES.map((value) => ({
          value,
          label: t(ctx, `core.account.tokens.scopes.${value}`),
          checked: value === (forms.values?.scope ?? 'write'),
        })),
        tokenValues: forms.values ?? { name: '', scope: 'write' },
        created: forms.created,
        formNonce: formNonce(),
        back: link(ctx, 'admin.bots'),
      },
      status,
    );
  }

  const toBot = (ctx: RucheContext, id: number, flash: string | { key: string; params?: Record<string, unknown> }): RouteResult => ({
    redirect: link(ctx, 'admin.bot', { id }),
    flash,
  });

  /** A bot this viewer created with this username, audited: what a second submit of the same form finds. */
  async function createdAlready(ctx: RucheContext, username: string): Promise<number | undefined> {
    const rt = ctx.ruche;
    const user = await rt.users.byUsername(username.trim());
    if (!user) return undefined;
    const query = {
      networkIds: [ctx.state.network.id],
      actorId: ctx.state.viewer!.id,
      action: CREATE,
      objectType: 'user',
      objectId: String(user.id),
      limit: 1,
    };
    return (await rt.audit.page(query)).rows.length ? user.id : undefined;
  }

  async function create(ctx: RucheContext): Promise<RouteResult> {
    const rt = ctx.ruche;
    const networkId = ctx.state.network.id;
    const input = botInput(ctx);
    const { ids } = await scopeChoices(ctx);
    const errors = await rt.bots.validate(input, ids);
    if (errors.username?.key === 'core.user.error.usernameTaken') {
      const id = await createdAlready(ctx, input.username);
      if (id) return toBot(ctx, id, { key: 'admin.bots.created', params: { name: input.displayName.trim() } });
    }
    const avatar = await avatarSent(ctx);
    if (Object.keys(errors).length || avatar.error) {
      const shown = { _form: t(ctx, 'core.form.hasErrors'), ...messages(ctx, errors), ...(avatar.error ? { avatar: avatar.error } : {}) };
      return listPage(ctx, input, shown, avatar.status ?? 422);
    }
    let id: number;
    try {
      id = await rt.db.transaction(async (trx) => {
        const created = await rt.bots.create(trx, networkId, input, ctx.state.viewer!.id);
        if (avatar.image) await rt.avatars.store(created, avatar.image, trx);
        const bot = await rt.bots.get(networkId, created, trx);
        await auditAction(ctx, { action: CREATE, objectType: 'user', objectId: created, after: { ...botFacts(bot!) } }, trx);
        return created;
      });
    } catch (e) {
      // A simultaneous submit of the same form took the username first: answered as it was.
      if (!isUniqueViolation(e)) throw e;
      const first = await createdAlready(ctx, input.username);
      if (first) return toBot(ctx, first, { key: 'admin.bots.created', params: { name: input.displayName.trim() } });
      return listPage(ctx, input, { username: t(ctx, 'core.user.error.usernameTaken') }, 422);
    }
    return toBot(ctx, id, { key: 'admin.bots.created', params: { name: input.displayName.trim() } });
  }

  async function update(ctx: RucheContext): Promise<RouteResult> {
    const rt = ctx.ruche;
    const bot = await botParam(ctx);
    const input = { ...botInput(ctx), username: bot.username };
    const errors = await rt.bots.validate(input, (await scopeChoices(ctx)).ids, bot.id);
    const avatar = await avatarSent(ctx);
    if (Object.keys(errors).length || avatar.error) {
      const shown = { _form: t(ctx, 'core.form.hasErrors'), ...messages(ctx, errors), ...(avatar.error ? { avatar: avatar.error } : {}) };
      return botPage(ctx, bot, { input, errors: shown }, avatar.status ?? 422);
    }
    await rt.db.transaction(async (trx) => {
      await rt.bots.update(trx, bot, input);
      if (avatar.image) await rt.avatars.store(bot.id, avatar.image, trx);
      else if (field(ctx, 'removeAvatar')) await rt.avatars.remove(bot.id, trx);
      const after = await rt.bots.get(bot.networkId, bot.id, trx);
      await auditAction(
        ctx,
        { action: 'core.bot.update', objectType: 'user', objectId: bot.id, before: botFacts(bot), after: botFacts(after!) },
        trx,
      );
    });
    return toBot(ctx, bot.id, 'admin.bot.saved');
  }

  async function setEnabled(ctx: RucheContext, enabled: boolean): Promise<RouteResult> {
    const rt = ctx.ruche;
    const bot = await botParam(ctx);
    await rt.db.transaction(async (trx) => {
      if (await rt.bots.setEnabled(trx, bot.id, enabled))
        await auditAction(
          ctx,
          {
            action: enabled ? 'core.bot.enable' : 'core.bot.disable',
            objectType: 'user',
            objectId: bot.id,
            before: { enabled: !enabled },
            after: { enabled },
          },
          trx,
        );
    });
    return toBot(ctx, bot.id, enabled ? 'admin.bot.enabled' : 'admin.bot.disabled');
  }

  async function remove(ctx: RucheContext): Promise<RouteResult> {
    const rt = ctx.ruche;
    const networkId = ctx.state.network.id;
    const id = idParam(ctx);
    const bot = await rt.bots.get(networkId, id);
    const gone = { redirect: link(ctx, 'admin.bots'), flash: 'admin.bot.deleted' };
    if (!bot) {
      // Deleted already (a double submit, or another admin was first): answered as the first.
      const query = { networkIds: [networkId], action: 'core.bot.delete', objectType: 'user', objectId: String(id), limit: 1 };
      if ((await rt.audit.page(query)).rows.length) return gone;
      throw notFound();
    }
    const retired = await rt.db.transaction(async (trx) => {
      if (!(await rt.bots.retire(trx, bot.id))) return false;
      await auditAction(ctx, { action: 'core.bot.delete', objectType: 'user', objectId: bot.id, before: botFacts(bot), after: null }, trx);
      return true;
    });
    // Its posts stay, as from a former member; its name, photo, memberships and tokens go.
    if (retired) await completeDeletion(rt, bot.id, 'anonymise');
    return gone;
  }

  async function createToken(ctx: RucheContext): Promise<RouteResult> {
    const rt = ctx.ruche;
    const bot = await botParam(ctx);
    const name = field(ctx, 'name').trim();
    const scope = field(ctx, 'scope');
    const errors: Record<string, string> = {};
    if (!name) errors.name = t(ctx, 'core.account.tokens.nameRequired');
    else if (name.length > TOKEN_NAME_MAX) errors.name = t(ctx, 'core.account.tokens.nameTooLong');
    if (!(BOT_TOKEN_SCOPES as readonly string[]).includes(scope)) errors.tokenScope = t(ctx, 'core.account.tokens.scopeUnknown');
    if (Object.keys(errors).length) return botPage(ctx, bot, { values: { name, scope }, errors }, 422);
    // A double submit of the form answers the same page, without showing the secret again.
    const created = await rt.apiTokens.createOnce(bot.id, name, scope as BotTokenScope, field(ctx, 'formNonce'), (trx, token) =>
      auditAction(ctx, { action: 'core.bot.tokenCreate', objectType: 'user', objectId: bot.id, after: { token, name, scope } }, trx),
    );
    ctx.set('Cache-Control', 'no-store');
    return botPage(ctx, bot, { created }, 201);
  }

  async function revokeToken(ctx: RucheContext): Promise<RouteResult> {
    const rt = ctx.ruche;
    const bot = await botParam(ctx);
    const tokenId = idParam(ctx, 'tokenId');
    const revoked = await rt.db.transaction(async (trx) => {
      if (!(await rt.apiTokens.revoke(bot.id, tokenId, trx))) return false;
      await auditAction(
        ctx,
        { action: 'core.bot.tokenRevoke', objectType: 'user', objectId: bot.id, before: { token: tokenId }, after: { revoked: true } },
        trx,
      );
      return true;
    });
    if (!revoked) {
      // Revoked already (a double submit) answers as the first; a token of another bot is a 404.
      const query = { networkIds: [bot.networkId], action: 'core.bot.tokenRevoke', objectType: 'user', objectId: String(bot.id), limit: 50 };
      const entries = (await rt.audit.page(query)).rows;
      if (!entries.some((e) => (e.before as { token?: number } | null)?.token === tokenId)) throw new HttpError(404);
    }
    return toBot(ctx, bot.id, 'admin.bot.tokenRevoked');
  }

  const post = (name: string, path: string, handler: (ctx: RucheContext) => Promise<RouteResult>): RouteDef => ({
    name,
    method: 'POST',
    path,
    capability: ADMIN_ACCESS,
    handler,
  });

  return [
    { name: 'admin.bots', method: 'GET', path: '/admin/bots', capability: ADMIN_ACCESS, handler: (ctx) => listPage(ctx) },
    post('admin.bots.create', '/admin/bots', create),
    {
      name: 'admin.bot',
      method: 'GET',
      path: '/admin/bots/:id',
      capability: ADMIN_ACCESS,
      handler: async (ctx) => botPage(ctx, await botParam(ctx)),
    },
    post('admin.bot.update', '/admin/bots/:id', update),
    post('admin.bot.disable', '/admin/bots/:id/disable', (ctx) => setEnabled(ctx, false)),
    post('admin.bot.enable', '/admin/bots/:id/enable', (ctx) => setEnabled(ctx, true)),
    post('admin.bot.delete', '/admin/bots/:id/delete', remove),
    post('admin.bot.tokens.create', '/admin/bots/:id/tokens', createToken),
    post('admin.bot.tokens.revoke', '/admin/bots/:id/tokens/:tokenId/revoke', revokeToken),
  ];
}

/** What the audit log keeps of a bot. */
function botFacts(bot: BotRow): Record<string, unknown> {
  return {
    username: bot.username,
    displayName: bot.displayName,
    avatar: bot.photoKey,
    description: bot.description,
    enabled: bot.enabled,
    ...scopeSummary(bot),
  };
}
