/**
 * Typing and presence for one round of the chat hub. Signals that arrived since the last
 * round are merged per member (typing once; the latest presence wins) and sent as one
 * `presence` frame per socket and room, however many members came and went. A member who
 * comes online here gets a snapshot of everyone else connected here; when someone comes
 * online on another process, this one answers with who is connected to it (`h` payloads),
 * so every open tab sees everyone present whichever process serves them.
 */
import type { ChangeKind } from '../messages/hooks';
import type { Author } from '../messages/api';
import type { Client } from './hub';

/** Typing, and presence online / away / offline. */
export type Signal = Extract<ChangeKind, 't' | 'o' | 'w' | 'x'>;
type State = 'online' | 'away' | 'offline';

/** What a room has to say about people this round. */
export class RoomSignals {
  /** `t:<user>` and `p:<user>` → the signal (typing once, the latest presence). */
  private readonly signals = new Map<string, { user: number; kind: Signal }>();
  /** States other processes reported (answers to someone coming online). */
  private readonly remote = new Map<number, 'online' | 'away'>();

  add(kind: Signal, user: number): void {
    this.signals.set(`${kind === 't' ? 't' : 'p'}:${user}`, { user, kind });
  }

  addRemote(states: Map<number, 'online' | 'away'>): void {
    for (const [user, state] of states) this.remote.set(user, state);
  }

  get size(): number {
    return this.signals.size + this.remote.size;
  }

  /** Everyone this round may name (for their display names): with someone online, everyone connected here too. */
  users(clients: Client[]): number[] {
    const named = [...[...this.signals.values()].map((g) => g.user), ...this.remote.keys()];
    return [...this.signals.values()].some((g) => g.kind === 'o') ? [...named, ...clients.map((c) => c.viewer.id)] : named;
  }

  /**
   * Sends the round's frames to the room's sockets (`clients`: those allowed now) and
   * returns whether other processes need to hear who is connected here (someone came
   * online there, or left there while still connected here).
   */
  deliver(conversation: number, clients: Client[], names: Map<number, Author>): boolean {
    const here = localStates(clients);
    const entry = (user: number, state: State) => ({ user, name: names.get(user)?.display_name ?? '', state });
    // A member still connected here is as this process sees them, whatever another says.
    const changes = [...this.signals.values()]
      .filter((g) => g.kind !== 't')
      .map((g) => entry(g.user, here.get(g.user) ?? (g.kind === 'o' ? 'online' : g.kind === 'w' ? 'away' : 'offline')));
    // Answers about members connected here too are stale by construction: ours are exact.
    for (const [user, state] of this.remote) if (!here.has(user)) changes.push(entry(user, state));
    if (changes.length) sendAll(clients, JSON.stringify({ type: 'presence', conversation, members: changes }));
    // Someone came online elsewhere, or went offline elsewhere while still connected here: answer.
    let elsewhere = [...this.signals.values()].some((g) => g.kind === 'x' && here.has(g.user));
    for (const g of this.signals.values()) {
      if (g.kind === 't') {
        const text = JSON.stringify({ type: 'typing', conversation, user: g.user, name: names.get(g.user)?.display_name ?? '' });
        sendAll(
          clients.filter((c) => c.viewer.id !== g.user),
          text,
        );
      } else if (g.kind === 'o') {
        const own = clients.filter((c) => c.viewer.id === g.user);
        if (!own.length) elsewhere = true;
        const others = [...here].filter(([user]) => user !== g.user).map(([user, state]) => entry(user, state));
        if (own.length && others.length) sendAll(own, JSON.stringify({ type: 'presence', conversation, members: others }));
      }
    }
    return elsewhere;
  }
}

/** Members connected here with their state: online when any of their sockets is. */
export function localStates(clients: Iterable<Client>): Map<number, 'online' | 'away'> {
  const out = new Map<number, 'online' | 'away'>();
  for (const c of clients) if (out.get(c.viewer.id) !== 'online') out.set(c.viewer.id, c.state);
  return out;
}

function sendAll(clients: Client[], text: string): void {
  for (const c of clients) if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
}
