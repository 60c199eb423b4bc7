/**
 * The events plugin's events, for notifications and other listeners (declaration merging):
 *
 * - `events:created` once an event is saved.
 * - `events:changed` when its time or place changed (those who answered are told).
 * - `events:cancelled` when an organiser cancelled it (those who answered are told).
 * - `events:deleted` after it was deleted (soft).
 * - `events:promoted` when a member moved from the waiting list to a place.
 */
declare module '../../core/hooks/map' {
  interface HookEvents {
    'events:created': { networkId: number; entityId: number; authorId: number };
    'events:changed': { networkId: number; entityId: number; byId: number };
    'events:cancelled': { networkId: number; entityId: number; byId: number };
    'events:deleted': { networkId: number; entityId: number; byId: number };
    'events:promoted': { networkId: number; entityId: number; userId: number };
  }
}

export {};
