// Presence and typing over Yjs awareness. Local state: `{ user: { id, name }, typing }`.
// Remote states are untrusted shapes: read defensively, never assume fields exist.
import type { Awareness } from 'y-protocols/awareness';
import type { UserId } from '@canopy/shared';
import { isId } from '@canopy/shared';

export interface PeerState {
  userId: UserId;
  name: string;
  typing: boolean;
}

function readPeer(state: unknown): PeerState | null {
  if (typeof state !== 'object' || state === null) return null;
  const user = (state as { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return null;
  const { id, name } = user as { id?: unknown; name?: unknown };
  if (!isId(id)) return null;
  return {
    userId: id as UserId,
    name: typeof name === 'string' ? name.slice(0, 64) : '',
    typing: (state as { typing?: unknown }).typing === true,
  };
}

/** Peers by user (several tabs of one user collapse into one; typing if any tab types). */
export function peers(awareness: Awareness): Map<UserId, PeerState> {
  const out = new Map<UserId, PeerState>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const peer = readPeer(state);
    if (!peer) continue;
    const prev = out.get(peer.userId);
    out.set(peer.userId, prev ? { ...prev, typing: prev.typing || peer.typing } : peer);
  }
  return out;
}

export function setTyping(awareness: Awareness, typing: boolean): void {
  const local = awareness.getLocalState();
  if (!local || local['typing'] === typing) return;
  awareness.setLocalStateField('typing', typing);
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * Calls `listener` when another client's awareness state changed. Changes of this tab's own
 * state (typing on and off while sending) do not alter `peers()`, so they are skipped.
 */
export function onPeersChange(awareness: Awareness, listener: () => void): () => void {
  const own = awareness.clientID;
  const handler = (change: AwarenessChange): void => {
    const others = (ids: number[]): boolean => ids.some((id) => id !== own);
    if (others(change.added) || others(change.updated) || others(change.removed)) listener();
  };
  awareness.on('change', handler);
  return () => awareness.off('change', handler);
}
