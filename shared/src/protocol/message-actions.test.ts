import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeId } from '../model/ids.js';
import type { MessageId, UserId } from '../model/ids.js';
import { appendMessage, groupDoc, pinRecordSchema, reactionKey } from './document.js';
import type { MessageRecord } from './document.js';
import {
  deleteMessage,
  editMessage,
  findMessageIndex,
  togglePin,
  toggleReaction,
  withEdit,
} from './message-actions.js';

const ana = makeId<UserId>();
const ben = makeId<UserId>();

function docWith(texts: string[]): { doc: Y.Doc; records: MessageRecord[] } {
  const doc = new Y.Doc();
  const records = texts.map((text, i) => ({
    id: makeId<MessageId>(),
    authorId: i % 2 === 0 ? ana : ben,
    createdAt: i,
    kind: 'text' as const,
    text,
  }));
  for (const r of records) appendMessage(doc, r);
  return { doc, records };
}

describe('message actions', () => {
  it("shows the author's latest edit and ignores anyone else's", () => {
    const { doc, records } = docWith(['first']);
    const record = records[0]!;
    const edits = groupDoc(doc).edits;
    expect(withEdit(record, edits.get(record.id))).toBe(record);
    editMessage(doc, record.id, ana, 'first, fixed');
    expect(withEdit(record, edits.get(record.id)).text).toBe('first, fixed');
    expect(withEdit(record, { text: 'forged', by: ben, at: 1 }).text).toBe('first');
  });

  it('deletes the item, its edit and writes a tombstone in one transaction', () => {
    const { doc, records } = docWith(['a', 'b', 'c']);
    const target = records[1]!;
    editMessage(doc, target.id, ben, 'b2');
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    // A stale hint (the view moved) still finds the message.
    expect(deleteMessage(doc, target.id, ben, 0)).toBe(true);
    expect(transactions).toBe(1);
    const { messages, edits, deletions } = groupDoc(doc);
    expect(messages.toArray().map((m) => m.text)).toEqual(['a', 'c']);
    expect(edits.has(target.id)).toBe(false);
    expect(deletions.get(target.id)?.by).toBe(ben);
    expect(deleteMessage(doc, target.id, ben)).toBe(false);
  });

  it('finds messages by id with or without a hint', () => {
    const { doc, records } = docWith(['a', 'b', 'c', 'd']);
    expect(findMessageIndex(doc, records[2]!.id, 2)).toBe(2);
    expect(findMessageIndex(doc, records[2]!.id, 3)).toBe(2);
    expect(findMessageIndex(doc, records[0]!.id)).toBe(0);
    expect(findMessageIndex(doc, makeId<MessageId>())).toBe(-1);
  });

  it('toggles one reaction per user and emoji', () => {
    const { doc, records } = docWith(['a']);
    const id = records[0]!.id;
    const reactions = groupDoc(doc).reactions;
    expect(toggleReaction(doc, id, ben, '👍')).toBe(true);
    expect(toggleReaction(doc, id, ana, '👍')).toBe(true);
    expect(reactions.has(reactionKey(id, ben, '👍'))).toBe(true);
    expect(toggleReaction(doc, id, ben, '👍')).toBe(false);
    expect([...reactions.keys()]).toEqual([reactionKey(id, ana, '👍')]);
  });

  it('pins a message once and unpins it', () => {
    const { doc, records } = docWith(['a', 'b']);
    const id = records[1]!.id;
    const pins = groupDoc(doc).pins;
    expect(togglePin(doc, id, ana)).toBe(true);
    expect(pinRecordSchema.parse(pins.get(id))).toMatchObject({ by: ana });
    expect([...pins.keys()]).toEqual([id]);
    expect(togglePin(doc, id, ana)).toBe(false);
    expect(pins.size).toBe(0);
  });
});
