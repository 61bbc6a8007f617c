// Moves what was written into a local stand-in group (a DM created offline) into the real
// group once the server named it. Appends in order, skips ids already there, so running it
// twice (a reload mid-way) never doubles a message.
import { appendMessage } from '@canopy/shared';
import type { MessageId, MessageRecord } from '@canopy/shared';
import type * as Y from 'yjs';
import type { MessageMirror } from './message-mirror.js';

export function copyMessages(from: MessageMirror, to: Y.Doc, toMirror: MessageMirror): number {
  const present = new Set<MessageId>();
  // Only the newest part of the target can hold earlier copies; a DM is small anyway.
  for (let i = Math.max(0, toMirror.length - 5000); i < toMirror.length; i++) {
    const rec = toMirror.get(i);
    if (rec) present.add(rec.id);
  }
  const copies: MessageRecord[] = [];
  for (let i = 0; i < from.length; i++) {
    const rec = from.get(i);
    if (rec && !present.has(rec.id)) copies.push(rec);
  }
  to.transact(() => {
    for (const rec of copies) appendMessage(to, { ...rec });
  });
  return copies.length;
}
