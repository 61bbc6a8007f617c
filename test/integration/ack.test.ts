// Issue 3 "delivery acknowledgement": clients that connect with `?ack=1` receive ACK
// frames carrying the durably stored state vector (after the first sync and after each
// commit); everyone else, including the stock WebsocketProvider, never sees one.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MessageType } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { RawClient, svCovers } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';

let server: TestServer;
let fx: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 1);
});

function ackFrames(raw: RawClient): number {
  return raw.received.filter(
    (f) => decoding.readVarUint(decoding.createDecoder(f)) === MessageType.ACK,
  ).length;
}

describe('ACK extension', () => {
  it('acknowledges stored updates only to clients that asked, with the stored state vector', async () => {
    const member = fx.members[0]!;
    const acking = await RawClient.connect(member, fx.group.id, { ack: true });
    const plain = await RawClient.connect(fx.owner, fx.group.id);
    await Promise.all([acking.sync(), plain.sync()]);
    // The first sync is acknowledged with what is stored (nothing yet).
    await acking.until(() => acking.acks.length > 0, 5_000, 'the initial ACK');

    const update = acking.craft((doc) => writeMessage(doc, member.userId, 'ack me'));
    await acking.sendUpdate(update);
    const want = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
    await acking.waitAcked(want);
    // What the ACK claims is really stored: a fresh connection reads it back.
    const reader = await RawClient.connect(fx.owner, fx.group.id);
    await reader.sync();
    expect(svCovers(Y.decodeStateVector(Y.encodeStateVector(reader.doc)), want)).toBe(true);

    // The plain client got the update but never an ACK frame.
    await plain.until(
      () => plain.doc.getArray('messages').length === 1,
      5_000,
      'plain client to get the message',
    );
    expect(ackFrames(plain)).toBe(0);
    expect(ackFrames(acking)).toBeGreaterThanOrEqual(2);
  });

  it('never sends an ACK to the stock provider (it would log "Unable to compute message")', async () => {
    const errors = vi.spyOn(console, 'error');
    try {
      const provider = connectProvider(fx.members[0]!, fx.group.id);
      await waitSynced(provider);
      const m = writeMessage(provider.doc, fx.members[0]!.userId, 'stock');
      const watcher = await RawClient.connect(fx.owner, fx.group.id);
      await watcher.sync();
      await waitFor(
        () =>
          watcher.doc
            .getArray<{ id: string }>('messages')
            .toArray()
            .some((x) => x.id === m.id),
        { message: 'the message to be stored and forwarded' },
      );
      const posted = await fx.owner.postMessage(fx.group.id, 'from the api');
      await waitFor(
        () =>
          provider.doc
            .getArray<{ id: string }>('messages')
            .toArray()
            .some((x) => x.id === posted.id),
        { message: 'provider to get the API message' },
      );
      expect(
        errors.mock.calls.filter((args) => String(args[0]).includes('Unable to compute message')),
      ).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });
});
