/** The events this plugin emits (for the notifications plugin and others). */
export interface ConnectionEvent {
  networkId: number;
  /** The member who acted (follower, requester, accepter, remover...). */
  fromId: number;
  /** The other member. */
  toId: number;
}

declare module '../../core/hooks/map' {
  interface HookEvents {
    'connections:followed': ConnectionEvent;
    'connections:unfollowed': ConnectionEvent;
    'connections:requested': ConnectionEvent;
    'connections:accepted': ConnectionEvent;
    'connections:declined': ConnectionEvent;
    'connections:removed': ConnectionEvent;
  }
}
