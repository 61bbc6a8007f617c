// Turns the relay's "something was written to group G" signals into 'activity' events
// for G's members (except the writer) on their event streams: a new message, or an edit or
// deletion of one (`change`, so sidebars refresh a preview). Members a new message mentions
// get `mention: true`. No message text travels.
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import type { EventHub } from './event-hub.js';

export interface ActivitySource {
  onActivity(
    listener: (a: {
      groupId: GroupId;
      authorId: UserId;
      messageId?: MessageId;
      change?: 'edit' | 'delete';
      mentions?: string[];
      at: number;
    }) => void,
  ): () => void;
}

export function connectActivity(
  source: ActivitySource,
  hub: EventHub,
  memberIds: (groupId: string) => string[],
  /** a member's username (lower case), asked only for messages that mention someone */
  usernameOf: (userId: string) => string | undefined,
): () => void {
  return source.onActivity((a) => {
    // Most writes happen with nobody listening on the event channel: skip the lookup.
    if (!hub.hasSubscribers()) return;
    const targets = memberIds(a.groupId).filter(
      (id) => id !== a.authorId && hub.hasSubscribers(id),
    );
    if (targets.length === 0) return;
    const event = {
      type: 'activity' as const,
      groupId: a.groupId,
      authorId: a.authorId,
      at: a.at,
      ...(a.messageId ? { messageId: a.messageId } : {}),
      ...(a.change ? { change: a.change } : {}),
    };
    const named = new Set(a.mentions);
    const mentioned =
      named.size === 0 ? [] : targets.filter((id) => named.has(usernameOf(id) ?? ''));
    if (mentioned.length > 0) hub.publish(mentioned, { ...event, mention: true });
    if (mentioned.length < targets.length)
      hub.publish(
        targets.filter((id) => !mentioned.includes(id)),
        event,
      );
  });
}
