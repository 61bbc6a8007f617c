// Server side of the client benchmark: the real `node sync-server/dist/main.js` on a temp
// DATA_DIR, accounts signed up and groups created over HTTP, and each group's history (real
// Yjs updates of its real authors, see client-history.ts) stored as the group's snapshot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SESSION_COOKIE_NAME } from '@canopy/shared';
import type { GroupId, UserId } from '@canopy/shared';
import { buildHistory } from './client-history.js';
import type { History } from './client-history.js';
import { startServerProcess } from './server-process.js';
import type { ServerProcess } from './server-process.js';
import { post } from './bench-http.js';

export const BENCH_PASSWORD = 'client-bench-password';

export interface Account {
  username: string;
  displayName: string;
  userId: UserId;
  cookie: string;
}

export interface BenchServer {
  origin: string;
  process: ServerProcess;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startBenchServer(rootDir: string): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'canopy-client-bench-'));
  const proc = await startServerProcess({
    name: 'canopy',
    nodeArgs: [path.join(rootDir, 'sync-server/dist/main.js')],
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      AUTH_RATE_LIMIT_IP: '0',
      NODE_ENV: 'production',
    },
    cwd: rootDir,
    // The browser gets core 1; the server shares core 0 with this script (idle while measuring).
    core: 0,
  });
  return {
    origin: `http://127.0.0.1:${proc.port}`,
    process: proc,
    dataDir,
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signup(
  origin: string,
  username: string,
  displayName: string,
): Promise<Account> {
  const res = await post(origin, '/api/auth/signup', {
    username,
    email: `${username}@bench.invalid`,
    password: BENCH_PASSWORD,
    displayName,
  });
  const { user } = (await res.json()) as { user: { id: UserId } };
  const prefix = `${SESSION_COOKIE_NAME}=`;
  const line = res.headers.getSetCookie().find((c) => c.startsWith(prefix));
  if (!line) throw new Error('sign-up set no session cookie');
  return {
    username,
    displayName,
    userId: user.id,
    cookie: line.slice(prefix.length).split(';')[0]!,
  };
}

export async function createGroup(
  origin: string,
  owner: Account,
  name: string,
  members: Account[],
): Promise<GroupId> {
  const res = await post(
    origin,
    '/api/groups',
    { name, members: members.map((m) => m.userId) },
    owner.cookie,
  );
  const { group } = (await res.json()) as { group: { id: GroupId } };
  return group.id;
}

/**
 * Stores `count` messages by `authors` (interleaved) as the group's document snapshot, with
 * each author's Yjs client id bound to that author, exactly as the relay stores them after
 * compaction. Written into the server's SQLite file (WAL, a second connection) before any
 * socket opened the group, so the relay loads it on first use like any stored document.
 * Why not through the relay: it refuses an update whose items hang off items it has not
 * stored yet ("unknown origin"), so interleaved authors would need one round trip per
 * change of author, tens of thousands of them at 100k messages.
 */
export function storeHistory(
  server: BenchServer,
  groupId: GroupId,
  authors: Account[],
  count: number,
  seed: number,
): History {
  const history = buildHistory(
    count,
    authors.map((a) => a.userId),
    seed,
  );
  const db = new Database(path.join(server.dataDir, 'canopy.sqlite'), { fileMustExist: true });
  try {
    const now = Date.now();
    db.transaction(() => {
      db.prepare(
        'INSERT INTO doc_snapshots (group_id, data, last_update_id, updated_at) VALUES (?, ?, 0, ?)',
      ).run(groupId, Buffer.from(history.fullUpdate), now);
      const bind = db.prepare(
        'INSERT INTO client_bindings (group_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)',
      );
      authors.forEach((a, i) => bind.run(groupId, history.clientIds[i]!, a.userId, now));
    })();
  } finally {
    db.close();
  }
  return history;
}
