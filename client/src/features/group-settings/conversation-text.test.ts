import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, deleteMessage, editMessage, makeId } from '@canopy/shared';
import type { MessageId, MessageRecord, UserId } from '@canopy/shared';
import { conversationText } from './conversation-text.js';

const ana = makeId<UserId>();
const ben = makeId<UserId>();
const names = new Map([
  [ana, 'Ana'],
  [ben, 'Ben'],
]);
const at = (minute: number): number => new Date(2026, 11, 7, 10, minute).getTime();

function message(authorId: UserId, minute: number, extra: Partial<MessageRecord>): MessageRecord {
  return { id: makeId<MessageId>(), authorId, createdAt: at(minute), kind: 'text', ...extra };
}

describe('conversationText', () => {
  it('writes one line per message as it reads now, files named, deletions left out', () => {
    const doc = new Y.Doc();
    const first = message(ana, 4, { text: 'first draft' });
    const gone = message(ben, 5, { text: 'oops' });
    const file = message(ben, 6, {
      kind: 'file',
      text: 'the report',
      attachment: { sha256: 'a'.repeat(64), mime: 'application/pdf', size: 10, name: 'q4.pdf' },
    });
    const lines = message(ana, 7, { text: 'two\nlines' });
    for (const m of [first, gone, file, lines]) appendMessage(doc, m);
    editMessage(doc, first.id, ana, 'final text');
    deleteMessage(doc, gone.id, ben);

    const text = conversationText(doc, 'Design', (id) => names.get(id) ?? '?', at(30));
    expect(text).toBe(
      [
        'Design (exported 2026-12-07 10:30)',
        '',
        '[2026-12-07 10:04] Ana: final text',
        '[2026-12-07 10:06] Ben: the report [file: q4.pdf]',
        '[2026-12-07 10:07] Ana: two',
        '    lines',
        '',
      ].join('\n'),
    );
  });
});
