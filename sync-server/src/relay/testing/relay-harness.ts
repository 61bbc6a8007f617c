// Test support for the relay's own tests: a real SQLite file with the committed
// migrations, rows inserted directly (users, sessions, groups), a small RelayAccess on
// those tables, a real HTTP server on port 0 whose upgrades go to the relay, and the stock
// y-websocket WebsocketProvider over `ws` with a Cookie header. Not used in production.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { makeId } from '@canopy/shared';
import type { GroupId, GroupRole, UserId } from '@canopy/shared';
import { createLogger } from '../../log.js';
import { createRelay } from '../relay.js';
import type { Relay, RelayAccess, RelayOptions } from '../relay-types.js';

const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url));
export const ALLOWED_ORIGIN = 'http://canopy.test';
const COOKIE = 'canopy_session';

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'canopy-relay-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openTestDatabase(file: string): SqliteDatabase {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS });
  return sqlite;
}

export interface TestUser {
  userId: UserId;
  /** Cookie header value */
  cookie: string;
  sessionId: string;
}

export function addUser(sqlite: SqliteDatabase, name: string): TestUser {
  const userId = makeId<UserId>();
  const now = Date.now();
  sqlite
    .prepare(
      'INSERT INTO users (id, username, email, display_name, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(userId, `${name}_${userId.slice(0, 6)}`.toLowerCase(), `${userId}@x.test`, name, now);
  const secret = randomBytes(24).toString('base64url');
  const sessionId = createHash('sha256').update(secret).digest('hex');
  sqlite
    .prepare(
      'INSERT INTO sessions (id, user_id, expires_at, absolute_expires_at, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    .run(sessionId, userId, now + 3_600_000, now + 3_600_000, now);
  return { userId, cookie: `${COOKIE}=${secret}`, sessionId };
}

export function addGroup(
  sqlite: SqliteDatabase,
  owner: UserId,
  members: UserId[] = [],
  role: GroupRole = 'member',
): GroupId {
  const groupId = makeId<GroupId>();
  const now = Date.now();
  sqlite
    .prepare('INSERT INTO groups (id, kind, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(groupId, 'group', 'test', owner, now);
  const add = sqlite.prepare(
    'INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)',
  );
  add.run(groupId, owner, 'owner', now);
  for (const m of members) add.run(groupId, m, role, now);
  return groupId;
}

export interface AuditRecord {
  action: string;
  actorId: string | null;
  groupId?: string;
  details?: Record<string, unknown>;
}

/** RelayAccess on the real tables, with the audit entries kept in memory for assertions. */
export function createTestAccess(sqlite: SqliteDatabase, audit: AuditRecord[]): RelayAccess {
  const session = sqlite.prepare<[string, number], { user_id: string }>(
    'SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ? AND u.banned = 0',
  );
  const group = sqlite.prepare<[string], { id: string; kind: 'group' | 'dm' }>(
    'SELECT id, kind FROM groups WHERE id = ?',
  );
  const member = sqlite.prepare<[string, string], { role: GroupRole; is_bot: number }>(
    'SELECT m.role, u.is_bot FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND m.user_id = ?',
  );
  return {
    isOriginAllowed: (req: IncomingMessage) =>
      req.headers.origin === undefined || req.headers.origin === ALLOWED_ORIGIN,
    authenticate(req: IncomingMessage) {
      const match = /(?:^|;\s*)canopy_session=([^;]+)/.exec(req.headers.cookie ?? '');
      if (!match?.[1]) return Promise.resolve(null);
      const sessionId = createHash('sha256').update(match[1]).digest('hex');
      const row = session.get(sessionId, Date.now());
      return Promise.resolve(row ? { userId: row.user_id as UserId, sessionId } : null);
    },
    membership(groupId, userId) {
      const found = group.get(groupId);
      if (!found) return { kind: 'no-group' };
      const row = member.get(groupId, userId);
      return row
        ? { kind: 'member', role: row.role, isBot: row.is_bot === 1, conversation: found.kind }
        : { kind: 'not-member' };
    },
    audit(entry) {
      audit.push(entry);
    },
  };
}

export interface RelayServer {
  relay: Relay;
  /** ws://127.0.0.1:port/sync */
  syncUrl: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

export async function startRelayServer(
  sqlite: SqliteDatabase,
  audit: AuditRecord[],
  overrides: Partial<RelayOptions> = {},
): Promise<RelayServer> {
  const relay = createRelay({
    sqlite,
    log: createLogger(process.env.RELAY_TEST_LOG ?? 'silent'),
    access: createTestAccess(sqlite, audit),
    guard: null,
    ...overrides,
  });
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  server.on('upgrade', (req, socket, head) => relay.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    relay,
    server,
    port,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    async stop() {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A `ws` class that sends the given headers on every upgrade (what a browser does). */
export function wsWithHeaders(
  headers: Record<string, string>,
): new (address: string | URL, protocols?: string | string[]) => WebSocket {
  return class HeaderWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols ?? [], { headers });
    }
  };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectClient(
  syncUrl: string,
  groupId: string,
  user: TestUser,
  options: { doc?: Y.Doc; params?: Record<string, string> } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(syncUrl, groupId, doc, {
    WebSocketPolyfill: wsWithHeaders({
      cookie: user.cookie,
    }) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? {},
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Poll until `predicate` holds (no fixed sleeps); throws with `what` after `timeout` ms. */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  timeout = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface RawClient {
  ws: WebSocket;
  frames: Buffer[];
  /** resolves with the HTTP status when the upgrade is refused, or 101 when it opens */
  handshake: Promise<number>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare `ws` socket on /sync/<path> (crafted frames, refusals). */
export function openRaw(
  syncUrl: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  options: { autoPong?: boolean } = {},
): RawClient {
  const ws = new WebSocket(`${syncUrl}/${pathAndQuery}`, { headers, ...options });
  const frames: Buffer[] = [];
  ws.on('message', (data: Buffer) => frames.push(data));
  ws.on('error', () => undefined);
  const handshake = new Promise<number>((resolve) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { ws, frames, handshake, closed };
}

/** The close code of y-websocket's 'connection-close' event (a DOM CloseEvent, or null). */
export function closeCode(event: unknown): number {
  return (event as { code?: number } | null)?.code ?? 0;
}
