// Canopy under test: the real `node sync-server/dist/main.js` on a temp DATA_DIR. Members
// are real accounts made through the HTTP API (argon2id makes each sign-up cost tens of
// ms of server CPU, so it happens once, bounded, into a template directory that every
// run copies; sessions live in SQLite and survive the copy and restarts). The history is
// written by member 0 over a light socket with ?ack=1, one chunk per durable ACK.
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import {
  ACK_QUERY_PARAM,
  MessageType,
  SESSION_COOKIE_NAME,
  SYNC_PATH_PREFIX,
} from '@canopy/shared';
import type { UserId } from '@canopy/shared';
import { boundedAll, cpuProfileFlags, emptyDir, freshDataDir } from './bench-target.js';
import type { BenchSettings, BenchTarget, StartOptions, TargetSession } from './bench-target.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { waitForHistory } from './hocuspocus-target.js';
import { LightClient } from './light-client.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { makePrefillUpdates, PREFILL_CLIENT_ID } from './update-factory.js';
import { yWebsocketWire } from './wire-formats.js';
import { post } from './bench-http.js';

const PASSWORD = 'relay-bench-password';
const SIGNUP_CONCURRENCY = 4;

interface Account {
  userId: UserId;
  cookie: string;
}

export function createCanopyTarget(settings: BenchSettings): BenchTarget {
  const templateDir = path.join(settings.workDir, 'template');
  const mainJs = path.join(settings.rootDir, 'sync-server/dist/main.js');
  let accounts: Account[] = [];
  let groupId = '';
  let runs = 0;

  async function spawn(dataDir: string, options: StartOptions): Promise<ServerProcess> {
    const flags = cpuProfileFlags(options.cpuProfile);
    return startServerProcess({
      name: 'canopy',
      nodeArgs: [...flags, mainJs],
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        RELAY_VALIDATION: options.validation === false ? 'off' : 'on',
        // 200 sign-ups from one address in a minute: the per-IP limit would refuse them.
        AUTH_RATE_LIMIT_IP: '0',
        NODE_ENV: 'production',
        // debug prints "room unloaded"; the load runs keep the default level
        ...(options.logUnloads ? { LOG_LEVEL: 'debug' } : {}),
      },
      cwd: settings.rootDir,
      core: settings.serverCore,
    });
  }

  function session(server: ServerProcess): TargetSession {
    const origin = `http://127.0.0.1:${server.port}`;
    const wsBase = `ws://127.0.0.1:${server.port}${SYNC_PATH_PREFIX.replace(/\/$/, '')}`;
    const headers = (member: number): Record<string, string> => ({
      cookie: `${SESSION_COOKIE_NAME}=${accounts[member]!.cookie}`,
      origin,
    });
    return {
      server,
      light: (member) => ({
        url: `${wsBase}/${groupId}`,
        headers: headers(member),
        wire: yWebsocketWire,
      }),
      full: (member) => ({
        kind: 'canopy',
        baseUrl: wsBase,
        room: groupId,
        headers: headers(member),
      }),
    };
  }

  return {
    name: 'canopy',
    authorId: (member) => accounts[member]!.userId,

    async prepare() {
      const server = await spawn(emptyDir(templateDir), {});
      try {
        const origin = `http://127.0.0.1:${server.port}`;
        accounts = await boundedAll([...Array(settings.members).keys()], SIGNUP_CONCURRENCY, (i) =>
          signup(origin, i),
        );
        groupId = await createGroup(origin, accounts);
        const s = session(server);
        await writeHistory(s, accounts[0]!.userId, settings);
        await waitForHistory(s, settings.prefill);
      } finally {
        await server.stop();
      }
    },

    async start(options = {}) {
      const dataDir = options.keepData
        ? path.join(settings.workDir, `run-${runs}`)
        : freshDataDir(templateDir, path.join(settings.workDir, `run-${++runs}`));
      return session(await spawn(dataDir, options));
    },
  };
}

async function signup(origin: string, i: number): Promise<Account> {
  const username = `bench_member_${i}`;
  const res = await post(origin, '/api/auth/signup', {
    username,
    email: `${username}@bench.invalid`,
    password: PASSWORD,
  });
  const { user } = (await res.json()) as { user: { id: UserId } };
  const prefix = `${SESSION_COOKIE_NAME}=`;
  const line = res.headers.getSetCookie().find((c) => c.startsWith(prefix));
  if (!line) throw new Error('sign-up set no session cookie');
  return { userId: user.id, cookie: line.slice(prefix.length).split(';')[0]! };
}

async function createGroup(origin: string, accounts: Account[]): Promise<string> {
  const res = await post(
    origin,
    '/api/groups',
    { name: 'Relay benchmark', members: accounts.slice(1).map((a) => a.userId) },
    accounts[0]!.cookie,
  );
  const { group } = (await res.json()) as { group: { id: string } };
  return group.id;
}

/** Sends the history in chunks; each chunk waits for the ACK that says it is stored. */
async function writeHistory(
  s: TargetSession,
  authorId: UserId,
  settings: BenchSettings,
): Promise<void> {
  let storedClock = 0;
  let onAck: (() => void) | null = null;
  const endpoint = s.light(0);
  const writer = await LightClient.connect({
    ...endpoint,
    url: `${endpoint.url}?${ACK_QUERY_PARAM}=1`,
    stateVector: Y.encodeStateVector(new Y.Doc()),
    member: 0,
    tracker: new DeliveryTracker(1, 1),
    onOtherFrame(frame) {
      const d = decoding.createDecoder(frame);
      if (decoding.readVarUint(d) !== MessageType.ACK) return;
      storedClock = Y.decodeStateVector(decoding.readVarUint8Array(d)).get(PREFILL_CLIENT_ID) ?? 0;
      onAck?.();
    },
  });
  try {
    let clock = 0;
    for (const update of makePrefillUpdates(settings.prefill, authorId, settings.prefillChunk)) {
      clock = Math.min(settings.prefill, clock + settings.prefillChunk);
      writer.send(endpoint.wire.updateFrame(update));
      const target = clock;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ACK for clock ${target} (${writer.closeCode ?? 'open'})`)),
          15_000,
        );
        onAck = () => {
          if (storedClock < target) return;
          clearTimeout(timer);
          resolve();
        };
        onAck();
      });
    }
  } finally {
    writer.close();
  }
}
