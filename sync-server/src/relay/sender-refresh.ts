// Membership and role as of now, not as of the upgrade: a demoted moderator or a removed
// member must not write with the rights they had when the socket opened. The relay asks
// before judging every update frame (one prepared statement).
import { CloseCode } from '@canopy/shared';
import type { GroupId } from '@canopy/shared';
import type { Logger } from '../log.js';
import type { MembershipAnswer, RelayAccess } from './relay-types.js';
import type { RoomPeer } from './room-peer.js';

/** Refresh `peer.sender`; returns the close code when the peer may no longer write. */
export function refreshSender(
  access: RelayAccess,
  log: Logger,
  groupId: GroupId,
  peer: RoomPeer,
): { ok: true } | { ok: false; code: number; reason: string } {
  let answer: MembershipAnswer;
  try {
    answer = access.membership(groupId, peer.identity.userId);
  } catch (err) {
    log.error({ err, groupId }, 'membership check failed');
    return { ok: false, code: CloseCode.ROOM_UNAVAILABLE, reason: 'membership check failed' };
  }
  if (answer.kind === 'member') {
    const { sender } = peer;
    if (sender.role !== answer.role || sender.isBot !== answer.isBot) {
      const { role, isBot, conversation } = answer;
      peer.sender = { userId: sender.userId, role, isBot, conversation };
    }
    return { ok: true };
  }
  const code = answer.kind === 'no-group' ? CloseCode.GROUP_NOT_FOUND : CloseCode.NOT_MEMBER;
  return { ok: false, code, reason: 'no longer a member' };
}
