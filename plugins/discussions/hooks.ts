/**
 * The discussions plugin's events, for notifications and other listeners (declaration
 * merging, so `hooks.emit('discussions:replied', ...)` is type-checked):
 *
 * - `discussions:started` fires once when a topic is created.
 * - `discussions:replied` fires after a reply was saved. `subscriberIds` are the members
 *   subscribed to the topic who may still see it, never the reply's author.
 * - `discussions:answered` fires when a reply is marked as the topic's accepted answer
 *   (`authorId` is the reply's author, `byId` who marked it).
 */
declare module '../../core/hooks/map' {
  interface HookEvents {
    'discussions:started': { networkId: number; topicId: number; authorId: number; containerId: number | null };
    'discussions:replied': { networkId: number; topicId: number; replyId: number; authorId: number; subscriberIds: number[] };
    'discussions:answered': { networkId: number; topicId: number; replyId: number; authorId: number; byId: number };
  }
}

export {};
