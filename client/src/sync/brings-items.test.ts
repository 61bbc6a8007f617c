import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, deleteMessage, makeId } from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { bringsItems } from './brings-items.js';
import { textRecord } from './test-records.js';

const ana = makeId<UserId>();

describe('bringsItems', () => {
  it('tells an answer with new items from one with only the delete set', () => {
    const server = new Y.Doc();
    const first = textRecord(ana, 'first');
    appendMessage(server, first);
    appendMessage(server, textRecord(ana, 'second'));
    deleteMessage(server, first.id, ana, 0);
    const known = Y.encodeStateVector(server);
    // Up to date: the answer carries the deletions made so far, and nothing else.
    const upToDate = Y.encodeStateAsUpdate(server, known);
    expect(Y.decodeUpdate(upToDate).ds.clients.size).toBe(1);
    expect(bringsItems(upToDate)).toBe(false);

    appendMessage(server, textRecord(ana, 'third'));
    expect(bringsItems(Y.encodeStateAsUpdate(server, known))).toBe(true);
    // A copy with nothing gets everything.
    expect(bringsItems(Y.encodeStateAsUpdate(server, new Uint8Array([0])))).toBe(true);
  });
});
