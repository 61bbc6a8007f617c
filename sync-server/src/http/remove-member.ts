// Takes a member out of a group, with what follows: their sockets in the group close, their
// event streams hear it, the audit log has it, and the other members get the group as it
// is now (a new owner, should the owner have left). The last member out deletes the group.
// Shared by leaving, removal by a moderator and deleting one's account.
import { CloseCode } from '@canopy/shared';
import type { Group, GroupId, UserId } from '@canopy/shared';
import { AuditAction } from '../audit.js';
import type { RouteDeps } from './route-deps.js';

/** Everyone in the group hears it as it is now (members, roles, name, topic). */
export function announceGroup({ services }: Pick<RouteDeps, 'services'>, group: Group): void {
  services.hub.publish(
    group.members.map((m) => m.userId),
    { type: 'group', group },
  );
}

/** false when `userId` was not a member. */
export function removeMember(
  deps: Pick<RouteDeps, 'services' | 'relay'>,
  groupId: GroupId,
  userId: UserId,
  actorId: string,
): boolean {
  const { groups, hub, audit } = deps.services;
  const outcome = groups.removeMember(groupId, userId);
  if (outcome.kind === 'not-member') return false;
  const leaving = actorId === userId;
  deps.relay.closeMember(groupId, userId, CloseCode.NOT_MEMBER, leaving ? 'left' : 'removed');
  hub.publish([userId], { type: 'group-removed', groupId });
  audit.write({
    action: leaving ? AuditAction.groupMemberLeft : AuditAction.groupMemberRemoved,
    actorId,
    targetId: userId,
    groupId,
    details:
      outcome.kind === 'removed' && outcome.newOwner ? { newOwner: outcome.newOwner } : undefined,
  });
  if (outcome.kind === 'group-deleted') {
    audit.write({ action: AuditAction.groupDeleted, actorId, groupId });
  } else {
    announceGroup(deps, groups.load(groupId)!);
  }
  return true;
}
