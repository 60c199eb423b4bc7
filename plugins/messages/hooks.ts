/**
 * The messages plugin's contract with others.
 *
 *  - `messages:blocks` (filter): given member ids, which of them block or are blocked by
 *    `userId`. The activity plugin filters mentions through it (a blocked member cannot
 *    mention the one who blocked them); the notifications plugin can ask it too.
 *  - `messages:posted` (event): a message was stored and published.
 *  - `messages:changed` (event): members joined or left a conversation, or a message was
 *    edited or deleted (the chat plugin re-checks who receives what).
 */
declare module '../../core/hooks/map' {
  interface HookFilters {
    'messages:blocks': { value: number[]; context: { userId: number; candidateIds: number[]; direction: 'blockedBy' | 'either' } };
  }
  interface HookEvents {
    'messages:posted': { networkId: number; conversationId: number; seq: number; authorId: number; recipientIds: number[] };
  }
}

/** The pubsub channel of conversation changes; payloads are `<kind>:<conversationId>:<n>`. */
export const CHANNEL = 'ruche_messages';

/**
 * `m` new message (n = seq) · `e` edited or deleted (n = message id) · `r` read (n = user id) ·
 * `t` typing (n = user id) · `a` audience changed (n = user id) · `o`/`w`/`x` online, away,
 * offline (n = user id).
 */
export type ChangeKind = 'm' | 'e' | 'r' | 't' | 'a' | 'o' | 'w' | 'x';

export function changePayload(kind: ChangeKind, conversationId: number, n: number): string {
  return `${kind}:${conversationId}:${n}`;
}

export function parseChange(payload: string): { kind: ChangeKind; conversationId: number; n: number } | null {
  const m = /^([mertaowx]):(\d{1,15}):(\d{1,15})$/.exec(payload);
  return m ? { kind: m[1] as ChangeKind, conversationId: Number(m[2]), n: Number(m[3]) } : null;
}
