// Test support for the document authority: a "server doc" with its bindings and a real
// guard, honest client docs that talk to it the way y-websocket does (incremental updates,
// sync step 2 after being offline), a seeded PRNG, and a raw v1 update writer for bytes
// no Yjs client would produce. Not used in production.
import { appendMessage, groupDoc, makeId, reactionKey } from '@canopy/shared';
import type { GroupRole, MessageId, MessageRecord, UserId } from '@canopy/shared';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { GuardVerdict, RoomGuard, Sender, UpdateKind } from '../../update-guard.js';
import { createDocumentGuard } from '../document-guard.js';
import type { DocumentGuardOptions } from '../document-guard.js';

export interface Member {
  sender: Sender;
  id: UserId;
}

export function member(
  role: GroupRole = 'member',
  isBot = false,
  conversation: 'group' | 'dm' = 'group',
): Member {
  const id = makeId<UserId>();
  return { id, sender: { userId: id, role, isBot, conversation } };
}

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function message(author: Member, text = 'hello', kind: MessageRecord['kind'] = 'text') {
  return {
    id: makeId<MessageId>(),
    authorId: author.id,
    createdAt: Date.now(),
    kind,
    text,
  } satisfies MessageRecord;
}

/** A client session: its own Y.Doc (own client id) that records what it would send. */
export class Client {
  readonly doc = new Y.Doc();
  readonly outbox: Uint8Array[] = [];
  constructor(readonly member: Member) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server') this.outbox.push(update);
    });
  }
  get g() {
    return groupDoc(this.doc);
  }
  /** One local transaction; returns the update y-websocket would send for it. */
  write(fn: (doc: Y.Doc) => void): Uint8Array {
    const before = this.outbox.length;
    this.doc.transact(() => fn(this.doc));
    const made = this.outbox.splice(before);
    return made.length === 1 ? made[0]! : Y.mergeUpdates(made);
  }
  post(text = 'hello', kind: MessageRecord['kind'] = 'text'): MessageRecord {
    const record = message(this.member, text, kind);
    appendMessage(this.doc, record);
    return record;
  }
  react(messageId: MessageId, emoji = '👍'): void {
    this.g.reactions.set(reactionKey(messageId, this.member.id, emoji), { at: Date.now() });
  }
  mark(messageId: MessageId): void {
    this.g.readMarkers.set(this.member.id, { messageId, at: Date.now() });
  }
  /** Canopy's delete: remove the array item (its text is gone) and write a tombstone. */
  deleteMessage(messageId: MessageId): void {
    const g = this.g;
    const index = g.messages.toArray().findIndex((m) => m.id === messageId);
    if (index >= 0) g.messages.delete(index, 1);
    g.deletions.set(messageId, { by: this.member.id, at: Date.now() });
  }
}

export class ServerRoom {
  readonly doc = new Y.Doc();
  readonly bindings = new Map<number, UserId>();
  readonly guard: RoomGuard;
  constructor(options: DocumentGuardOptions = {}, seed?: (doc: Y.Doc) => void) {
    groupDoc(this.doc);
    seed?.(this.doc);
    this.guard = createDocumentGuard(options)({
      groupId: makeId(),
      doc: this.doc,
      bindings: { get: (id) => this.bindings.get(id) },
    });
  }
  /** What the relay does: judge, bind, apply. */
  receive(update: Uint8Array, sender: Sender, kind: UpdateKind = 'update'): GuardVerdict {
    const verdict = this.guard.checkUpdate(update, sender, kind);
    if (verdict.ok) {
      for (const id of verdict.newClientIds) this.bindings.set(id, sender.userId);
      Y.applyUpdate(this.doc, update, 'client');
    }
    return verdict;
  }
  /** Client sends its latest local transaction. */
  send(client: Client, fn: (doc: Y.Doc) => void): GuardVerdict {
    return this.receive(client.write(fn), client.member.sender);
  }
  /** Bring a client up to date (what the relay's broadcast and sync step 2 do). */
  deliver(client: Client): void {
    const diff = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(client.doc));
    Y.applyUpdate(client.doc, diff, 'server');
  }
  /** A reconnecting client's sync step 2: everything the server lacks, whole delete set. */
  syncStep2(client: Client): GuardVerdict {
    const update = Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(this.doc));
    client.outbox.length = 0;
    return this.receive(update, client.member.sender, 'sync-step-2');
  }
  join(m: Member): Client {
    const client = new Client(m);
    this.deliver(client);
    return client;
  }
  nothingPending(): boolean {
    return this.doc.store.pendingStructs === null && this.doc.store.pendingDs === null;
  }
}

// --- raw v1 updates --------------------------------------------------------------

export interface RawItem {
  client: number;
  clock: number;
  origin?: [number, number];
  rightOrigin?: [number, number];
  parent?: string | [number, number];
  parentSub?: string;
  /** content ref: 8 = any (values), 1 = deleted (length), 4 = string */
  content: { any: unknown[] } | { deleted: number } | { string: string };
}

/** Writes one block per item (client ids must differ) and a delete set. */
export function rawUpdate(
  items: RawItem[],
  deletes: Array<[client: number, clock: number, length: number]> = [],
): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, items.length);
  for (const item of items) {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, item.client);
    encoding.writeVarUint(e, item.clock);
    const c = item.content;
    const ref = 'any' in c ? 8 : 'deleted' in c ? 1 : 4;
    const carriesParent = !item.origin && !item.rightOrigin;
    let info = ref;
    if (item.origin) info |= 128;
    if (item.rightOrigin) info |= 64;
    if (carriesParent && item.parentSub !== undefined) info |= 32;
    encoding.writeUint8(e, info);
    for (const id of [item.origin, item.rightOrigin]) {
      if (id) {
        encoding.writeVarUint(e, id[0]);
        encoding.writeVarUint(e, id[1]);
      }
    }
    if (carriesParent) {
      const parent = item.parent ?? 'messages';
      if (typeof parent === 'string') {
        encoding.writeVarUint(e, 1);
        encoding.writeVarString(e, parent);
      } else {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, parent[0]);
        encoding.writeVarUint(e, parent[1]);
      }
      if (item.parentSub !== undefined) encoding.writeVarString(e, item.parentSub);
    }
    if ('any' in c) {
      encoding.writeVarUint(e, c.any.length);
      for (const v of c.any) encoding.writeAny(e, v as never);
    } else if ('deleted' in c) encoding.writeVarUint(e, c.deleted);
    else encoding.writeVarString(e, c.string);
  }
  const byClient = new Map<number, Array<[number, number]>>();
  for (const [client, clock, len] of deletes) {
    const list = byClient.get(client) ?? [];
    list.push([clock, len]);
    byClient.set(client, list);
  }
  encoding.writeVarUint(e, byClient.size);
  for (const [client, ranges] of byClient) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
  return encoding.toUint8Array(e);
}
