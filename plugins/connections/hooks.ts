/**
 * The events this plugin emits (for the notifications plugin and others), and the one it
 * listens to: `connections:notifyFollowers` asks for a notification to each follower of
 * `userId` (e.g. a new blog post), so that no other plugin reads its `follows` table.
 */
import type { NotifyInput } from '../notifications/hooks';

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
    'connections:notifyFollowers': { networkId: number; userId: number; notify: Omit<NotifyInput, 'networkId' | 'userId'> };
  }
}
