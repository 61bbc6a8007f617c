// The IndexedDB databases of group documents: one per user and group, so accounts on one
// device never mix.
import type { GroupId, UserId } from '@canopy/shared';

/** IndexedDB name of a group's document. */
export function groupDbName(userId: UserId, groupId: GroupId): string {
  return `${groupDbPrefix(userId)}${groupId}`;
}

/** What the names of all of a user's group databases start with. */
export function groupDbPrefix(userId: UserId): string {
  return `canopy:${userId}:`;
}
