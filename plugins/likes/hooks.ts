/** The events this plugin emits (for the notifications plugin and others). */
export interface ReactionEvent {
  networkId: number;
  entityId: number;
  /** The member who reacted. */
  userId: number;
  /** Owner of the entity. */
  ownerId: number;
  reaction: string;
}

declare module '../../core/hooks/map' {
  interface HookEvents {
    /** A member reacted, or changed their reaction (`previous` is then the old one). */
    'likes:reacted': ReactionEvent & { previous: string | null };
    'likes:withdrawn': ReactionEvent;
  }
}
