/**
 * The blogs plugin's events, for notifications and other listeners (declaration merging,
 * so `hooks.emit('blogs:published', ...)` is type-checked):
 *
 * - `blogs:published` fires once when a post becomes visible (published at once, or by the
 *   scheduled job at its date).
 * - `blogs:deleted` fires after a post was deleted (soft) by its author or a moderator.
 */
declare module '../../core/hooks/map' {
  interface HookEvents {
    'blogs:published': { networkId: number; entityId: number; authorId: number };
    'blogs:deleted': { networkId: number; entityId: number; authorId: number; byId: number };
  }
}

export {};
