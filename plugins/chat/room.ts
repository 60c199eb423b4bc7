/**
 * A conversation as the hub holds it in this process: the sockets in it, and a window of the
 * messages it stored recently (rows handed over after commit, with their frames once
 * rendered), so a round delivers them without a read when the window holds them all.
 */
import type { WebSocket } from 'ws';
import type { Viewer } from '../../core';
import type { ConversationRow, MessageRow } from '../messages/api';
import type { Frame } from './frames';

export interface Client {
  ws: WebSocket;
  viewer: Viewer;
  networkId: number;
  locale: string;
  /** Conversation id → last seq sent to this socket. */
  subs: Map<number, number>;
  typingAt: number;
  state: 'online' | 'away';
}

export interface Room {
  clients: Set<Client>;
  conversation: ConversationRow | null;
  /** The highest seq known to be stored (from notifications and this process's sends). */
  latest: number;
  /** Recent messages by seq, with their frames once rendered (see `windowOf`). */
  recent: Map<number, { row: MessageRow; frame: Frame | null }>;
}

/** Messages kept per conversation for delivery without a read. */
export const WINDOW = 256;

/** Keeps a stored message in the room's window (its frames rendered when first sent). */
export function keepRecent(room: Room, m: MessageRow): void {
  room.recent.set(m.seq, { row: m, frame: null });
  room.latest = Math.max(room.latest, m.seq);
}

/** Drops the window's messages up to `seq`. */
export function forgetBefore(room: Room, seq: number): void {
  for (const s of room.recent.keys()) if (s <= seq) room.recent.delete(s);
}

/** The rows after `from` up to the latest known seq when the window holds every one of them; else null (read them). */
export function windowOf(room: Room, from: number): MessageRow[] | null {
  if (room.latest <= from) return [];
  const rows: MessageRow[] = [];
  for (let seq = from + 1; seq <= room.latest; seq++) {
    const hit = room.recent.get(seq);
    if (!hit) return null;
    rows.push(hit.row);
  }
  return rows;
}
