/**
 * The conversations that exist once, named by `conversations.unique_key`: the direct
 * conversation of a pair of members in a network, the room of a group, the room of a
 * network. The unique index makes concurrent creators converge on one row.
 */

/** The direct conversation between two members in a network (either order). */
export const directKey = (networkId: number, a: number, b: number): string => `direct:${networkId}:${Math.min(a, b)}:${Math.max(a, b)}`;

/** The room of a group (`room`, keyed by the group) or of a network (`network`). */
export const roomKey = (kind: 'room' | 'network', networkId: number, containerId: number | null): string =>
  kind === 'room' ? `room:${Number(containerId)}` : `network:${networkId}`;
