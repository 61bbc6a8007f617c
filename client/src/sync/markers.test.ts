import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, editMessage, groupDoc, makeId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { createMessageMirror } from './message-mirror.js';
import { textRecord } from './test-records.js';
import { markRead, unreadOf } from './markers.js';

const me = makeId<UserId>();
const ana = makeId<UserId>();
const text = textRecord;

describe('unread mentions', () => {
  it('counts only mentions of me by others after my read marker', () => {
    const doc = new Y.Doc();
    const mirror = createMessageMirror(doc);
    appendMessage(doc, text(ana, 'hi @ben, old news'));
    markRead(doc, mirror, me, 0);
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(false);
    appendMessage(doc, text(me, 'note to self @ben'));
    appendMessage(doc, text(ana, 'see you, @benny and @ben_2'));
    expect(unreadOf(doc, mirror, me, 'ben').count).toBe(1);
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(false); // @benny is someone else
    appendMessage(doc, text(ana, 'and @BEN?'));
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(true);
    markRead(doc, mirror, me, mirror.length - 1);
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(false);
    expect(groupDoc(doc).readMarkers.get(me)).toBeDefined();
  });

  it('reads an edited message by its latest text, and only an edit by its author', () => {
    const doc = new Y.Doc();
    const mirror = createMessageMirror(doc);
    const record = text(ana, 'lunch?');
    appendMessage(doc, record);
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(false);
    editMessage(doc, record.id, me, 'lunch, @ben?'); // not the author: readers ignore it
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(false);
    editMessage(doc, record.id, ana, 'lunch, @ben?');
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(true);
    editMessage(doc, record.id, ana, 'lunch?');
    expect(unreadOf(doc, mirror, me, 'ben').mentioned).toBe(false);
  });
});
