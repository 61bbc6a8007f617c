// Messages between the page and the catch-up worker (see catch-up.worker.ts).
import type { GroupId, UserId } from '@canopy/shared';
import type { GroupSummary } from './local-cache.js';

export type CatchUpCommand =
  /** first message: whose copies, and the relay's base URL (…/sync) */
  | { type: 'start'; user: { id: UserId; username: string }; syncUrl: string }
  /** bring this group's copy up to date and follow it for a while */
  | { type: 'follow'; groupId: GroupId }
  /** the page opened this group itself: stop following it here */
  | { type: 'drop'; groupId: GroupId };

export type CatchUpReport =
  /** the group's copy is up to date with the relay (and changed since the last report) */
  | { type: 'summary'; groupId: GroupId; summary: GroupSummary }
  /** no longer followed: dropped, pushed out by newer ones, or its connection closed */
  | { type: 'stopped'; groupId: GroupId };
