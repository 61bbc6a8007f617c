// Issue 3: decoding a crafted update is bounded in time and memory. Updates built to
// overflow the decoder's stack, to claim absurd counts or lengths, or to leave structs
// pending forever (missing dependencies) are refused quickly with a documented code, and
// the room keeps syncing for its honest members.
import { beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { CloseCode, appendMessage } from '@canopy/shared';
import { startTestServer } from '../utils/start-server.js';
import type { TestServer } from '../utils/start-server.js';
import { groupWithMembers, messageIds, textMessage, writeMessage } from '../utils/fixtures.js';
import type { GroupFixture, HttpClient } from '../utils/fixtures.js';
import { RawClient } from '../utils/raw-client.js';
import { connectProvider, waitFor, waitSynced } from '../utils/ws-provider.js';
import type { WebsocketProvider } from 'y-websocket';

const REFUSED = [CloseCode.BAD_FRAME, CloseCode.UPDATE_REJECTED, CloseCode.TOO_LARGE];
const MARKER = 'MARKER_0123456789';

let server: TestServer;
let fx: GroupFixture;
let mallory: HttpClient;
let honest: WebsocketProvider;
let watcher: WebsocketProvider;

beforeAll(async () => {
  server = await startTestServer();
  fx = await groupWithMembers(server.url, 2);
  mallory = fx.members[1]!;
  honest = connectProvider(fx.members[0]!, fx.group.id);
  watcher = connectProvider(fx.owner, fx.group.id);
  await Promise.all([waitSynced(honest), waitSynced(watcher)]);
});

/** Replaces the encoded `MARKER` string value (writeAny type 119) in `update` with `bytes`. */
function spliceValue(update: Uint8Array, bytes: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeUint8(e, 119);
  encoding.writeVarString(e, MARKER);
  const needle = encoding.toUint8Array(e);
  for (let i = 0; i + needle.length <= update.length; i++) {
    if (needle.every((b, j) => update[i + j] === b)) {
      return Uint8Array.from([
        ...update.subarray(0, i),
        ...bytes,
        ...update.subarray(i + needle.length),
      ]);
    }
  }
  throw new Error('marker not found in the update');
}

/** An honest-looking message update whose text value is replaced by `bytes`. */
function messageWithValue(raw: RawClient, bytes: Uint8Array): Uint8Array {
  const update = raw.craft((doc) => appendMessage(doc, textMessage(mallory.userId, MARKER)));
  return spliceValue(update, bytes);
}

function repeat(pattern: number[], times: number, tail: number[]): Uint8Array {
  const out = new Uint8Array(pattern.length * times + tail.length);
  for (let i = 0; i < times; i++) out.set(pattern, i * pattern.length);
  out.set(tail, pattern.length * times);
  return out;
}

function varUint(n: number): number[] {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, n);
  return [...encoding.toUint8Array(e)];
}

async function expectRefusedQuickly(
  build: (raw: RawClient) => Uint8Array,
  label: string,
): Promise<void> {
  const raw = await RawClient.connect(mallory, fx.group.id);
  await raw.sync();
  const update = build(raw);
  const started = Date.now();
  await raw.sendUpdate(update);
  const closed = await raw.waitClosed(5_000);
  expect({ label, ok: REFUSED.includes(closed.code as (typeof REFUSED)[number]) }).toEqual({
    label,
    ok: true,
  });
  expect(closed.at - started, `${label}: time to refuse`).toBeLessThan(1_000);
  const m = writeMessage(honest.doc, fx.members[0]!.userId, `after ${label}`);
  await waitFor(() => messageIds(watcher.doc).includes(m.id), {
    timeout: 5_000,
    message: `room to sync after ${label}`,
  });
}

describe('crafted updates', () => {
  it('refuses a value nested 150,000 arrays deep (stack overflow in a naive decoder)', async () => {
    await expectRefusedQuickly(
      (raw) => messageWithValue(raw, repeat([117, 1], 150_000, [127])),
      'deep arrays',
    );
  });

  it('refuses a value nested 100,000 objects deep', async () => {
    // writeAny object: 118, varUint key count, then (varString key, value)*.
    await expectRefusedQuickly(
      (raw) => messageWithValue(raw, repeat([118, 1, 1, 0x61], 100_000, [127])),
      'deep objects',
    );
  });

  it('refuses absurd declared lengths and counts', async () => {
    await expectRefusedQuickly(
      (raw) => messageWithValue(raw, Uint8Array.from([117, ...varUint(2 ** 31)])),
      'huge array count',
    );
    await expectRefusedQuickly(
      (raw) => messageWithValue(raw, Uint8Array.from([119, ...varUint(2 ** 31), 0x61])),
      'huge string length',
    );
    await expectRefusedQuickly(
      (raw) => messageWithValue(raw, Uint8Array.from([118, ...varUint(2 ** 30)])),
      'huge object key count',
    );
    // A v1 update header that claims 2^31 client blocks / structs.
    await expectRefusedQuickly(
      () => Uint8Array.from([...varUint(2 ** 31), 0]),
      'huge client count',
    );
    await expectRefusedQuickly(
      () => Uint8Array.from([1, ...varUint(2 ** 31), ...varUint(12345), 0]),
      'huge struct count',
    );
  });

  it('refuses an update with missing dependencies (it would stay pending forever)', async () => {
    await expectRefusedQuickly((raw) => {
      raw.craft((doc) => writeMessage(doc, mallory.userId, 'first, never sent'));
      return raw.craft((doc) => writeMessage(doc, mallory.userId, 'second, sent alone'));
    }, 'gap in clocks');
    const reader = await RawClient.connect(fx.owner, fx.group.id);
    await reader.sync();
    const texts = reader.doc
      .getArray<{ text?: string }>('messages')
      .toArray()
      .map((m) => m.text);
    expect(texts).not.toContain('second, sent alone');
  });

  it('refuses a delete set with an absurd range', async () => {
    await expectRefusedQuickly((raw) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0); // no structs
      encoding.writeVarUint(e, 1); // one client in the delete set
      encoding.writeVarUint(e, raw.doc.clientID);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2 ** 40);
      return encoding.toUint8Array(e);
    }, 'huge delete range');
  });

  // Regression: a `__proto__` key on the wire swapped the decoded record's prototype, so
  // fields could be smuggled past the schema check.
  it('refuses a record carrying a __proto__ key', async () => {
    await expectRefusedQuickly((raw) => {
      const record = JSON.parse(
        JSON.stringify(textMessage(mallory.userId, 'proto')).replace(
          /}$/,
          ',"__proto__":{"kind":"bot","admin":true}}',
        ),
      ) as Parameters<typeof appendMessage>[1];
      expect(Object.keys(record)).toContain('__proto__');
      return raw.craft((doc) => appendMessage(doc, record));
    }, '__proto__ key');
    const reader = await RawClient.connect(fx.owner, fx.group.id);
    await reader.sync();
    expect(
      reader.doc
        .getArray<{ text?: string }>('messages')
        .toArray()
        .some((m) => m.text === 'proto'),
    ).toBe(false);
  });

  it('the honest members were never disconnected', () => {
    expect(honest.wsconnected && watcher.wsconnected).toBe(true);
    expect(messageIds(honest.doc)).toEqual(messageIds(watcher.doc));
  });
});
