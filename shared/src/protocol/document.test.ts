import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendMessage,
  groupDoc,
  messageRecordSchema,
  parseReactionKey,
  reactionKey,
  withUploadSettled,
} from './document.js';
import type { MessageRecord } from './document.js';
import { makeId } from '../model/ids.js';
import type { MessageId, UserId } from '../model/ids.js';

describe('group document', () => {
  it('appends messages at the end and keeps them as plain objects', () => {
    const doc = new Y.Doc();
    const authorId = makeId<UserId>();
    for (let i = 0; i < 3; i++) {
      appendMessage(doc, {
        id: makeId<MessageId>(),
        authorId,
        createdAt: i,
        kind: 'text',
        text: `m${i}`,
      });
    }
    const texts = groupDoc(doc)
      .messages.toArray()
      .map((m) => m.text);
    expect(texts).toEqual(['m0', 'm1', 'm2']);
  });

  it('rejects records with unknown fields or a malformed author', () => {
    const base = { id: makeId(), authorId: makeId(), createdAt: 1, kind: 'text', text: 'hi' };
    expect(messageRecordSchema.safeParse(base).success).toBe(true);
    expect(messageRecordSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(messageRecordSchema.safeParse({ ...base, authorId: '../x' }).success).toBe(false);
    expect(messageRecordSchema.safeParse({ ...base, kind: 'system' }).success).toBe(false);
  });

  it('round-trips reaction keys and refuses malformed ones', () => {
    const m = makeId<MessageId>();
    const u = makeId<UserId>();
    expect(parseReactionKey(reactionKey(m, u, '👍'))).toEqual({
      messageId: m,
      userId: u,
      emoji: '👍',
    });
    expect(parseReactionKey(`${m}/${u}/`)).toBeNull();
    expect(parseReactionKey('nope')).toBeNull();
    expect(parseReactionKey(`${m}/short/👍`)).toBeNull();
  });

  it('settles a pending attachment only once its bytes are stored', () => {
    const pending: MessageRecord = {
      id: makeId<MessageId>(),
      authorId: makeId<UserId>(),
      createdAt: 1,
      kind: 'file',
      attachment: { sha256: 'a'.repeat(64), mime: 'text/plain', size: 3, pending: true },
    };
    expect(withUploadSettled(pending, undefined)).toBe(pending);
    expect(withUploadSettled(pending, { state: 'failed', at: 2 })).toBe(pending);
    const settled = withUploadSettled(pending, { state: 'stored', at: 2 });
    expect(settled.attachment).toEqual({ sha256: 'a'.repeat(64), mime: 'text/plain', size: 3 });
    expect(messageRecordSchema.parse(settled)).toEqual(settled);
    expect(pending.attachment?.pending).toBe(true); // the document's record is untouched
  });
});
