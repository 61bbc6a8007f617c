// Hand-crafted malicious updates against a real server doc built from honest clients.
import { CloseCode, DocRoot, appendMessage, makeId, reactionKey } from '@canopy/shared';
import type { MessageId } from '@canopy/shared';
import * as encoding from 'lib0/encoding';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Client } from './testing/guard-fixture.js';
import { ServerRoom, member, message, rawUpdate } from './testing/guard-fixture.js';

const owner = member('owner');
const admin = member('admin');
const alice = member();
const bob = member();
const bot = member('member', true);

function refused(
  verdict: { ok: unknown; code?: number },
  code: number = CloseCode.UPDATE_REJECTED,
) {
  expect(verdict.ok).toBe(false);
  expect(verdict.code).toBe(code);
}

let room: ServerRoom;
let a: Client;
let b: Client;
let aliceMsg: MessageId;
let bobMsg: MessageId;

beforeEach(() => {
  room = new ServerRoom();
  a = room.join(alice);
  b = room.join(bob);
  let id: MessageId | undefined;
  expect(room.send(a, () => (id = a.post('from alice').id)).ok).toBe(true);
  aliceMsg = id!;
  room.deliver(b); // bob's message goes after alice's: indexes below are stable
  expect(room.send(b, () => (id = b.post('from bob').id)).ok).toBe(true);
  bobMsg = id!;
  room.deliver(a);
  room.deliver(b);
});

describe('identity', () => {
  it('binds a new client id to its first sender and returns it', () => {
    const c = room.join(owner);
    const verdict = room.send(c, () => c.post());
    expect(verdict).toEqual({ ok: true, newClientIds: [c.doc.clientID] });
    expect(room.send(c, () => c.post())).toEqual({ ok: true, newClientIds: [] });
  });

  it('refuses a client id bound to another user', () => {
    const thief = room.join(alice);
    thief.doc.clientID = b.doc.clientID; // bob's session id, reused
    const update = thief.write(() => {
      appendMessage(thief.doc, message(alice));
    });
    refused(room.receive(update, alice.sender));
    expect(room.doc.getArray(DocRoot.messages).length).toBe(2);
  });

  it('refuses taking over an unbound client id that already has history', () => {
    room.doc.clientID = 4242; // the server's own writes
    appendMessage(room.doc, message(owner));
    const c = room.join(alice);
    c.doc.clientID = 4242;
    Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(room.doc), 'server');
    refused(room.send(c, () => c.post()));
  });
});

describe('authorship', () => {
  it('refuses a forged authorId', () => {
    const update = a.write((doc) => appendMessage(doc, message(bob)));
    refused(room.receive(update, alice.sender));
  });

  it('refuses bot messages from a member and accepts them from the bot', () => {
    refused(room.send(a, () => a.post('beep', 'bot')));
    const c = room.join(bot);
    expect(room.send(c, () => c.post('beep', 'bot')).ok).toBe(true);
  });

  it('refuses invalid records and reused message ids', () => {
    refused(room.send(a, () => a.g.messages.insert(0, [{ id: 'x' } as never])));
    const a2 = room.join(alice);
    const copy = { ...message(alice), id: bobMsg };
    refused(room.send(a2, () => appendMessage(a2.doc, copy)));
  });

  it('refuses a record whose prototype was swapped on the wire', () => {
    const rec: Record<string, unknown> = { ...message(alice) };
    delete rec.authorId;
    // Written by hand: the object carries an extra key "__proto__" holding { authorId }.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1); // one client block
    encoding.writeVarUint(e, 1); // one struct
    encoding.writeVarUint(e, 55);
    encoding.writeVarUint(e, 0);
    encoding.writeUint8(e, 8); // ContentAny, parent on the wire
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, DocRoot.messages);
    encoding.writeVarUint(e, 1); // one value
    encoding.writeUint8(e, 118); // object
    encoding.writeVarUint(e, Object.keys(rec).length + 1);
    for (const [k, v] of Object.entries(rec)) {
      encoding.writeVarString(e, k);
      encoding.writeAny(e, v as never);
    }
    encoding.writeVarString(e, '__proto__');
    encoding.writeAny(e, { authorId: alice.id });
    encoding.writeVarUint(e, 0); // empty delete set
    expect(room.receive(encoding.toUint8Array(e), alice.sender)).toMatchObject({
      ok: false,
      reason: 'invalid message',
    });
  });

  it('edits: only own messages, by the sender', () => {
    const at = Date.now();
    expect(room.send(a, () => a.g.edits.set(aliceMsg, { text: 'e', by: alice.id, at })).ok).toBe(
      true,
    );
    refused(room.send(b, () => b.g.edits.set(aliceMsg, { text: 'e', by: bob.id, at })));
    const b2 = room.join(bob);
    refused(room.send(b2, () => b2.g.edits.set(bobMsg, { text: 'e', by: alice.id, at })));
    // an edit of a message sent in the same update is fine
    expect(room.send(a, () => a.g.edits.set(a.post().id, { text: 'x', by: alice.id, at })).ok).toBe(
      true,
    );
  });

  it('upload states: only for own messages, with a valid state', () => {
    const at = Date.now();
    refused(room.send(b, () => b.g.uploads.set(aliceMsg, { state: 'stored', at })));
    const a2 = room.join(alice);
    refused(room.send(a2, () => a2.g.uploads.set(aliceMsg, { state: 'lost' as 'failed', at })));
    const a3 = room.join(alice);
    expect(room.send(a3, () => a3.g.uploads.set(aliceMsg, { state: 'stored', at })).ok).toBe(true);
    // the author may take it back (delete the entry); nobody else may
    const b2 = room.join(bob);
    refused(room.send(b2, () => b2.g.uploads.delete(aliceMsg)));
    expect(room.send(a3, () => a3.g.uploads.delete(aliceMsg)).ok).toBe(true);
  });

  it('markers and reactions: own key only, never overwriting others', () => {
    const asAlice = (fn: (c: Client) => void) => {
      const c = room.join(alice); // a refused update closes the socket: start afresh
      return room.send(c, () => fn(c));
    };
    refused(asAlice((c) => c.g.readMarkers.set(bob.id, { messageId: bobMsg, at: 1 })));
    refused(asAlice((c) => c.g.reactions.set(reactionKey(bobMsg, bob.id, '👍'), { at: 1 })));
    expect(room.send(b, () => b.mark(aliceMsg)).ok).toBe(true);
    expect(room.send(b, () => b.react(aliceMsg)).ok).toBe(true);
    // alice's doc now has bob's marker and reaction: overwriting them deletes bob's items
    refused(asAlice((c) => c.g.readMarkers.set(bob.id, { messageId: aliceMsg, at: 2 })));
    refused(asAlice((c) => c.g.reactions.set(reactionKey(aliceMsg, bob.id, '👍'), { at: 2 })));
    refused(asAlice((c) => c.g.reactions.delete(reactionKey(aliceMsg, bob.id, '👍'))));
    refused(asAlice((c) => c.g.readMarkers.set(alice.id, { messageId: 'no' } as never)));
    expect(asAlice((c) => c.mark(bobMsg)).ok).toBe(true);
    expect(asAlice((c) => c.mark(aliceMsg)).ok).toBe(true); // replaces her own marker
    expect(
      asAlice((c) => c.g.deliveredMarkers.set(alice.id, { messageId: bobMsg, at: 3 })).ok,
    ).toBe(true);
    expect(room.send(b, () => b.g.reactions.delete(reactionKey(aliceMsg, bob.id, '👍'))).ok).toBe(
      true,
    );
    expect(room.doc.getMap(DocRoot.readMarkers).get(bob.id)).toMatchObject({ messageId: aliceMsg });
  });

  it('pins: moderators only', () => {
    refused(room.send(a, () => a.g.pins.set(bobMsg, { by: alice.id, at: 1 })));
    const o = room.join(owner);
    expect(room.send(o, () => o.g.pins.set(bobMsg, { by: owner.id, at: 1 })).ok).toBe(true);
    const o2 = room.join(admin);
    refused(room.send(o2, () => o2.g.pins.set(aliceMsg, { by: owner.id, at: 1 })));
  });
});

describe('deletions', () => {
  it('refuses deleting another member’s message, accepts deleting one’s own', () => {
    const a2 = room.join(alice);
    refused(room.send(a2, () => a2.deleteMessage(bobMsg)));
    refused(room.send(room.join(alice), (doc) => doc.getArray(DocRoot.messages).delete(1, 1)));
    expect(room.doc.getArray(DocRoot.messages).length).toBe(2);
    expect(room.send(a, () => a.deleteMessage(aliceMsg)).ok).toBe(true);
    expect(room.doc.getArray(DocRoot.messages).length).toBe(1);
  });

  it('moderation: owner and admin may delete any message, within a per-update cap', () => {
    const o = room.join(owner);
    expect(room.send(o, () => o.deleteMessage(bobMsg)).ok).toBe(true);
    expect(room.doc.getArray(DocRoot.messages).length).toBe(1);
    for (let i = 0; i < 120; i++) room.send(b, () => b.post(`m${i}`));
    const ad = room.join(admin);
    refused(room.send(ad, (doc) => doc.getArray(DocRoot.messages).delete(1, 101)));
    const ad2 = room.join(admin);
    expect(room.send(ad2, (doc) => doc.getArray(DocRoot.messages).delete(1, 100)).ok).toBe(true);
  });

  it('in a DM nobody moderates: an owner there deletes only their own messages', () => {
    // DM members are plain members today; the rule does not rest on that: the relay applies
    // the same rule as the app and the message API (moderatesMessages), not the role alone.
    const dmOwner = member('owner', false, 'dm');
    const o = room.join(dmOwner);
    refused(room.send(o, () => o.deleteMessage(bobMsg)));
    const o2 = room.join(dmOwner);
    refused(room.send(o2, () => o2.g.deletions.set(bobMsg, { by: dmOwner.id, at: 1 })));
    const o3 = room.join(dmOwner);
    let own: MessageId | undefined;
    expect(room.send(o3, () => (own = o3.post('mine').id)).ok).toBe(true);
    expect(room.send(o3, () => o3.deleteMessage(own!)).ok).toBe(true);
    expect(room.doc.getArray(DocRoot.messages).length).toBe(2);
  });

  it('a member may not wipe history or others’ tombstones; own tombstone replaces a moderator’s', () => {
    const o = room.join(owner);
    expect(room.send(o, () => o.deleteMessage(aliceMsg)).ok).toBe(true);
    const b2 = room.join(bob);
    refused(room.send(b2, () => b2.g.deletions.delete(aliceMsg)));
    const b3 = room.join(bob);
    refused(room.send(b3, () => b3.g.deletions.set(aliceMsg, { by: bob.id, at: 1 })));
    expect(room.send(a, () => a.post('another')).ok).toBe(true);
    const b4 = room.join(bob); // messages: [bob's, alice's]: wiping both is not bob's call
    refused(room.send(b4, (doc) => doc.getArray(DocRoot.messages).delete(0, 2)));
    const b5 = room.join(bob);
    refused(room.send(b5, () => b5.g.deletions.set(bobMsg, { by: alice.id, at: 1 })));
    // the author, offline, deleted it too: her concurrent tombstone may replace the moderator's
    expect(room.send(a, () => a.deleteMessage(aliceMsg)).ok).toBe(true);
    expect(room.doc.getMap(DocRoot.deletions).has(aliceMsg)).toBe(true);
  });

  it('refuses a delete set reaching past the server’s state (nothing pending)', () => {
    const c = b.doc.clientID;
    refused(room.receive(rawUpdate([], [[c, 0, 50]]), bob.sender));
    refused(room.receive(rawUpdate([], [[123456, 0, 1]]), bob.sender));
    expect(room.nothingPending()).toBe(true);
  });
});

describe('shape', () => {
  it('refuses nested types, strings and foreign roots', () => {
    refused(room.send(a, (doc) => doc.getArray(DocRoot.messages).insert(0, [new Y.Map()])));
    const t = room.join(alice);
    refused(room.send(t, (doc) => doc.getText('notes').insert(0, 'hi')));
    refused(
      room.send(room.join(alice), (doc) => doc.getArray('other').insert(0, [message(alice)])),
    );
    refused(room.send(room.join(alice), (doc) => doc.getMap('messages2').set('k', 1)));
  });

  it('refuses crafted parents: nested ids, keyed messages, unkeyed maps, wrong content', () => {
    const client = 777;
    const rec = message(alice);
    const cases = [
      rawUpdate([{ client, clock: 0, parent: [b.doc.clientID, 0], content: { any: [rec] } }]),
      rawUpdate([{ client, clock: 0, parentSub: 'k', content: { any: [rec] } }]),
      rawUpdate([{ client, clock: 0, parent: DocRoot.readMarkers, content: { any: [{}] } }]),
      rawUpdate([{ client, clock: 0, content: { string: 'plain text' } }]),
    ];
    for (const update of cases) refused(room.receive(update, alice.sender));
    const ok = rawUpdate([{ client, clock: 0, content: { any: [rec] } }]);
    expect(room.receive(ok, alice.sender).ok).toBe(true);
  });

  it('refuses a key set through an origin in another user’s entry (parent inherited)', () => {
    expect(room.send(b, () => b.mark(aliceMsg)).ok).toBe(true);
    const marker = room.doc.getMap(DocRoot.readMarkers)._map.get(bob.id)!;
    const forged = rawUpdate([
      {
        client: 999,
        clock: 0,
        origin: [marker.id.client, marker.id.clock],
        content: { any: [{ messageId: aliceMsg, at: 5 }] },
      },
    ]);
    refused(room.receive(forged, alice.sender));
  });
});

describe('causality and bounds', () => {
  it('refuses future-clock structs and unknown origins, leaving nothing pending', () => {
    const first = a.write(() => a.post('first'));
    const second = a.write(() => a.post('second'));
    refused(room.receive(second, alice.sender));
    expect(room.receive(Y.mergeUpdates([first, second]), alice.sender).ok).toBe(true);
    const stranger = new Y.Doc();
    const unseen = message(bob);
    appendMessage(stranger, unseen); // a doc the server never saw
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(stranger), 'server');
    const at = b.g.messages.toArray().findIndex((m) => m.id === unseen.id);
    const reply = b.write(() => b.g.messages.insert(at + 1, [message(bob)]));
    refused(room.receive(reply, bob.sender));
    expect(room.nothingPending()).toBe(true);
    const forward = rawUpdate([{ client: 31, clock: 0, origin: [31, 5], content: { any: [1] } }]);
    refused(room.receive(forward, alice.sender));
  });

  it('refuses oversized updates before decoding and garbage as a bad frame', () => {
    const small = new ServerRoom({ maxUpdateBytes: 1024 });
    const c = small.join(alice);
    refused(
      small.send(c, () => c.post('x'.repeat(2000))),
      CloseCode.TOO_LARGE,
    );
    refused(room.receive(new Uint8Array([1, 2, 3]), alice.sender), CloseCode.BAD_FRAME);
    refused(room.receive(new Uint8Array(0), alice.sender), CloseCode.BAD_FRAME);
    // count that cannot fit: 2^40 structs in a handful of bytes
    const huge = new Uint8Array([1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 0]);
    refused(room.receive(huge, alice.sender), CloseCode.BAD_FRAME);
  });

  it('allows an offline catch-up (sync step 2) more bytes than a live update', () => {
    const offline = room.join(alice);
    for (let i = 0; i < 800; i++)
      offline.write(() => offline.post(`offline ${i} `.padEnd(900, '.')));
    const update = Y.encodeStateAsUpdate(offline.doc, Y.encodeStateVector(room.doc));
    expect(update.byteLength).toBeGreaterThan(512 * 1024);
    refused(room.guard.checkUpdate(update, alice.sender), CloseCode.TOO_LARGE);
    expect(room.syncStep2(offline).ok).toBe(true);
    expect(room.doc.getArray(DocRoot.messages).length).toBe(802);
  });

  it('refuses overlapping delete ranges before walking them', () => {
    const c = b.doc.clientID;
    const ranges = Array.from({ length: 50_000 }, (): [number, number, number] => [c, 0, 1]);
    const verdict = room.receive(rawUpdate([], ranges), bob.sender);
    expect(verdict).toMatchObject({ ok: false, reason: 'delete ranges overlap' });
  });

  it('refuses a deeply nested value as a bad frame, without overflowing', () => {
    const depth = 200_000;
    const head = rawUpdate([{ client: 5, clock: 0, content: { any: [] } }]);
    // head ends with: content length 0, delete-set client count 0. Replace the content.
    const bytes = [...head.slice(0, head.length - 2), 1];
    for (let i = 0; i < depth; i++) bytes.push(117, 1); // array of one element…
    bytes.push(127, 0); // …down to `undefined`; then an empty delete set
    refused(room.receive(Uint8Array.from(bytes), alice.sender), CloseCode.BAD_FRAME);
  });

  it('refuses absurd struct lengths', () => {
    const gc = rawUpdate([{ client: 77, clock: 0, content: { deleted: 2 ** 30 } }]);
    expect(room.receive(gc, alice.sender)).toMatchObject({
      ok: false,
      reason: 'struct length out of range',
    });
  });

  it('refuses too many structs', () => {
    const small = new ServerRoom({ maxStructs: 10 });
    const c = small.join(alice);
    const update = c.write(() => {
      for (let i = 0; i < 11; i++) c.react(makeId<MessageId>(), `e${i}`);
    });
    refused(small.receive(update, alice.sender), CloseCode.TOO_LARGE);
  });
});

describe('message index', () => {
  it('learns messages from any transaction, including server-side writes', () => {
    const id = makeId<MessageId>();
    room.doc.clientID = 5150;
    room.bindings.set(5150, alice.id);
    appendMessage(room.doc, { ...message(alice), id });
    expect(room.send(a, () => a.g.edits.set(id, { text: 'later', by: alice.id, at: 1 })).ok).toBe(
      true,
    );
    refused(room.send(b, () => b.g.edits.set(id, { text: 'later', by: bob.id, at: 1 })));
  });

  it('knows messages accepted earlier in the same transaction (a relay turn)', () => {
    const at = Date.now();
    let posted: MessageId | undefined;
    const post = a.write(() => (posted = a.post('in this turn').id));
    const edit = a.write(() => a.g.edits.set(posted!, { text: 'fixed', by: alice.id, at }));
    const b2 = room.join(bob); // joined before alice's message: its copy of the id is fresh
    const copy = b2.write(() => appendMessage(b2.doc, { ...message(bob), id: posted! }));
    const forged = b2.write(() => b2.g.edits.set(posted!, { text: 'x', by: bob.id, at }));
    room.doc.transact(() => {
      expect(room.receive(post, alice.sender).ok).toBe(true);
      expect(room.receive(edit, alice.sender).ok).toBe(true);
      refused(room.receive(copy, bob.sender));
      refused(room.receive(forged, bob.sender));
    });
    expect(room.doc.getMap(DocRoot.edits).get(posted!)).toMatchObject({ text: 'fixed' });
    // after the transaction the index has it on its own
    const later = a.write(() => a.g.edits.set(posted!, { text: 'again', by: alice.id, at }));
    expect(room.receive(later, alice.sender).ok).toBe(true);
  });
});
