// A group's history for the client benchmark, built as its authors' real Yjs updates: one
// Y.Doc whose client id switches to the author of each message (as each author's own device
// would have appended it), so items of different authors alternate and never merge, the
// realistic and costly layout. Records follow messageRecordSchema; texts are ~60 chars.
import * as Y from 'yjs';
import { appendMessage, makeId, messageRecordSchema } from '@canopy/shared';
import type { MessageId, MessageRecord, UserId } from '@canopy/shared';
import { seededRandom } from '../utils/seeded-random.js';

export interface History {
  /** Yjs client id of each author */
  clientIds: number[];
  /** ids of the newest 50 messages, oldest first */
  newestIds: MessageId[];
  /** id of the first message */
  oldestId: MessageId;
  /** the whole document as one update (what a device holds after syncing) */
  fullUpdate: Uint8Array;
}

const WORDS = (
  'sure thing lunch at noon then the build is green again can you review my branch before ' +
  'standup tomorrow we shipped the fix and the dashboard looks fine now thanks for the notes ' +
  'meeting moved to friday afternoon I will check the logs after coffee'
).split(' ');

function chatText(rnd: ReturnType<typeof seededRandom>): string {
  const target = rnd.int(40, 80);
  let out = '';
  while (out.length < target) out += (out ? ' ' : '') + rnd.pick(WORDS);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

export function buildHistory(count: number, authorIds: UserId[], seed: number): History {
  const rnd = seededRandom(seed);
  const clientIds = authorIds.map(() => rnd.int(1, 0x7fff_ffff));
  const doc = new Y.Doc();
  let current = 0;
  // One message a minute on average, ending now: 100k messages span about ten weeks.
  let at = Date.now() - count * 60_000;
  const newestIds: MessageId[] = [];
  let oldestId: MessageId | undefined;
  for (let i = 0; i < count; i++) {
    // Conversations have runs: the same person often writes two or three in a row.
    if (i === 0 || rnd.bool(0.6)) current = rnd.int(0, authorIds.length - 1);
    at += rnd.int(5_000, 115_000);
    const record: MessageRecord = {
      id: makeId<MessageId>(),
      authorId: authorIds[current]!,
      createdAt: at,
      kind: 'text',
      text: chatText(rnd),
    };
    if (i === 0) messageRecordSchema.parse(record);
    doc.clientID = clientIds[current]!;
    appendMessage(doc, record);
    if (i >= count - 50) newestIds.push(record.id);
    oldestId ??= record.id;
  }
  const fullUpdate = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  if (!oldestId) throw new Error('a history needs at least one message');
  return { clientIds, newestIds, oldestId, fullUpdate };
}
