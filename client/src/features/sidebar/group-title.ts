// Display name of a group: a DM is named after the other person.
import type { Group, UserId } from '@canopy/shared';
import type { Workspace } from '../../state/workspace.js';

export function otherMember(ws: Workspace, group: Group): UserId | undefined {
  return group.members.find((m) => m.userId !== ws.me.id)?.userId;
}

export function groupTitle(ws: Workspace, group: Group): string {
  if (group.kind !== 'dm') return group.name;
  const other = otherMember(ws, group);
  const name = other ? ws.userName(other) : '';
  if (name && name !== 'Unknown member') return name;
  return group.name || 'Direct message';
}
