/** The events this plugin emits (for the notifications plugin and others). */
export interface CommentEvent {
  networkId: number;
  entityId: number;
  commentId: number;
  /** Who wrote the comment. */
  authorId: number;
  /** Owner of the entity commented on. */
  ownerId: number;
  /** The top-level comment this one replies to, and its author. */
  parentId: number | null;
  parentAuthorId: number | null;
}

declare module '../../core/hooks/map' {
  interface HookEvents {
    'comments:created': CommentEvent;
    'comments:edited': CommentEvent;
    /** `byId` deleted it: the author or a moderator. */
    'comments:deleted': CommentEvent & { byId: number };
  }
}
