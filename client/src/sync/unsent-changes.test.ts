import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendMessage,
  deleteMessage,
  editMessage,
  groupDoc,
  makeId,
  reactionKey,
  toggleReaction,
} from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { makeDeliveryState } from './delivery-state.js';
import { createMessageMirror } from './message-mirror.js';
import { textRecord } from './test-records.js';
import type { MessageMirror } from './message-mirror.js';
import { replayUnsent, takeUnsent, unsentChanges, unsentCopySchema } from './unsent-changes.js';

const ana = makeId<UserId>();
const me = makeId<UserId>();

const record = textRecord;

function texts(mirror: MessageMirror): string[] {
  const out: string[] = [];
  for (let i = 0; i < mirror.length; i++) out.push(mirror.get(i)?.text ?? '');
  return out;
}

/** A device's copy synced from `server`, with what the server stored counted as acked. */
function deviceOf(server: Y.Doc) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
  const delivery = makeDeliveryState();
  delivery.merge(Y.decodeStateVector(Y.encodeStateVector(server)));
  return { doc, mirror: createMessageMirror(doc), delivery };
}

describe('unsent changes', () => {
  it('keeps what a member may always write, drops moderation, and replays it once', () => {
    const server = new Y.Doc();
    const a1 = record(ana, 'a1');
    const a2 = record(ana, 'a2');
    const m0 = record(me, 'm0');
    const m1 = record(me, 'm1');
    for (const r of [a1, a2, m0, m1]) appendMessage(server, r);

    const device = deviceOf(server);
    // Offline on the device: a moderator's deletion and pin, and a member's own changes.
    const m2 = record(me, 'm2');
    const m3 = record(me, 'm3');
    deleteMessage(device.doc, a1.id, me);
    groupDoc(device.doc).pins.set(a2.id, { by: me, at: 1 });
    appendMessage(device.doc, m2);
    appendMessage(device.doc, m3);
    editMessage(device.doc, m1.id, me, 'm1 edited');
    editMessage(device.doc, m2.id, me, 'm2 edited');
    toggleReaction(device.doc, a2.id, me, '👍');
    deleteMessage(device.doc, m0.id, me);
    expect(unsentChanges(device, me)).toBe(4); // two edits, two deletions

    // Kept in IndexedDB as plain data in between.
    const copy = unsentCopySchema.parse(structuredClone(takeUnsent(device, me)));
    expect(copy.messages.map((r) => r.text)).toEqual(['m2', 'm3']);
    expect(copy.deletions.sort()).toEqual([a1.id, m0.id].sort());
    expect(copy.dropped).toBe(1);

    // Meanwhile the server got another message; the fresh copy holds it.
    appendMessage(server, record(ana, 'a3'));
    const fresh = deviceOf(server);
    expect(replayUnsent(fresh.doc, fresh.mirror, copy, me)).toBe(2); // the pin, a1's deletion
    expect(texts(fresh.mirror)).toEqual(['a1', 'a2', 'm1', 'a3', 'm2', 'm3']);
    const { edits, deletions, reactions, pins } = groupDoc(fresh.doc);
    expect(edits.get(m1.id)?.text).toBe('m1 edited');
    expect(edits.get(m2.id)?.text).toBe('m2 edited');
    expect(reactions.has(reactionKey(a2.id, me, '👍'))).toBe(true);
    expect([...deletions.keys()]).toEqual([m0.id]);
    expect(pins.size).toBe(0);

    // A second run (a reload before the kept copy was deleted) doubles nothing.
    replayUnsent(fresh.doc, fresh.mirror, copy, me);
    expect(texts(fresh.mirror)).toEqual(['a1', 'a2', 'm1', 'a3', 'm2', 'm3']);
  });

  it('counts nothing the server has stored', () => {
    const server = new Y.Doc();
    appendMessage(server, record(me, 'stored'));
    editMessage(server, groupDoc(server).messages.get(0).id, me, 'stored edit');
    const device = deviceOf(server);
    const copy = takeUnsent(device, me);
    expect(copy).toEqual({
      messages: [],
      edits: [],
      uploads: [],
      reactions: [],
      deletions: [],
      dropped: 0,
    });
    expect(unsentChanges(device, me)).toBe(0);
  });
});
