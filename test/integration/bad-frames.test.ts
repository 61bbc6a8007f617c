// Issue 2: malformed, truncated and oversized frames close only the connection that sent
// them, with the documented close code; the process keeps serving the same room and
// other rooms, and nothing stored is lost.
import { beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { CloseCode, MAX_FRAME_BYTES } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture } from '../utils/fixtures.js';
import { RawClient, frames } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import type { WebsocketProvider } from 'y-websocket';

let server: TestServer;
let roomA: GroupFixture;
let roomB: GroupFixture;

beforeAll(async () => {
  server = await startTestServer();
  roomA = await groupWithMembers(server.url, 1, 'room a');
  roomB = await groupWithMembers(server.url, 1, 'room b');
});

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

function withLength(type: number[], payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  for (const t of type) encoding.writeVarUint(e, t);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

const BAD = [CloseCode.BAD_FRAME];
const BAD_OR_REJECTED = [CloseCode.BAD_FRAME, CloseCode.UPDATE_REJECTED];

const cases: { name: string; frame: () => Uint8Array | string; codes: number[] }[] = [
  { name: 'empty frame', frame: () => new Uint8Array(0), codes: BAD },
  { name: 'unknown message type 7', frame: () => bytes(7), codes: BAD },
  { name: 'truncated varuint', frame: () => bytes(0x80), codes: BAD },
  { name: 'garbage bytes', frame: () => bytes(0xff, 0xfe, 0xfd, 0x00, 0x13, 0x37), codes: BAD },
  { name: 'sync with unknown sub-type', frame: () => withLength([0, 9], bytes(0)), codes: BAD },
  {
    name: 'truncated sync update (length past the end)',
    frame: () => bytes(0, 2, 50, 1, 2, 3),
    codes: BAD,
  },
  { name: 'sync step 1 with trailing bytes', frame: () => bytes(0, 0, 1, 0, 9, 9), codes: BAD },
  { name: 'auth frame from a client', frame: () => withLength([2, 0], bytes(1)), codes: BAD },
  { name: 'ACK frame from a client', frame: () => withLength([100], bytes(0)), codes: BAD },
  { name: 'awareness without payload', frame: () => bytes(1), codes: BAD },
  { name: 'text frame', frame: () => 'hello', codes: BAD },
  {
    name: 'update that is not a Yjs update',
    frame: () => frames.update(bytes(0xff, 0xff, 0xff, 0x01)),
    codes: BAD_OR_REJECTED,
  },
  {
    name: 'truncated Yjs update',
    frame: () => frames.update(bytes(1, 1, 0x80, 0x80)),
    codes: BAD_OR_REJECTED,
  },
  {
    name: 'awareness update with garbage JSON',
    frame: () => frames.awareness(bytes(1, 5, 1, 3, 0x7b, 0x7b, 0x7b)),
    codes: BAD,
  },
  {
    name: 'frame over MAX_FRAME_BYTES',
    frame: () => frames.update(new Uint8Array(MAX_FRAME_BYTES + 16)),
    codes: [CloseCode.TOO_LARGE],
  },
];

describe('bad frames', () => {
  let honestA: WebsocketProvider;
  let b1: WebsocketProvider;
  let b2: WebsocketProvider;
  let connectionLosses = 0;
  let roomBWrites = 0;

  beforeAll(async () => {
    honestA = connectProvider(roomA.owner, roomA.group.id);
    b1 = connectProvider(roomB.owner, roomB.group.id);
    b2 = connectProvider(roomB.members[0]!, roomB.group.id);
    await Promise.all([waitSynced(honestA), waitSynced(b1), waitSynced(b2)]);
    for (const p of [honestA, b1, b2]) p.on('connection-close', () => connectionLosses++);
    writeMessage(honestA.doc, roomA.owner.userId, 'kept');
  });

  it.each(cases)('closes the sender of: $name', async ({ frame, codes }) => {
    const attacker = await RawClient.connect(roomA.members[0]!, roomA.group.id);
    await attacker.sync();
    const f = frame();
    if (typeof f === 'string') attacker.ws.send(f);
    else await attacker.send(f);
    const closed = await attacker.waitClosed(3_000);
    expect(codes).toContain(closed.code);

    // Room B keeps syncing while room A is being attacked.
    const before = messageIds(b2.doc).length;
    writeMessage(b1.doc, roomB.owner.userId, `b while ${closed.code}`);
    roomBWrites++;
    await waitFor(() => messageIds(b2.doc).length === before + 1, {
      timeout: 5_000,
      message: 'room b to sync',
    });
  });

  it('left every honest connection open and every stored message in place', async () => {
    expect(connectionLosses).toBe(0);
    expect(honestA.wsconnected && b1.wsconnected && b2.wsconnected).toBe(true);
    const fresh = await RawClient.connect(roomA.members[0]!, roomA.group.id);
    await fresh.sync();
    expect(messageIds(fresh.doc)).toEqual(messageIds(honestA.doc));
    expect(messageIds(fresh.doc)).toHaveLength(1);
    expect(messageIds(b1.doc)).toEqual(messageIds(b2.doc));
    expect(messageIds(b1.doc)).toHaveLength(roomBWrites);
  });
});
