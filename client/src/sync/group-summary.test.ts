import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, editMessage, makeId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { createMessageMirror } from './message-mirror.js';
import { markRead } from './markers.js';
import { TAIL_SIZE, newestTail, summarizeGroup } from './group-summary.js';
import { textRecord } from './test-records.js';

const me = { id: makeId<UserId>(), username: 'ben' };
const ana = makeId<UserId>();

describe('a group summary', () => {
  it('counts what others wrote after my read marker, names a mention, and shows the newest as edited', () => {
    const doc = new Y.Doc();
    const mirror = createMessageMirror(doc);
    expect(summarizeGroup(doc, mirror, me)).toEqual({ unread: 0 });

    appendMessage(doc, textRecord(ana, 'read already'));
    markRead(doc, mirror, me.id, 0);
    appendMessage(doc, textRecord(me.id, 'mine'));
    appendMessage(doc, textRecord(ana, 'news'));
    const last = textRecord(ana, 'lunch?');
    appendMessage(doc, last);
    expect(summarizeGroup(doc, mirror, me)).toEqual({
      unread: 2,
      lastAt: last.createdAt,
      lastAuthorId: ana,
      lastText: 'lunch?',
    });

    editMessage(doc, last.id, ana, 'lunch, @ben?');
    expect(summarizeGroup(doc, mirror, me)).toMatchObject({
      unread: 2,
      mentioned: true,
      lastText: 'lunch, @ben?',
    });
  });

  it('keeps the newest messages, edited, for the first paint', () => {
    const doc = new Y.Doc();
    const mirror = createMessageMirror(doc);
    expect(newestTail(doc, mirror)).toEqual([]);
    const records = Array.from({ length: TAIL_SIZE + 5 }, (_, i) => textRecord(ana, `m${i}`));
    for (const r of records) appendMessage(doc, r);
    editMessage(doc, records.at(-1)!.id, ana, 'last, edited');

    const tail = newestTail(doc, mirror);
    expect(tail.map((m) => m.text)).toEqual([
      ...records.slice(5, -1).map((r) => r.text),
      'last, edited',
    ]);
  });
});
