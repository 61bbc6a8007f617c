// Message records for unit tests: a text message by `authorId`, valid against the schema.
import { makeId } from '@canopy/shared';
import type { MessageId, MessageRecord, UserId } from '@canopy/shared';

export function textRecord(authorId: UserId, text: string): MessageRecord {
  return { id: makeId<MessageId>(), authorId, createdAt: Date.now(), kind: 'text', text };
}
