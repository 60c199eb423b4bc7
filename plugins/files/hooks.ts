/**
 * The files plugin's events (declaration merging, so `hooks.emit('files:shared', ...)` is
 * type-checked):
 *
 * - `files:shared` fires once per upload, with the ids of the files it made.
 * - `files:deleted` fires after a file was deleted by its owner, a group admin or a moderator.
 */
declare module '../../core/hooks/map' {
  interface HookEvents {
    'files:shared': { networkId: number; entityIds: number[]; ownerId: number };
    'files:deleted': { networkId: number; entityId: number; ownerId: number; byId: number };
  }
}

export {};
