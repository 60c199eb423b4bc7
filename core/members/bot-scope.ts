/**
 * Where a bot (core/members/bots.ts) may act: the networks it is a member of, and for a bot
 * scoped to groups, its groups only. Reading is narrowed by the access model
 * (`Viewer.containers`); these checks refuse what it would write elsewhere — and any request it
 * makes in a network outside its scope — with a 403 of the stable code `bot_out_of_scope`.
 */
import type { Knex } from 'knex';
import { BOT_KIND, type Viewer } from '../auth/viewer';
import { HttpError } from '../errors';

export const BOT_OUT_OF_SCOPE = 'bot_out_of_scope';

export const botOutOfScope = (): HttpError => new HttpError(403, 'core.bot.outOfScope', {}, BOT_OUT_OF_SCOPE);

/** Refuses a bot's request in a network it is not a member of (every request a bot token makes). */
export function requireBotNetwork(viewer: Viewer | null, networkId: number): void {
  if (viewer?.isBot && viewer.roles[networkId] === undefined) throw botOutOfScope();
}

/**
 * Refuses a new entity of a bot outside its scope (inside the creating transaction): another
 * network, or for a bot scoped to groups, anything not posted into one of its groups.
 */
export async function requireBotScope(db: Knex, e: { ownerId: number; networkId: number; containerId?: number | null }): Promise<void> {
  // One read for every new entity: the owner's kind, and a bot's scope beside it.
  const owner = (await db('users as u').leftJoin('bots as b', 'b.user_id', 'u.id').where('u.id', e.ownerId).first('u.kind', 'b.scope')) as
    { kind: string; scope: string | null } | undefined;
  if (owner?.kind !== BOT_KIND) return;
  if (!owner.scope || !(await db('memberships').where({ user_id: e.ownerId, network_id: e.networkId }).first('user_id'))) throw botOutOfScope();
  if (owner.scope !== 'groups') return;
  const inGroup = e.containerId && (await db('container_members').where({ user_id: e.ownerId, container_id: e.containerId }).first('user_id'));
  if (!inGroup) throw botOutOfScope();
}
