/**
 * Writing to the audit log from a route handler: the actor, their address and the
 * request's network are the request's own, so a handler names only what it did.
 */
import { clientAddress } from '../http/client-address';
import type { Knex } from 'knex';
import type { RucheContext } from '../http/context';
import type { AuditEntry } from './audit-log';

export type AuditAction = Omit<AuditEntry, 'actorId' | 'actorName' | 'ip' | 'networkId'> & {
  /** Default: the request's network. `null` for an installation-wide object. */
  networkId?: number | null;
};

/** The request's viewer and address as an entry's actor (for a service recording the entry itself). */
export function auditActor(ctx: RucheContext): Pick<AuditEntry, 'actorId' | 'actorName' | 'ip'> {
  const viewer = ctx.state.viewer;
  return { actorId: viewer?.id ?? null, actorName: viewer ? `${viewer.displayName} (@${viewer.username})` : '', ip: clientAddress(ctx) };
}

/**
 * Records `entry` as done by the request's viewer, from the request's address; inside `trx`
 * when given, so the entry commits with the change it describes.
 */
export async function auditAction(ctx: RucheContext, entry: AuditAction, trx?: Knex.Transaction): Promise<void> {
  await ctx.ruche.audit.record(
    {
      ...entry,
      networkId: entry.networkId === undefined ? ctx.state.network.id : entry.networkId,
      ...auditActor(ctx),
    },
    trx,
  );
}
