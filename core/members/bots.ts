/**
 * Service accounts (bots): a member row marked `users.kind = 'bot'`, managed by the admins of
 * one network. A bot has no password and no email of its own: it never signs in on the web
 * (password login, reset links, SSO matching and sessions all refuse it) and acts only through
 * API tokens its admins create for it (core/auth/api-tokens.ts, the same machinery as
 * personal tokens).
 *
 * Its scope is membership, so the access model decides what it reads and where it posts:
 * `network` — a member of its network; `subnetworks` — also of the sub-networks chosen;
 * `groups` — a member of its network whose reading and posting are narrowed to the groups
 * (containers) it is a member of (`Viewer.containers`, core/access/access.ts). A bot holds the
 * `member` role only: never admin or moderator, of a network or of a group.
 */
import type { Knex } from 'knex';
import { revokeApiTokens } from '../auth/api-tokens';
import { isValidUsername, type FieldErrors } from '../auth/users';
import { BOT_KIND } from '../auth/viewer';
import { oneOf } from '../one-of';

export const BOT_SCOPES = ['network', 'subnetworks', 'groups'] as const;
export type BotScope = (typeof BOT_SCOPES)[number];
export const isBotScope = oneOf(BOT_SCOPES);

export const BOT_NAME_MAX = 100;
export const BOT_DESCRIPTION_MAX = 500;

/** What the admin form sends. */
export interface BotInput {
  displayName: string;
  username: string;
  description: string;
  scope: BotScope;
  /** The sub-networks it also belongs to (`subnetworks` scope). */
  networkIds: number[];
  /** The groups it acts in (`groups` scope). */
  groupIds: number[];
}

/** A bot as the admin pages show it. */
export interface BotRow {
  id: number;
  username: string;
  displayName: string;
  description: string;
  photoKey: string | null;
  enabled: boolean;
  scope: BotScope;
  /** The network that manages it. */
  networkId: number;
  /** Every network it is a member of (its own first). */
  networkIds: number[];
  groupIds: number[];
  createdAt: number;
}

/** What a form may choose for this network: its sub-networks and groups the admin may give. */
export interface BotChoices {
  networkIds: readonly number[];
  groupIds: readonly number[];
}

/** The address stored for a bot (the column is required and unique); `.invalid` never reaches anyone. */
export const botEmail = (username: string): string => `${username.trim().toLowerCase()}@bot.invalid`;

export class Bots {
  constructor(private readonly db: Knex) {}

  /** Checks the form against what this network may choose; `botId` when editing (its username stays). */
  async validate(input: BotInput, choices: BotChoices, botId?: number): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const name = input.displayName.trim();
    if (!name) errors.displayName = { key: 'core.bot.error.nameRequired' };
    else if (name.length > BOT_NAME_MAX) errors.displayName = { key: 'core.bot.error.nameTooLong', params: { max: BOT_NAME_MAX } };
    if (botId === undefined) {
      const username = input.username.trim();
      if (!username) errors.username = { key: 'core.user.error.usernameRequired' };
      else if (!isValidUsername(username)) errors.username = { key: 'core.user.error.usernameFormat' };
      else if (await this.db('users').where({ username_lower: username.toLowerCase() }).first('id'))
        errors.username = { key: 'core.user.error.usernameTaken' };
    }
    if (input.description.length > BOT_DESCRIPTION_MAX)
      errors.description = { key: 'core.bot.error.descriptionTooLong', params: { max: BOT_DESCRIPTION_MAX } };
    if (!isBotScope(input.scope)) errors.scope = { key: 'core.bot.error.scope' };
    else if (input.scope === 'groups' && !input.groupIds.length) errors.scope = { key: 'core.bot.error.groupsRequired' };
    else if (input.scope === 'subnetworks' && !input.networkIds.length) errors.scope = { key: 'core.bot.error.networksRequired' };
    else if (input.groupIds.some((id) => !choices.groupIds.includes(id)) || input.networkIds.some((id) => !choices.networkIds.includes(id)))
      errors.scope = { key: 'core.bot.error.scope' };
    return errors;
  }

  /** Creates the bot (account, memberships, scope) inside `trx`; answers its id. */
  async create(trx: Knex, networkId: number, input: BotInput, createdBy: number): Promise<number> {
    const now = Date.now();
    const username = input.username.trim();
    const [row] = await trx('users')
      .insert({
        username,
        username_lower: username.toLowerCase(),
        email: botEmail(username),
        email_lower: botEmail(username),
        display_name: input.displayName.trim(),
        password_hash: null,
        status: 'active',
        is_root_admin: false,
        kind: BOT_KIND,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await trx('bots').insert({
      user_id: id,
      network_id: networkId,
      description: input.description.trim(),
      scope: input.scope,
      created_by: createdBy,
      created_at: now,
    });
    await this.writeScope(trx, id, networkId, input, now);
    return id;
  }

  /** Changes the name, description and scope inside `trx`. */
  async update(trx: Knex, bot: BotRow, input: BotInput): Promise<void> {
    const now = Date.now();
    await trx('users').where({ id: bot.id }).update({ display_name: input.displayName.trim(), updated_at: now });
    await trx('bots').where({ user_id: bot.id }).update({ description: input.description.trim(), scope: input.scope });
    await trx('memberships').where({ user_id: bot.id }).delete();
    await trx('container_members').where({ user_id: bot.id }).delete();
    await this.writeScope(trx, bot.id, bot.networkId, input, now);
  }

  /**
   * Disables (its tokens stop working: an inactive account is refused) or enables the bot;
   * false when it was so already (a concurrent submit changed it first).
   */
  async setEnabled(trx: Knex, botId: number, enabled: boolean): Promise<boolean> {
    const n = await trx('users')
      .where({ id: botId, status: enabled ? 'suspended' : 'active' })
      .update({ status: enabled ? 'active' : 'suspended', updated_at: Date.now() });
    return Number(n) > 0;
  }

  /**
   * Takes the bot out of service inside `trx`: its tokens revoked, its row gone; false when
   * another request retired it first.
   * The account itself is then anonymised by the caller (core/members/deletion.ts), its posts
   * staying as from a former member.
   */
  async retire(trx: Knex, botId: number): Promise<boolean> {
    // The row goes first: a concurrent retirement waits for it, then finds nothing to do.
    if (!Number(await trx('bots').where({ user_id: botId }).delete())) return false;
    await revokeApiTokens(trx, botId);
    await trx('users').where({ id: botId }).update({ status: 'suspended', updated_at: Date.now() });
    return true;
  }

  /** The bots a network manages, newest first. */
  async list(networkId: number): Promise<BotRow[]> {
    const rows = await this.rows(this.db('bots as b').where('b.network_id', networkId).orderBy('b.created_at', 'desc').orderBy('b.user_id', 'desc'));
    return rows;
  }

  /** One bot of the network, or undefined (another network's bot included). */
  async get(networkId: number, botId: number, trx: Knex = this.db): Promise<BotRow | undefined> {
    if (!Number.isSafeInteger(botId) || botId <= 0) return undefined;
    const [row] = await this.rows(trx('bots as b').where({ 'b.network_id': networkId, 'b.user_id': botId }), trx);
    return row;
  }

  private async rows(q: Knex.QueryBuilder, db: Knex = this.db): Promise<BotRow[]> {
    const rows = (await q
      .join('users as u', 'u.id', 'b.user_id')
      .select(
        'b.user_id',
        'b.network_id',
        'b.description',
        'b.scope',
        'b.created_at',
        'u.username',
        'u.display_name',
        'u.photo_key',
        'u.status',
      )) as {
      user_id: number;
      network_id: number;
      description: string;
      scope: BotScope;
      created_at: number;
      username: string;
      display_name: string;
      photo_key: string | null;
      status: string;
    }[];
    if (!rows.length) return [];
    const ids = rows.map((r) => Number(r.user_id));
    const networks = await db('memberships').whereIn('user_id', ids).orderBy('network_id').select('user_id', 'network_id');
    const groups = await db('container_members').whereIn('user_id', ids).orderBy('container_id').select('user_id', 'container_id');
    const of = (list: Record<string, unknown>[], id: number, column: string) =>
      list.filter((r) => Number(r.user_id) === id).map((r) => Number(r[column]));
    return rows.map((r) => {
      const id = Number(r.user_id);
      const networkId = Number(r.network_id);
      return {
        id,
        username: r.username,
        displayName: r.display_name,
        description: r.description,
        photoKey: r.photo_key ?? null,
        enabled: r.status === 'active',
        scope: r.scope,
        networkId,
        networkIds: [networkId, ...of(networks, id, 'network_id').filter((n) => n !== networkId)],
        groupIds: r.scope === 'groups' ? of(groups, id, 'container_id') : [],
        createdAt: Number(r.created_at),
      };
    });
  }

  /** The memberships the scope stands for: its network always, plus the chosen sub-networks or groups. */
  private async writeScope(trx: Knex, botId: number, networkId: number, input: BotInput, now: number): Promise<void> {
    const networkIds = [networkId, ...(input.scope === 'subnetworks' ? input.networkIds.filter((id) => id !== networkId) : [])];
    await trx('memberships').insert([...new Set(networkIds)].map((id) => ({ user_id: botId, network_id: id, role: 'member', created_at: now })));
    if (input.scope === 'groups')
      await trx('container_members').insert(
        [...new Set(input.groupIds)].map((id) => ({ container_id: id, user_id: botId, role: 'member', created_at: now })),
      );
  }
}
