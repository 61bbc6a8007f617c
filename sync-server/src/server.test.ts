import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, groupResponseSchema } from '@canopy/shared';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startServer } from './server.js';
import type { RunningServer } from './server.js';

let dir: string;
let server: RunningServer;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'canopy-server-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    CLIENT_DIR: path.join(dir, 'none'),
  });
  server = await startServer(config, { log: createLogger('silent') });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signup(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: 'long enough' }),
  });
  expect(res.status).toBe(201);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

function rawUpgrade(urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write(
        `GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('startServer', () => {
  it('serves the API over real HTTP on an ephemeral port', async () => {
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/me`);
    expect(res.status).toBe(401);
  });

  it('refuses upgrades outside /sync/ with 404 and closes the socket', async () => {
    expect(await rawUpgrade('/api/me')).toMatch(/^HTTP\/1\.1 404/);
  });

  it("wires /sync/ upgrades to the relay, and logout closes that session's socket", async () => {
    const cookie = await signup('ann');
    const created = await fetch(`${server.url}/api/groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, cookie },
      body: JSON.stringify({ name: 'G', members: [] }),
    });
    const { group } = groupResponseSchema.parse(await created.json());
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${group.id}`, {
      headers: { cookie },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const out = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { origin: server.url, cookie },
    });
    expect(out.status).toBe(204);
    expect(await closed).toBe(CloseCode.SESSION_ENDED);
  });

  it('close() is idempotent and ends open event streams', async () => {
    const cookie = await signup('ben');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/events`, { headers: { cookie } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/api/me`)).rejects.toThrow();
  });
});

describe('main.ts', () => {
  it('logs one "listening" line with the port, serves, and exits 0 on SIGTERM', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: path.join(dir, 'main'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<{ port: number; url: string }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        for (const l of out.split('\n')) {
          if (!l.includes('"msg":"listening"')) continue;
          clearTimeout(timer);
          resolve(JSON.parse(l) as { port: number; url: string });
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(line.port).toBeGreaterThan(0);
    expect((await fetch(`${line.url}/api/me`)).status).toBe(401);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
