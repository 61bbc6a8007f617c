// Real servers for integration tests. startTestServer: the sync-server in-process
// (startServer) on port 0 with a fresh temp DATA_DIR and a real SQLite file.
// spawnServer: the built `node sync-server/dist/main.js` as a child process, for tests
// that must kill -9 it. Both register their own teardown; a data dir made here is removed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadConfig, startServer } from '@canopy/sync-server';
import type { Config, RunningServer, StartServerOptions } from '@canopy/sync-server';
import { registerCleanup } from './cleanup.js';
import { withTimeout } from './wait-for.js';

export type RelayTuning = NonNullable<StartServerOptions['relay']>;

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_MAIN = path.join(REPO_ROOT, 'sync-server/dist/main.js');
/** The database file inside DATA_DIR (sync-server/src/db/open-database.ts). */
export const DATABASE_FILE_NAME = 'canopy.sqlite';

/**
 * Environment defaults for test servers: quiet logs, loopback only, and auth rate limits
 * high enough that a test creating many accounts never trips them (the rate-limit test
 * sets small ones).
 */
export const TEST_ENV: Readonly<Record<string, string>> = {
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  AUTH_RATE_LIMIT_IP: '10000',
  AUTH_RATE_LIMIT_ACCOUNT: '10000',
};

/**
 * A port free at this moment, for a server that must know its own URL before it starts
 * (PUBLIC_ORIGIN); nothing else on this machine takes ports from under the tests.
 */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export function makeDataDir(prefix = 'canopy-it-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestServerOptions {
  /** environment variables, parsed by the server's own loadConfig */
  env?: Record<string, string>;
  /** fields merged over the parsed config */
  config?: Partial<Config>;
  /** relay limits and timings (frame cap, rate limit, idle unload, …) */
  relay?: RelayTuning;
  /** reuse a data dir (restart); default a fresh temp dir */
  dataDir?: string;
  /** 'file': keep the server until the file's tests are done, even if started in a test */
  scope?: 'test' | 'file';
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  dbFile: string;
  relay: RunningServer['relay'];
  server: RunningServer;
  /** idempotent */
  close(): Promise<void>;
  /** Read-only query on the server's SQLite file (a separate connection; WAL lets it read). */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeDataDir();
  const base = loadConfig({ ...TEST_ENV, ...options.env, DATA_DIR: dataDir });
  const config: Config = { ...base, ...options.config };
  const server = await startServer(config, options.relay ? { relay: options.relay } : {});
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= Promise.resolve(server.close()));
  registerCleanup(close, options.scope ? { scope: options.scope } : {});
  const dbFile = path.join(dataDir, DATABASE_FILE_NAME);
  return {
    url: server.url.replace(/\/+$/, ''),
    port: server.port,
    dataDir,
    dbFile,
    relay: server.relay,
    server,
    close,
    query: <T>(sql: string, ...params: unknown[]) => readQuery<T>(dbFile, sql, params),
  };
}

export function readQuery<T>(dbFile: string, sql: string, params: unknown[] = []): T[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

// ---- child process ----

export interface SpawnedServer {
  url: string;
  port: number;
  dataDir: string;
  dbFile: string;
  child: ChildProcess;
  /** resolves when the process exits */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout/stderr lines so far (JSON logs; never contain secrets by the server's rules) */
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  env?: Record<string, string>;
  /** ms to wait for the "listening" line */
  timeout?: number;
  /** 'file': keep the process until the file's tests are done, even if spawned in a test */
  scope?: 'test' | 'file';
}

/** Whether sync-server/dist is older than its sources (a stale build would test old code). */
export function serverBuildIsStale(): string | null {
  if (!existsSync(SERVER_MAIN)) return `${SERVER_MAIN} is missing: run npm run build`;
  const built = statSync(SERVER_MAIN).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return Math.max(max, newest(full));
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return max;
      return Math.max(max, statSync(full).mtimeMs);
    }, 0);
  if (newest(path.join(REPO_ROOT, 'sync-server/src')) > built + 1000) {
    return 'sync-server/dist is older than src: run npm run build';
  }
  return null;
}

/** Starts `node sync-server/dist/main.js` on port 0; resolves once it logged "listening". */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run npm run build`);
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...TEST_ENV,
      LOG_LEVEL: 'info',
      ...options.env,
      DATA_DIR: options.dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  registerCleanup(() => kill('SIGKILL'), options.scope ? { scope: options.scope } : {});
  const listening = new Promise<number>((resolve, reject) => {
    const onLine = (line: string): void => {
      output.push(line);
      if (output.length > 2000) output.splice(0, 1000);
      if (!line.includes('"listening"')) return;
      try {
        const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
        if (entry.msg === 'listening' && typeof entry.port === 'number') resolve(entry.port);
      } catch {
        // Not a JSON log line; keep reading.
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          `server exited (${code ?? signal}) before listening:\n${output.slice(-20).join('\n')}`,
        ),
      ),
    );
  });
  const port = await withTimeout(listening, options.timeout ?? 20_000, 'spawned server to listen');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir: options.dataDir,
    dbFile: path.join(options.dataDir, DATABASE_FILE_NAME),
    child,
    exited,
    output,
    kill,
  };
}
