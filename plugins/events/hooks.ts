/**
 * The events plugin's events, for notifications and other listeners (declaration merging):
 *
 * - `events:created` once an event is saved.
 * - `events:changed` when its time or place changed (those who answered are told).
 * - `events:cancelled` when an organiser cancelled it (those who answered are told).
 * - `events:deleted` after it was deleted (soft).
 * - `events:promoted` when a member moved from the waiting list to a place.
 *
 * And one filter, `events:attendeesForOrganiser` (below), that the plugin answers.
 */
import type { RucheContext } from '../../core';

/** An event's attendees as its organisers see them (`events:attendeesForOrganiser`). */
export interface OrganiserAttendees {
  eventId: number;
  title: string;
  startsAt: number;
  /** When it ends: name badges carry codes that last until then. */
  endsAt: number;
  /** Members who answered "going" (active accounts), by name. */
  attendees: { id: number; username: string; displayName: string }[];
}

declare module '../../core/hooks/map' {
  interface HookFilters {
    /**
     * The attendees of event `eventId` of the request's network, when the viewer may change
     * it (its author, a co-organiser, a moderator) and see it; `null` otherwise. For plugins
     * that make something for the organisers (the connect plugin's printable name badges).
     */
    'events:attendeesForOrganiser': { value: OrganiserAttendees | null; context: { ctx: RucheContext; eventId: number } };
  }
  interface HookEvents {
    'events:created': { networkId: number; entityId: number; authorId: number };
    'events:changed': { networkId: number; entityId: number; byId: number };
    'events:cancelled': { networkId: number; entityId: number; byId: number };
    'events:deleted': { networkId: number; entityId: number; byId: number };
    'events:promoted': { networkId: number; entityId: number; userId: number };
  }
}
