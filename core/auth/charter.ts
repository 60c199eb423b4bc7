/**
 * The usage charter of a network: members accept its current version before using the
 * network, and again whenever an admin publishes a new version. Acceptances are recorded
 * with the version and time; accepted (member, network, version) triples are cached.
 */
import type { Knex } from 'knex';
import type { NetworkInfo } from '../http/context';

export class Charters {
  private readonly accepted = new Set<string>();

  constructor(private readonly db: Knex) {}

  /** Whether the member must accept the network's charter before going on. */
  async mustAccept(userId: number, network: NetworkInfo): Promise<boolean> {
    if (!network.charterVersion) return false;
    const key = `${userId}:${network.id}:${network.charterVersion}`;
    if (this.accepted.has(key)) return false;
    const row = await this.db('charter_acceptances')
      .where({ user_id: userId, network_id: network.id, version: network.charterVersion })
      .first('accepted_at');
    if (row) this.accepted.add(key);
    return !row;
  }

  async accept(userId: number, network: NetworkInfo): Promise<void> {
    if (!network.charterVersion) return;
    await this.db('charter_acceptances')
      .insert({ user_id: userId, network_id: network.id, version: network.charterVersion, accepted_at: Date.now() })
      .onConflict(['user_id', 'network_id', 'version'])
      .ignore();
    this.accepted.add(`${userId}:${network.id}:${network.charterVersion}`);
  }

  /** When the member accepted the current version, if they did. */
  async acceptedAt(userId: number, network: NetworkInfo): Promise<number | null> {
    const row = await this.db('charter_acceptances')
      .where({ user_id: userId, network_id: network.id, version: network.charterVersion })
      .first('accepted_at');
    return row ? Number(row.accepted_at) : null;
  }
}
