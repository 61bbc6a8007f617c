// Who may do what in a group. Non-members get 404 (not 403) so group ids cannot be probed.
import { isModerator } from '@canopy/shared';
import type { GroupRole } from '@canopy/shared';
import type { GroupRow, GroupStore } from '../db/group-store.js';
import { forbidden, notFound } from './api-error.js';

export interface GroupAccess {
  group: GroupRow;
  role: GroupRole;
}

export function requireMember(groups: GroupStore, groupId: string, userId: string): GroupAccess {
  const group = groups.get(groupId);
  const m = group ? groups.membership(groupId, userId) : null;
  if (!group || m?.kind !== 'member') throw notFound('group');
  return { group, role: m.role };
}

export function requireModerator(access: GroupAccess): void {
  if (!isModerator(access.role)) throw forbidden('only the group owner or an admin may do this');
}

export function requireNotDm(access: GroupAccess): void {
  if (access.group.kind === 'dm')
    throw forbidden('direct messages have exactly two members and no settings');
}
