// Turns the relay's "something was written to group G" signals into 'activity' events
// for G's members (except the writer) on their event streams: a new message, or an edit or
// deletion of one (`change`, so sidebars refresh a preview). No message text travels.
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import type { EventHub } from './event-hub.js';

export interface ActivitySource {
  onActivity(
    listener: (a: {
      groupId: GroupId;
      authorId: UserId;
      messageId?: MessageId;
      change?: 'edit' | 'delete';
      at: number;
    }) => void,
  ): () => void;
}

export function connectActivity(
  source: ActivitySource,
  hub: EventHub,
  memberIds: (groupId: string) => string[],
): () => void {
  return source.onActivity((a) => {
    // Most writes happen with nobody listening on the event channel: skip the lookup.
    if (!hub.hasSubscribers()) return;
    const targets = memberIds(a.groupId).filter(
      (id) => id !== a.authorId && hub.hasSubscribers(id),
    );
    if (targets.length === 0) return;
    hub.publish(targets, {
      type: 'activity',
      groupId: a.groupId,
      authorId: a.authorId,
      at: a.at,
      ...(a.messageId ? { messageId: a.messageId } : {}),
      ...(a.change ? { change: a.change } : {}),
    });
  });
}
