// Real Yjs updates in Canopy's document shape for the load generator, made ahead of time
// so that sending costs the generator nothing but a socket write.
//
// The pre-filled history is written by one Yjs client id (PREFILL_CLIENT_ID), so its items
// are (PREFILL_CLIENT_ID, 0…count-1) whatever their content. A light member's updates are
// generated on a stand-in of that history (same item ids, tiny content) plus its own
// earlier messages: each update is what that member's own Y.Doc would send when it
// appends with insert(length, …) — concurrent appends after the pre-filled history.
import * as Y from 'yjs';
import { appendMessage, DocRoot, makeId } from '@canopy/shared';
import type { MessageId, MessageRecord, UserId } from '@canopy/shared';

export const PREFILL_CLIENT_ID = 424_242;

/** Marker the light clients search for in received frames: `BENCH` + 12 digits. */
export const MESSAGE_ID_PREFIX = 'BENCH';
export const MESSAGE_ID_DIGITS = 12;

export function benchMessageId(seq: number): MessageId {
  return `${MESSAGE_ID_PREFIX}${String(seq).padStart(MESSAGE_ID_DIGITS, '0')}` as MessageId;
}

const WORDS =
  'the quick brown fox jumps over a lazy dog while our team ships the next release and reviews'.split(
    ' ',
  );

function chatText(n: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(n * 7 + i * 3) % WORDS.length]!);
  return out.join(' ');
}

export function benchRecord(seq: number, authorId: UserId): MessageRecord {
  return {
    id: benchMessageId(seq),
    authorId,
    createdAt: Date.now(),
    kind: 'text',
    text: `#${seq} ${chatText(seq, 8)}`,
  };
}

/** The pre-filled history as updates of at most `chunk` messages each, by PREFILL_CLIENT_ID. */
export function makePrefillUpdates(count: number, authorId: UserId, chunk: number): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = PREFILL_CLIENT_ID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const messages = doc.getArray<MessageRecord>(DocRoot.messages);
  const start = Date.now() - count * 1000;
  for (let i = 0; i < count; i += chunk) {
    const records: MessageRecord[] = [];
    for (let j = i; j < Math.min(count, i + chunk); j++) {
      records.push({
        id: makeId<MessageId>(),
        authorId,
        createdAt: start + j * 1000,
        kind: 'text',
        text: chatText(j, 4 + (j % 12)),
      });
    }
    doc.transact(() => messages.insert(messages.length, records));
  }
  doc.destroy();
  return updates;
}

/** A stand-in for the pre-filled history: same item ids, content of one byte each. */
export function makeHistoryStandIn(count: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = PREFILL_CLIENT_ID;
  doc.getArray(DocRoot.messages).insert(0, new Array<number>(count).fill(0));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** One update per record, as a member's own Y.Doc (client id `clientId`) would send them. */
export function makeMemberUpdates(
  historyStandIn: Uint8Array,
  clientId: number,
  records: readonly MessageRecord[],
): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, historyStandIn);
  doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const record of records) appendMessage(doc, record);
  doc.destroy();
  return updates;
}

/** Distinct random Yjs client ids (never the pre-fill's). */
export function makeClientIds(count: number): number[] {
  const ids = new Set<number>();
  while (ids.size < count) {
    const id = Math.floor(Math.random() * 0xffff_fff0) + 1;
    if (id !== PREFILL_CLIENT_ID) ids.add(id);
  }
  return [...ids];
}
