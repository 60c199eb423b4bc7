/**
 * The messages plugin's contract with others.
 *
 *  - it answers the core's `people:blocks` filter: given member ids, which of them block or
 *    are blocked by `userId` (core mentions and connections ask it).
 *  - `messages:posted` (event): a message was stored and published.
 *  - `messages:changed` (event): members joined or left a conversation, or a message was
 *    edited or deleted (the chat plugin re-checks who receives what).
 */
declare module '../../core/hooks/map' {
  interface HookEvents {
    'messages:posted': { networkId: number; conversationId: number; seq: number; authorId: number; recipientIds: number[] };
  }
}

/** The pubsub channel of conversation changes; payloads are `<kind>:<conversationId>:<n>`. */
export const CHANNEL = 'ruche_messages';

/**
 * `m` new message (n = seq) · `e` edited or deleted (n = message id) · `r` read (n = user id) ·
 * `t` typing (n = user id) · `a` audience changed (n = user id) · `o`/`w`/`x` online, away,
 * offline (n = user id). A process that sees someone come online elsewhere answers with who
 * is connected to it: `h:<conversationId>:<online ids>|<away ids>` (see `herePayloads`).
 */
export type ChangeKind = 'm' | 'e' | 'r' | 't' | 'a' | 'o' | 'w' | 'x';

export function changePayload(kind: ChangeKind, conversationId: number, n: number): string {
  return `${kind}:${conversationId}:${n}`;
}

export function parseChange(payload: string): { kind: ChangeKind; conversationId: number; n: number } | null {
  const m = /^([mertaowx]):(\d{1,15}):(\d{1,15})$/.exec(payload);
  return m ? { kind: m[1] as ChangeKind, conversationId: Number(m[2]), n: Number(m[3]) } : null;
}

/** Longest `h` payload (PostgreSQL's NOTIFY takes under 8,000 bytes). */
const HERE_MAX = 7_000;

/** Who is connected to this process in a conversation, as one or more `h` payloads. */
export function herePayloads(conversationId: number, states: Map<number, 'online' | 'away'>): string[] {
  const out: string[] = [];
  let online: number[] = [];
  let away: number[] = [];
  const flush = (): void => {
    if (online.length || away.length) out.push(`h:${conversationId}:${online.join(',')}|${away.join(',')}`);
    online = [];
    away = [];
  };
  for (const [user, state] of states) {
    (state === 'online' ? online : away).push(user);
    if ((online.length + away.length) * 16 > HERE_MAX) flush();
  }
  flush();
  return out;
}

export function parseHere(payload: string): { conversationId: number; states: Map<number, 'online' | 'away'> } | null {
  const m = payload.length <= HERE_MAX + 64 ? /^h:(\d{1,15}):([\d,]*)\|([\d,]*)$/.exec(payload) : null;
  if (!m) return null;
  const states = new Map<number, 'online' | 'away'>();
  for (const [list, state] of [
    [m[2], 'online'],
    [m[3], 'away'],
  ] as const)
    for (const id of list.split(',')) if (/^\d{1,15}$/.test(id)) states.set(Number(id), state);
  return { conversationId: Number(m[1]), states };
}
