// The update's delete set. A y-websocket client's sync step 2 carries its whole delete set,
// so ranges that are already deleted on the server are no-ops and pass. A range must not
// reach past what the server will have after the structs are applied (Yjs would park it as
// a pending delete set). Each live item it deletes must be the sender's own (bound client
// id; for messages: the records' authorId), or:
//   - a moderator (a group's owner or admin; in a DM nobody: the shared moderatesMessages,
//     as in the app and the message API) may delete anyone's `messages` items and `edits`/`deletions`/`pins`
//     entries, but at most `maxModerationDeletes` foreign messages per update (no
//     wholesale wipe of history: moderation is one message, or a handful, at a time);
//   - anyone may delete an entry under a key that is theirs (own marker, own reaction,
//     edit or upload state of own message) even if another of the server's client ids wrote it.
// Nobody deletes other users' reactions or markers, and members' own deletions of their own
// messages are not capped (it is their data).
import { DocRoot } from '@canopy/shared';
import * as Y from 'yjs';
import type { WireDeleteRange } from './decode-update.js';
import { keyOwner } from './record-rules.js';
import type { RecordContext } from './record-rules.js';
import { reject } from './refusal.js';
import type { RootNames } from './root-names.js';

const MODERATED_MAP_ROOTS: ReadonlySet<string> = new Set([
  DocRoot.edits,
  DocRoot.deletions,
  DocRoot.pins,
]);
const OWNER_KEYED_ROOTS: ReadonlySet<string> = new Set([
  DocRoot.readMarkers,
  DocRoot.deliveredMarkers,
  DocRoot.reactions,
  DocRoot.edits,
  DocRoot.uploads,
]);

export interface DeleteContext extends RecordContext {
  doc: Y.Doc;
  roots: RootNames;
  /** per client of the update: state after its structs (see resolve-structs.ts) */
  endState: ReadonlyMap<number, number>;
  maxModerationDeletes: number;
}

/** Number of the item's records in [from, to) that are not the sender's; 0 if all are. */
function foreignMessages(item: Y.Item, from: number, to: number, me: string): number {
  if (!(item.content instanceof Y.ContentAny)) return to - from;
  const records = item.content.arr;
  let foreign = 0;
  for (let i = from; i < to; i++) {
    const rec = records[i] as { authorId?: unknown } | null | undefined;
    if (typeof rec !== 'object' || rec === null || rec.authorId !== me) foreign++;
  }
  return foreign;
}

/** Checks one live item the update deletes; returns the foreign messages it removes. */
function checkDeletedItem(item: Y.Item, from: number, to: number, ctx: DeleteContext): number {
  const me = ctx.sender.userId;
  const parent = item.parent;
  if (!(parent instanceof Y.AbstractType)) return reject('foreign delete');
  if (ctx.ownerOf(item.id.client) === me) return 0;
  const root = ctx.roots.nameOf(parent);
  if (root === DocRoot.messages) {
    const foreign = foreignMessages(item, from, to, me);
    if (foreign > 0 && !ctx.moderator) reject('foreign delete');
    return foreign;
  }
  const key = item.parentSub;
  if (key === null) return reject('foreign delete');
  if (ctx.moderator && MODERATED_MAP_ROOTS.has(root)) return 0;
  if (OWNER_KEYED_ROOTS.has(root) && keyOwner(root, key, ctx) === me) return 0;
  return reject('foreign delete');
}

export function checkDeletes(deletes: readonly WireDeleteRange[], ctx: DeleteContext): void {
  const store = ctx.doc.store;
  let moderated = 0;
  for (const range of deletes) {
    const end = range.clock + range.length;
    const docState = Y.getState(store, range.client);
    const after = ctx.endState.get(range.client) ?? docState;
    if (end > after) reject('delete of unknown structs');
    // Clocks at or past docState are the update's own new structs: the sender's.
    if (range.clock >= docState) continue;
    const structs = store.clients.get(range.client)!;
    const docEnd = Math.min(end, docState);
    for (let i = Y.findIndexSS(structs, range.clock); i < structs.length; i++) {
      const s = structs[i]!;
      if (s.id.clock >= docEnd) break;
      if (s.deleted || !(s instanceof Y.Item)) continue;
      const from = Math.max(range.clock, s.id.clock) - s.id.clock;
      const to = Math.min(docEnd, s.id.clock + s.length) - s.id.clock;
      moderated += checkDeletedItem(s, from, to, ctx);
    }
    if (moderated > ctx.maxModerationDeletes) reject('too many message deletions');
  }
}
